package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/sqlite"
)

// TestAuditTamper alters the log behind the store's back and checks that
// SQL refuses updates and deletes, and that verification names the entry
// at fault when the triggers are dropped.
func TestAuditTamper(t *testing.T) {
	tests := []struct {
		name    string
		sql     []string
		wantErr string
	}{
		{"untouched", nil, ""},
		{"after rewritten", []string{`UPDATE audit_log SET after = '{"reliability":"A"}' WHERE seq = 2`}, "audit entry 2: its hash does not match"},
		{"entry removed", []string{`DELETE FROM audit_log WHERE seq = 2`}, "audit entry 3: expected entry 2"},
		{"entry rehashed", []string{`UPDATE audit_log SET actor = 'cli', hash = 'x' WHERE seq = 2`}, "audit entry 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i := range 3 {
				e := &vigil.AuditEntry{Actor: "user:amina", Action: "source.update", Object: "source/1",
					After: vigil.AuditJSON(map[string]int{"n": i})}
				if err := s.AppendAudit(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.DB().ExecContext(ctx, `UPDATE audit_log SET actor = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("update through SQL = %v, want the append-only refusal", err)
			}
			if _, err := s.DB().ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
				t.Fatal("delete through SQL succeeded")
			}
			if len(tt.sql) > 0 {
				for _, q := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, tt.sql...) {
					if _, err := s.DB().ExecContext(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
			}
			n, err := vigil.VerifyAudit(ctx, s)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("VerifyAudit = %v", err)
			case tt.wantErr == "" && n != 3:
				t.Fatalf("VerifyAudit checked %d, want 3", n)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("VerifyAudit = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
