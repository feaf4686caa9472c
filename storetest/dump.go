package storetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// testDumpRestore: a dump restored into an empty store dumps to the same
// bytes, history and every table included; restore refuses a store that
// holds data and input that is not a dump.
func testDumpRestore(t *testing.T, s vigil.Store, newStore NewStore) {
	setup(t, s)
	must(t, s.UpsertActor(ctx, taliban()))
	must(t, s.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "taliban", Type: vigil.RelRivalry, ValidFrom: vigil.MustDate("2015-06-01")}))
	b := &vigil.Batch{Format: "test", File: "f.csv", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	_, err := s.Ingest(ctx, b, []vigil.Item{item("Wire", "a", "ev", vigil.Exact(3), "h1"), item("Amaq", "c", "ev", vigil.Exact(30), "h2")})
	must(t, err)
	_, err = s.Ingest(ctx, b, []vigil.Item{item("Wire", "a", "ev", vigil.Exact(4), "h1-revised")}) // history
	must(t, err)

	first, fresh := dumpRestoreSame(t, s, newStore)
	for _, want := range []string{`"table":"report_history"`, `"table":"relationships"`, `"table":"events"`, `"table":"batches"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("dump lacks %s", want)
		}
	}
	evs, _, err := fresh.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if len(evs) != 1 || evs[0].Killed.High != vigil.N(30) {
		t.Errorf("restored events = %+v, want the one fused event", evs)
	}

	wantCode(t, s.Restore(ctx, bytes.NewReader(first)), vigil.ECONFLICT)
	empty := newStore(t)
	defer empty.Close()
	wantCode(t, empty.Restore(ctx, strings.NewReader("id,name\n1,x\n")), vigil.EINVALID)
}
