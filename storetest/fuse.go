package storetest

import (
	"reflect"
	"testing"

	"github.com/vigil-osint/vigil"
)

// SpoilEvent overwrites the stored fusion of event to with that of event
// from, with the columns its filters read, as a store filled by an older
// vigil keeps fusions its rules no longer make. Each store's tests give
// one in its own SQL.
type SpoilEvent func(t *testing.T, from, to int64)

// FuseEvents checks vigil.EventFuser on s: of two events of two reports
// each, one's stored fusion is spoiled with the other's; FuseEvents makes
// it again from its reports, values and filters alike, and leaves the
// other as it was.
func FuseEvents(t *testing.T, s vigil.Store, spoil SpoilEvent) {
	t.Helper()
	fuser, ok := s.(vigil.EventFuser)
	if !ok {
		t.Fatalf("%T is no vigil.EventFuser", s)
	}
	setup(t, s)
	kabul1, kabul2 := item("Wire", "k1", "kabul", vigil.Exact(6), "k1"), item("Ministry", "k2", "kabul", vigil.Exact(4), "k2")
	pesh1, pesh2 := item("Wire", "p1", "peshawar", vigil.Exact(12), "p1"), item("Ministry", "p2", "peshawar", vigil.Range{Low: vigil.N(10), Best: vigil.N(11), High: vigil.N(14)}, "p2")
	for _, it := range []*vigil.Item{&pesh1, &pesh2} {
		r := &it.Reports[0]
		r.Place = vigil.Place{Name: "Peshawar", Latitude: ptr(34.01), Longitude: ptr(71.58), Precision: vigil.LocationExact, Country: "PK", Admin1: "PK-KP", Admin1Name: "Khyber Pakhtunkhwa"}
		r.DateStart, r.DateEnd = vigil.MustDate("2023-01-30"), vigil.MustDate("2023-01-30")
	}
	_, err := s.Ingest(ctx, nil, []vigil.Item{kabul1, kabul2, pesh1, pesh2})
	must(t, err)
	byCountry := func(c string) []*vigil.Event {
		t.Helper()
		evs, _, err := s.FindEvents(ctx, vigil.EventFilter{Countries: []string{c}})
		must(t, err)
		return evs
	}
	af, pk := byCountry("AF"), byCountry("PK")
	if len(af) != 1 || len(pk) != 1 {
		t.Fatalf("%d events in AF, %d in PK; want one of two reports each", len(af), len(pk))
	}
	event := func(id int64) *vigil.Event {
		t.Helper()
		e, err := s.FindEventByID(ctx, id)
		must(t, err)
		return e
	}
	// What fusion makes, without the times of its making.
	fused := func(e *vigil.Event) vigil.Event {
		v := *e
		v.RecordedAt, v.UpdatedAt = vigil.Event{}.RecordedAt, vigil.Event{}.UpdatedAt
		return v
	}
	kabul, pesh := event(af[0].ID), event(pk[0].ID)

	spoil(t, kabul.ID, pesh.ID)
	if got := byCountry("PK"); len(got) != 0 || fused(event(pesh.ID)).Killed == pesh.Killed {
		t.Fatalf("the spoil did not take: %d events in PK, killed %v", len(got), event(pesh.ID).Killed)
	}
	n, err := fuser.FuseEvents(ctx)
	must(t, err)
	if n < 2 {
		t.Errorf("FuseEvents fused %d events, want both", n)
	}
	if got := fused(event(pesh.ID)); !reflect.DeepEqual(got, fused(pesh)) {
		t.Errorf("after FuseEvents:\n%+v\nwant as first fused:\n%+v", got, fused(pesh))
	}
	if got := byCountry("PK"); len(got) != 1 || got[0].ID != pesh.ID {
		t.Errorf("events in PK after FuseEvents: %v, want event %d", got, pesh.ID)
	}
	if got := fused(event(kabul.ID)); !reflect.DeepEqual(got, fused(kabul)) {
		t.Errorf("the other event changed:\n%+v\nwant\n%+v", got, fused(kabul))
	}
}
