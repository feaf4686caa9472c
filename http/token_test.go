package http

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/sqlite"
)

// TestIssueTokenLifetime issues tokens as vigil users token --expires does:
// a negative lifetime was taken as none, and made a token that never
// expired; it is now refused, and nothing is stored or audited for it.
func TestIssueTokenLifetime(t *testing.T) {
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := &vigil.User{Name: "cleo", Role: vigil.RoleViewer, Clearance: vigil.TLPClear}
	if _, err := AddUser(ctx, s, s, "test", u, "cleo-password-123"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ttl     time.Duration
		expires bool   // the token has an expiry
		wantErr string // "" for none
	}{
		{720 * time.Hour, true, ""},
		{0, false, ""},
		{-5 * time.Hour, false, "token lifetime -5h0m0s: want a positive duration"},
	} {
		tok, secret, err := IssueToken(ctx, s, s, "test", u.ID, "t", tc.ttl)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || secret != "" {
				t.Errorf("ttl %s: token %+v, error %v; want %q", tc.ttl, tok, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("ttl %s: %v", tc.ttl, err)
		}
		if tok.ExpiresAt.IsZero() == tc.expires {
			t.Errorf("ttl %s: expires at %v", tc.ttl, tok.ExpiresAt)
		}
	}
	toks, err := s.FindTokens(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 2 {
		t.Errorf("%d tokens stored, want the 2 issued", len(toks))
	}
}
