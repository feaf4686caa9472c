package storetest

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/vigil-osint/vigil"
)

func auditLog(t *testing.T, s vigil.Store) vigil.AuditService {
	t.Helper()
	as, ok := s.(vigil.AuditService)
	if !ok {
		t.Fatalf("%T does not implement vigil.AuditService", s)
	}
	return as
}

func testAudit(t *testing.T, s vigil.Store) {
	as := auditLog(t, s)
	n, err := vigil.VerifyAudit(ctx, as)
	must(t, err)
	if n != 0 {
		t.Fatalf("empty log verified %d entries", n)
	}
	first := &vigil.AuditEntry{Actor: "cli", Action: "user.create", Object: "user/1", After: json.RawMessage(`{"name":"amina"}`)}
	must(t, as.AppendAudit(ctx, first))
	if first.Seq != 1 || first.PrevHash != "" || first.Hash != first.ComputeHash() || first.At.IsZero() {
		t.Fatalf("first entry = %+v", first)
	}
	second := &vigil.AuditEntry{Actor: "user:amina", Action: "source.update", Object: "source/3",
		Before: vigil.AuditJSON(map[string]string{"reliability": "C"}), After: vigil.AuditJSON(map[string]string{"reliability": "B"})}
	must(t, as.AppendAudit(ctx, second))
	if second.Seq != 2 || second.PrevHash != first.Hash {
		t.Fatalf("second entry = %+v, want seq 2 chained to %s", second, first.Hash)
	}
	wantCode(t, as.AppendAudit(ctx, &vigil.AuditEntry{Action: "x"}), vigil.EINVALID)
	wantCode(t, as.AppendAudit(ctx, &vigil.AuditEntry{Actor: "cli", Action: "x", After: json.RawMessage(`{not json`)}), vigil.EINVALID)

	// Concurrent appends each get their own place in one unbroken chain.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := as.AppendAudit(ctx, &vigil.AuditEntry{Actor: "system", Action: "test", Object: "n/" + string(rune('a'+i))}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n, err = vigil.VerifyAudit(ctx, as)
	must(t, err)
	if n != 10 {
		t.Errorf("verified %d entries, want 10", n)
	}
	got, err := as.FindAudit(ctx, vigil.AuditFilter{Object: "source/3"})
	must(t, err)
	if len(got) != 1 || got[0].Hash != second.Hash || string(got[0].Before) != `{"reliability":"C"}` || !got[0].At.Equal(second.At) {
		t.Errorf("FindAudit(source/3) = %+v, want the second entry as appended", got)
	}
	page, err := as.FindAudit(ctx, vigil.AuditFilter{AfterSeq: 2, Limit: 3})
	must(t, err)
	if len(page) != 3 || page[0].Seq != 3 {
		t.Errorf("FindAudit(after 2, limit 3) = %d entries from %d", len(page), page[0].Seq)
	}
}
