package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/storecodec"
	"github.com/vigil-osint/vigil/storetest"
)

// sampleItems reads the real UCDP sample as items, with their source and
// the shipped actor dictionary.
func sampleItems(t *testing.T) ([]vigil.Item, *vigil.Source, *actors.Dictionary) {
	t.Helper()
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	items, src := storetest.UCDPSample(t, "../testdata/ucdp/ucdp_ged231_sample.csv")
	return items, src, dict
}

// sampleStore returns a store holding the real UCDP sample, with the
// shipped dictionary's actors, and the sample's items.
func sampleStore(t *testing.T) (*Store, []vigil.Item) {
	t.Helper()
	ctx := context.Background()
	items, src, dict := sampleItems(t)
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, pass := range []bool{true, false} { // parents first
		for _, a := range dict.Actors {
			if (a.Parent == "") == pass {
				if err := s.UpsertActor(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := s.UpsertSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	ingestAll(t, s, items)
	return s, items
}

// ingestAll stores items in chunks of 100 and returns the outcomes.
func ingestAll(t *testing.T, s *Store, items []vigil.Item) map[vigil.Outcome]int {
	t.Helper()
	n := map[vigil.Outcome]int{}
	for c := 0; c < len(items); c += 100 {
		outs, err := s.Ingest(context.Background(), nil, append([]vigil.Item(nil), items[c:min(c+100, len(items))]...))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			n[o]++
		}
	}
	return n
}

// state is what readers see of a store: every event as JSON, each whole
// with its reports and documents, and its dump.
func state(t *testing.T, s *Store) (events, dump []byte) {
	t.Helper()
	ctx := context.Background()
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	whole, err := s.FindEventDetails(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if events, err = json.Marshal([]any{evs, whole}); err != nil {
		t.Fatal(err)
	}
	var d bytes.Buffer
	if err := s.Dump(ctx, &d); err != nil {
		t.Fatal(err)
	}
	return events, d.Bytes()
}

// storedTypes counts the SQLite types of the data column of each table.
func storedTypes(t *testing.T, s *Store) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{}
	for _, table := range []string{"reports", "report_history", "documents", "document_history"} {
		out[table] = map[string]int{}
		rows, err := s.db.Query(`SELECT typeof(data), count(*) FROM ` + table + ` GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var typ string
			var n int
			rows.Scan(&typ, &n)
			out[table][typ] = n
		}
		rows.Close()
	}
	return out
}

// Reports and documents are stored in the binary forms, document history
// as JSON; a store whose reports and documents an earlier vigil wrote as
// JSON reads, dumps and re-imports the same; a dump holds the JSON, and
// restoring it stores the binary forms again.
func TestStoredFormsEitherWay(t *testing.T) {
	ctx := context.Background()
	s, items := sampleStore(t)
	// A newer release revises ten rows: their old reports go to history.
	revised := make([]vigil.Item, 10)
	for i := range revised {
		it := items[i*50]
		it.Document.ContentHash += "-revised"
		it.Reports = append([]vigil.Report(nil), it.Reports...)
		it.Reports[0].Killed.High = vigil.N(it.Reports[0].Killed.High.N + 5)
		revised[i] = it
	}
	if n := ingestAll(t, s, revised); n[vigil.OutcomeUpdated] != 10 {
		t.Fatalf("revision: outcomes %v, want 10 updated", n)
	}
	binary := map[string]map[string]int{"reports": {"blob": len(items)}, "report_history": {"blob": 10},
		"documents": {"blob": len(items)}, "document_history": {"text": 10}}
	if got := storedTypes(t, s); !reflect.DeepEqual(got, binary) {
		t.Fatalf("stored types %v, want %v", got, binary)
	}
	events, dump := state(t, s)
	for _, table := range []string{"reports", "documents"} {
		if n := bytes.Count(dump, []byte(`"table":"`+table+`"`)); n != len(items) || n != countJSONData(dump, table) {
			t.Fatalf("the dump holds %d rows of %s, %d of them with JSON data; want %d", n, table, countJSONData(dump, table), len(items))
		}
	}

	// Rewrite every report and document as the JSON an earlier vigil
	// stored.
	for _, table := range []string{"reports", "report_history", "documents"} {
		rows, err := s.db.Query(`SELECT id, data FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		old := map[int64]string{}
		for rows.Next() {
			var id int64
			var data string
			rows.Scan(&id, &data)
			if table == "documents" {
				old[id], err = storecodec.DocumentJSON(data)
			} else {
				old[id], err = storecodec.ReportJSON(data)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
		for id, js := range old {
			if _, err := s.db.Exec(`UPDATE `+table+` SET data = ? WHERE id = ?`, js, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	for table, types := range storedTypes(t, s) {
		if types["blob"] != 0 {
			t.Fatalf("after the rewrite: %s types %v, want text only", table, types)
		}
	}
	if e2, d2 := state(t, s); !bytes.Equal(e2, events) || !bytes.Equal(d2, dump) {
		t.Fatalf("a store of JSON reports reads differently: events same %v, dump same %v", bytes.Equal(e2, events), bytes.Equal(d2, dump))
	}
	if n := ingestAll(t, s, items[:200]); n[vigil.OutcomeUnchanged] != 196 || n[vigil.OutcomeUpdated] != 4 {
		t.Errorf("re-import over JSON reports: outcomes %v, want 196 unchanged and the 4 revised rows updated back", n)
	}

	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "restored.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := fresh.Restore(ctx, bytes.NewReader(dump)); err != nil {
		t.Fatal(err)
	}
	if got := storedTypes(t, fresh); !reflect.DeepEqual(got, binary) {
		t.Errorf("restored types %v, want %v", got, binary)
	}
	if e3, d3 := state(t, fresh); !bytes.Equal(e3, events) || !bytes.Equal(d3, dump) {
		t.Errorf("restored store differs: events same %v, dump same %v", bytes.Equal(e3, events), bytes.Equal(d3, dump))
	}
}

// countJSONData counts the dump's rows of the table whose data is JSON.
func countJSONData(dump []byte, table string) int {
	n := 0
	for _, line := range bytes.Split(dump, []byte("\n")) {
		var dl struct {
			Table string
			Row   struct{ Data string }
		}
		if json.Unmarshal(line, &dl) == nil && dl.Table == table && strings.HasPrefix(dl.Row.Data, "{") {
			n++
		}
	}
	return n
}

// FindEventDetailPage reads the page FindEventPage does, each event whole
// as FindEventByID reads it, whatever the order and filter.
func TestFindEventDetailPage(t *testing.T) {
	ctx := context.Background()
	s, _ := sampleStore(t)
	for _, f := range []vigil.EventFilter{
		{Limit: 60, Offset: 10},
		{Countries: []string{"AF"}, Limit: 40},
		{Actor: "ISKP", Limit: 25},
		{From: vigil.MustDate("2015-01-01"), Limit: 1000},
	} {
		for _, order := range []vigil.EventOrder{vigil.OrderDate, vigil.OrderDateDesc, vigil.OrderKilledDesc, vigil.OrderCountry, vigil.OrderIDDescending} {
			page, err := s.FindEventPage(ctx, f, order)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := s.FindEventDetailPage(ctx, f, order)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 || len(whole) != len(page) {
				t.Fatalf("%+v %s: %d events whole, %d in the page", f, order, len(whole), len(page))
			}
			for i, e := range whole {
				one, err := s.FindEventByID(ctx, page[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := json.Marshal(e)
				want, _ := json.Marshal(one)
				if !bytes.Equal(got, want) {
					t.Fatalf("%+v %s: event %d of the page:\n%s\nFindEventByID:\n%s", f, order, i, got, want)
				}
			}
		}
	}
}
