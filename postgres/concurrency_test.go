package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vigil-osint/vigil"
)

// concurrentItem is one document with one report; reports of the shared
// event keys come from every writer.
func concurrentItem(source, key, eventKey string, killed int, hash string) vigil.Item {
	return vigil.Item{
		Document: vigil.Document{Source: source, Key: key, Title: key, ContentHash: hash},
		Reports: []vigil.Report{{
			Key: key, EventKey: eventKey,
			DateStart: vigil.MustDate("2023-01-05"), DateEnd: vigil.MustDate("2023-01-05"), DatePrecision: vigil.DateDay,
			Place:     vigil.Place{Name: "Kabul", Precision: vigil.LocationExact, Country: "AF", Admin1: "AF-KAB"},
			EventType: vigil.EventExplosions, Killed: vigil.Exact(killed), Credibility: vigil.CredibilityPossible,
			Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}},
		}},
	}
}

// TestParallelWritersAndReaders runs importers, audit writers and readers
// at once on one store. Each import is one transaction of perChunk
// documents; readers must only ever see whole imports (the document count
// a multiple of perChunk, never falling), lists whose length is the count
// they report, and events whose reports are the ones they list. At the end
// every document, every report of the shared events, every re-import's
// history and every audit entry must be there, the audit chain unbroken.
func TestParallelWritersAndReaders(t *testing.T) {
	s := open(t)
	defer s.Close()
	ctx := context.Background()
	if err := s.UpsertActor(ctx, &vigil.Actor{ID: "iskp", Name: "ISKP", Kind: vigil.ActorArmedGroup}); err != nil {
		t.Fatal(err)
	}
	const (
		writers  = 4
		chunks   = 8
		perChunk = 25 // own documents per import, plus one report of the chunk's shared event
		auditors = 3
		appends  = 40
	)
	var (
		wg      sync.WaitGroup
		done    atomic.Bool
		reads   atomic.Int64
		updated atomic.Int64
		errs    = make(chan error, 64)
	)
	fail := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every writer creates the same source at once: one wins, the
			// others update it.
			src := &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}
			if err := s.UpsertSource(ctx, src); err != nil {
				fail(fmt.Errorf("writer %d: source: %w", w, err))
				return
			}
			b := &vigil.Batch{Format: "test", File: fmt.Sprintf("w%d", w), Status: vigil.BatchRunning}
			if err := s.CreateBatch(ctx, b); err != nil {
				fail(err)
				return
			}
			for c := range chunks {
				items := make([]vigil.Item, 0, perChunk+1)
				for i := range perChunk {
					key := fmt.Sprintf("w%d-c%d-%d", w, c, i)
					items = append(items, concurrentItem("Wire", key, "ev-"+key, i+1, "h1"))
				}
				items = append(items, concurrentItem("Wire", fmt.Sprintf("w%d-shared-%d", w, c), fmt.Sprintf("shared-%d", c), w+1, "h1"))
				out, err := s.Ingest(ctx, b, items)
				if err != nil {
					fail(fmt.Errorf("writer %d chunk %d: %w", w, c, err))
					return
				}
				for i, o := range out {
					if o != vigil.OutcomeNew {
						fail(fmt.Errorf("writer %d chunk %d item %d: %s, want new", w, c, i, o))
						return
					}
				}
				// Revise one document of the chunk: its old version goes
				// to history.
				rev := concurrentItem("Wire", fmt.Sprintf("w%d-c%d-0", w, c), fmt.Sprintf("ev-w%d-c%d-0", w, c), 100, "h2")
				out, err = s.Ingest(ctx, b, []vigil.Item{rev})
				if err != nil || out[0] != vigil.OutcomeUpdated {
					fail(fmt.Errorf("writer %d chunk %d revision: %v %v", w, c, out, err))
					return
				}
				updated.Add(1)
			}
		}()
	}
	for a := range auditors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range appends {
				e := &vigil.AuditEntry{Actor: fmt.Sprintf("user:a%d", a), Action: "test.append", Object: fmt.Sprintf("n/%d", i)}
				if err := s.AppendAudit(ctx, e); err != nil {
					fail(fmt.Errorf("auditor %d: %w", a, err))
					return
				}
			}
		}()
	}
	var readers sync.WaitGroup
	for r := range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			last := 0
			for n := 0; !done.Load() || n < 3; n++ {
				docs, total, err := s.FindDocuments(ctx, vigil.DocumentFilter{Limit: 1})
				if err != nil {
					fail(fmt.Errorf("reader %d: %w", r, err))
					return
				}
				_ = docs
				if total%(perChunk+1) != 0 {
					fail(fmt.Errorf("reader %d saw %d documents: part of an import", r, total))
					return
				}
				if total < last {
					fail(fmt.Errorf("reader %d saw the documents fall from %d to %d", r, last, total))
					return
				}
				last = total
				evs, count, err := s.FindEvents(ctx, vigil.EventFilter{Actor: "ISKP"})
				if err != nil {
					fail(fmt.Errorf("reader %d: %w", r, err))
					return
				}
				if len(evs) != count {
					fail(fmt.Errorf("reader %d: FindEvents listed %d events but counted %d", r, len(evs), count))
					return
				}
				for _, e := range evs {
					if e.Key != fmt.Sprintf("shared-%d", 0) && n%4 != 0 {
						continue
					}
					full, err := s.FindEventByID(ctx, e.ID)
					if err != nil {
						fail(fmt.Errorf("reader %d: event %d: %w", r, e.ID, err))
						return
					}
					if len(full.Reports) != len(full.ReportIDs) || len(full.Reports) == 0 {
						fail(fmt.Errorf("reader %d: event %d lists %d reports and holds %d", r, e.ID, len(full.ReportIDs), len(full.Reports)))
						return
					}
					break
				}
				reads.Add(1)
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	_, total, err := s.FindDocuments(ctx, vigil.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := writers * chunks * (perChunk + 1); total != want {
		t.Errorf("%d documents, want %d", total, want)
	}
	for w := range writers {
		for c := range chunks {
			d, err := s.FindDocumentByKey(ctx, "Wire", fmt.Sprintf("w%d-c%d-0", w, c))
			if err != nil || d.ContentHash != "h2" {
				t.Fatalf("revised document w%d-c%d-0: %+v, %v", w, c, d, err)
			}
			hist, err := s.FindReportHistory(ctx, d.ID)
			if err != nil || len(hist) != 1 || hist[0].Report.Killed != vigil.Exact(1) {
				t.Fatalf("history of w%d-c%d-0: %+v, %v", w, c, hist, err)
			}
		}
	}
	evs, count, err := s.FindEvents(ctx, vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := writers*chunks*perChunk + chunks; count != want || len(evs) != want {
		t.Errorf("%d events (%d listed), want %d", count, len(evs), want)
	}
	for _, e := range evs {
		if len(e.Key) > 7 && e.Key[:7] == "shared-" {
			// One report from each writer: killed 1 … writers.
			if len(e.ReportIDs) != writers || e.Killed.Low != vigil.N(1) || e.Killed.High != vigil.N(writers) {
				t.Errorf("event %s: %d reports, killed %v; want %d reports, 1–%d", e.Key, len(e.ReportIDs), e.Killed, writers, writers)
			}
		}
	}
	n, err := vigil.VerifyAudit(ctx, s)
	if err != nil || n != auditors*appends {
		t.Errorf("audit: %d entries, %v; want %d and an unbroken chain", n, err, auditors*appends)
	}
	t.Logf("%d reads during %d imports and %d revisions", reads.Load(), writers*chunks, updated.Load())
}
