package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/postgres"
	"github.com/vigil-osint/vigil/storetest"
)

// items is an ingest.Reader over items.
type items []vigil.Item

func (r *items) Next() (*vigil.Item, error) {
	if len(*r) == 0 {
		return nil, io.EOF
	}
	it := (*r)[0]
	*r = (*r)[1:]
	return &it, nil
}

// detailStore returns a store holding the real UCDP sample, with the
// shipped dictionary's actors, and a wire service's AMBER reports of its
// first events, which then have two reports each and fused values.
func detailStore(t *testing.T) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, pass := range []bool{true, false} { // parents first
		for _, a := range dict.Actors {
			if (a.Parent == "") == pass {
				if err := s.UpsertActor(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	all, src := storetest.UCDPSample(t, "../testdata/ucdp/ucdp_ged231_sample.csv")
	sample := items(all)
	if err := s.UpsertSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	wire := &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: "B"}
	var echoes items
	for i, it := range sample[:40] {
		rep := it.Reports[0]
		rep.Key = fmt.Sprintf("wire-%d", i)
		rep.Killed = vigil.Exact(i)
		echoes = append(echoes, vigil.Item{Source: wire,
			Document: vigil.Document{Source: wire.Name, Key: rep.Key, Title: "Wire " + rep.Key, Text: "Text of " + rep.Key,
				ContentHash: rep.Key, Marking: vigil.TLPAmber},
			Reports: []vigil.Report{rep}})
	}
	for _, b := range []struct {
		source string
		items  items
	}{{src.Name, sample}, {wire.Name, echoes}} {
		if err := ingest.Run(ctx, s, &vigil.Batch{Format: "test", File: b.source, Source: b.source}, &b.items, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// FindEventDetailPage reads the page FindEventPage does, in its order,
// each event as FindEventByID reads it: the listed event, with its
// reports, each with its document as FindDocumentByID reads it and its
// source as FindSourceByName does.
func TestFindEventDetailPage(t *testing.T) {
	ctx := context.Background()
	s := detailStore(t)
	docs := map[int64][]byte{}
	srcs := map[string][]byte{}
	fused, afterCursor := 0, 0
	for _, f := range []vigil.EventFilter{
		{Limit: 60, Offset: 10},
		{Countries: []string{"AF"}, Limit: 40},
		{Actor: "ISKP", Limit: 25},
		{From: vigil.MustDate("2015-01-01"), Limit: 1000},
		{Clearance: vigil.TLPGreen, Limit: 100},
	} {
		for _, order := range []vigil.EventOrder{vigil.OrderDate, vigil.OrderDateDesc, vigil.OrderKilledDesc, vigil.OrderCountry, vigil.OrderIDDescending} {
			// The first page, then the one after it (a cursor).
			f := f
			for range 2 {
				page, err := s.FindEventPage(ctx, f, order)
				if err != nil {
					t.Fatal(err)
				}
				whole, err := s.FindEventDetailPage(ctx, f, order)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 && f.After == nil || len(whole) != len(page) {
					t.Fatalf("%+v %s: %d events whole, %d in the page", f, order, len(whole), len(page))
				}
				for i, e := range whole {
					one, err := s.FindEventByID(ctx, page[i].ID)
					if err != nil {
						t.Fatal(err)
					}
					if got, want := jsonOf(t, e), jsonOf(t, one); !bytes.Equal(got, want) {
						t.Fatalf("%+v %s: event %d of the page:\n%s\nFindEventByID:\n%s", f, order, i, got, want)
					}
					if len(e.Reports) != len(e.ReportIDs) || len(e.Reports) == 0 {
						t.Fatalf("event %d: %d reports, report ids %v", e.ID, len(e.Reports), e.ReportIDs)
					}
					if len(e.Reports) > 1 {
						fused++
					}
					for j, sr := range e.Reports {
						if sr.Report.ID != e.ReportIDs[j] || sr.Report.EventID != e.ID || sr.Report.DocumentID != sr.Document.ID {
							t.Fatalf("event %d (reports %v): report %d of document %d in event %d", e.ID, e.ReportIDs, sr.Report.ID, sr.Document.ID, sr.Report.EventID)
						}
						if docs[sr.Document.ID] == nil {
							d, err := s.FindDocumentByID(ctx, sr.Document.ID)
							if err != nil {
								t.Fatal(err)
							}
							docs[sr.Document.ID] = jsonOf(t, d)
						}
						if got := jsonOf(t, sr.Document); !bytes.Equal(got, docs[sr.Document.ID]) {
							t.Fatalf("event %d, document:\n%s\nFindDocumentByID:\n%s", e.ID, got, docs[sr.Document.ID])
						}
						if srcs[sr.Source.Name] == nil {
							src, err := s.FindSourceByName(ctx, sr.Source.Name)
							if err != nil {
								t.Fatal(err)
							}
							srcs[sr.Source.Name] = jsonOf(t, src)
						}
						if got := jsonOf(t, sr.Source); !bytes.Equal(got, srcs[sr.Source.Name]) {
							t.Fatalf("event %d, source:\n%s\nFindSourceByName:\n%s", e.ID, got, srcs[sr.Source.Name])
						}
					}
					listed := *page[i]
					e2 := *e
					e2.Reports, listed.Reports = nil, nil
					if got, want := jsonOf(t, &e2), jsonOf(t, &listed); !bytes.Equal(got, want) {
						t.Fatalf("%+v %s: event %d whole:\n%s\nin the page:\n%s", f, order, e.ID, got, want)
					}
				}
				if len(page) == 0 {
					break
				}
				if f.After != nil {
					afterCursor += len(page)
				}
				f.After = vigil.CursorAfter(page[len(page)-1])
			}
		}
	}
	if fused == 0 || len(srcs) != 2 || afterCursor == 0 {
		t.Errorf("read %d events of several reports from %d sources, %d after a cursor: want some, from 2, some", fused, len(srcs), afterCursor)
	}
	// An unknown id is left out; the others come in the order asked.
	all, err := s.FindEventPage(ctx, vigil.EventFilter{Limit: 5}, vigil.OrderIDAscending)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{all[3].ID, 1 << 40, all[0].ID, all[4].ID}
	got, err := s.FindEventDetails(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != ids[0] || got[1].ID != ids[2] || got[2].ID != ids[3] {
		t.Errorf("FindEventDetails(%v) gave %d events", ids, len(got))
	}
	if _, err := s.FindEventByID(ctx, 1<<40); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Errorf("FindEventByID of no event: %v, want ENOTFOUND", err)
	}
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
