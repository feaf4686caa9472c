package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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

// testAuditWithChange: an entry given with a change (vigil.WithAudit)
// commits in the change's transaction, completed after the change; a
// change that fails leaves no entry; a read writes none; an append of
// another entry meanwhile leaves it pending; the chain verifies.
func testAuditWithChange(t *testing.T, s vigil.Store) {
	as := auditLog(t, s)
	us, ok := s.(vigil.UserService)
	if !ok {
		t.Fatalf("%T does not implement vigil.UserService", s)
	}
	u := &vigil.User{Name: "farid", Role: vigil.RoleAnalyst, Clearance: vigil.TLPGreen, PasswordHash: "x"}
	e := &vigil.AuditEntry{Actor: "cli", Action: "user.create"}
	actx, written := vigil.WithAudit(ctx, e, func(e *vigil.AuditEntry) { e.Object, e.After = fmt.Sprint("user/", u.ID), vigil.AuditJSON(u) })
	// An append of another entry under the context leaves e pending.
	must(t, as.AppendAudit(actx, &vigil.AuditEntry{Actor: "cli", Action: "other"}))
	if _, _, err := s.FindEvents(actx, vigil.EventFilter{}); err != nil || written() {
		t.Fatalf("a read under WithAudit: err %v, written %v; want nothing written", err, written())
	}
	must(t, us.CreateUser(actx, u))
	if !written() {
		t.Fatal("the user's creation did not write its audit entry")
	}
	// A failing change writes nothing, and leaves its entry unwritten.
	dup := &vigil.User{Name: "farid", Role: vigil.RoleViewer, Clearance: vigil.TLPClear, PasswordHash: "y"}
	fctx, fwritten := vigil.WithAudit(ctx, &vigil.AuditEntry{Actor: "cli", Action: "user.create", Object: "user/dup"}, nil)
	wantCode(t, us.CreateUser(fctx, dup), vigil.ECONFLICT)
	if fwritten() {
		t.Error("a failed change reported its audit entry written")
	}
	// A second change under the first context writes no second entry.
	u.Clearance = vigil.TLPAmber
	must(t, us.UpdateUser(actx, u))

	es, err := as.FindAudit(ctx, vigil.AuditFilter{})
	must(t, err)
	var got []string
	for _, e := range es {
		got = append(got, e.Action+" "+e.Object)
	}
	if want := []string{"other ", "user.create user/" + fmt.Sprint(u.ID)}; !slices.Equal(got, want) {
		t.Fatalf("audit log %q, want %q", got, want)
	}
	var after vigil.User
	must(t, json.Unmarshal(es[1].After, &after))
	if after.ID != u.ID || after.Clearance != vigil.TLPGreen {
		t.Errorf("the entry's After = %s: want the user as created, completed with its id", es[1].After)
	}
	if n, err := vigil.VerifyAudit(context.Background(), as); err != nil || n != 2 {
		t.Errorf("VerifyAudit = %d, %v; want 2 entries chained", n, err)
	}
}
