package vigil_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

func TestFactsRoundTrip(t *testing.T) {
	at := time.Date(2024, 3, 22, 18, 0, 0, 0, time.UTC)
	facts := []vigil.EventFact{
		{ID: 9, DateStart: vigil.MustDate("2024-03-22"), DateEnd: vigil.MustDate("2024-03-23"), Precision: vigil.DateDays,
			Country: "RU", Admin1: "RU-MOS", Admin1Name: "Moscow Oblast", Located: true, Latitude: 55.8, Longitude: 37.4,
			EventType: vigil.EventViolenceCivilians, TargetTypes: []vigil.TargetType{"Private Citizens & Property", "Business"},
			Killed: vigil.Range{Low: vigil.N(133), Best: vigil.N(145), High: vigil.N(145)}, Wounded: vigil.Range{Best: vigil.N(551)},
			Credibility: vigil.CredibilityConfirmed, Sources: []string{"ACLED", "Wire"}, RecordedAt: at},
		{ID: 3, DateStart: vigil.MustDate("2017-01-01"), Country: "AF"}, // nothing else known
		{ID: 5, DateStart: vigil.MustDate("2018-05-01"), Country: "AF", Admin1: "AF-NAN", Sources: []string{"ACLED", "Wire"},
			Killed: vigil.Exact(0), RecordedAt: at.Add(time.Hour)},
	}
	fs := vigil.FactsOf(facts)
	if fs.Len() != 3 || fs.Strings[0] != "" || len(fs.Lists[0]) != 0 {
		t.Fatalf("%d facts, strings %q, lists %v", fs.Len(), fs.Strings, fs.Lists)
	}
	if fs.Sources[0] != fs.Sources[2] || fs.Sources[1] != 0 || fs.TargetTypes[1] != 0 {
		t.Errorf("lists %v and %v: want one index for the same list and 0 for none", fs.Sources, fs.TargetTypes)
	}
	if fs.Country[1] != fs.Country[2] {
		t.Errorf("countries %v: want one index for AF", fs.Country)
	}
	for i, want := range facts {
		if got := fs.Fact(i); !reflect.DeepEqual(got, want) {
			t.Errorf("Fact(%d):\n got %+v\nwant %+v", i, got, want)
		}
	}
	if got := fs.Events(); !reflect.DeepEqual(got, facts) {
		t.Errorf("Events:\n got %+v\nwant %+v", got, facts)
	}

	fs.SortByID()
	if !reflect.DeepEqual(fs.ID, []int64{3, 5, 9}) {
		t.Fatalf("sorted ids %v", fs.ID)
	}
	for i, want := range []vigil.EventFact{facts[1], facts[2], facts[0]} {
		if got := fs.Fact(i); !reflect.DeepEqual(got, want) {
			t.Errorf("sorted Fact(%d):\n got %+v\nwant %+v", i, got, want)
		}
	}

	// A table filled by hand is indexed on first use.
	hand := &vigil.Facts{Strings: []string{"", "AF", "PK"}, Lists: [][]int32{{}, {1, 2}}}
	if hand.Intern("PK") != 2 || hand.Intern("IR") != 3 || hand.InternList([]string{"AF", "PK"}) != 1 {
		t.Errorf("interning into a table filled by hand: %q %v", hand.Strings, hand.Lists)
	}
}

func TestRange32(t *testing.T) {
	for _, r := range []vigil.Range{{}, vigil.Exact(0), vigil.Exact(7), {Low: vigil.N(1), High: vigil.N(9)}, {Best: vigil.N(4)}} {
		if got := r.Compact().Range(); got != r {
			t.Errorf("%+v → %+v → %+v", r, r.Compact(), got)
		}
	}
}

func TestFactsResizeCopyRows(t *testing.T) {
	a := vigil.FactsOf([]vigil.EventFact{{ID: 1, Country: "AF"}, {ID: 2, Country: "PK"}})
	b := &vigil.Facts{Strings: a.Strings, Lists: a.Lists}
	b.Resize(3)
	b.CopyRows(1, a)
	if b.Len() != 3 || !reflect.DeepEqual(b.ID, []int64{0, 1, 2}) || b.Fact(2).Country != "PK" {
		t.Errorf("after Resize(3) and CopyRows(1, …): ids %v, country of row 2 %q", b.ID, b.Fact(2).Country)
	}
}

func TestFactsSliceResize(t *testing.T) {
	fs := vigil.FactsOf([]vigil.EventFact{{ID: 1, Country: "AF"}, {ID: 2, Country: "PK"}, {ID: 3, Country: "IR"}})
	if got := fs.Slice(1, 3); got.Len() != 2 || got.Fact(0).Country != "PK" || got.Fact(1).ID != 3 {
		t.Errorf("Slice(1, 3): %+v", got.Events())
	}
	fs.Resize(1)
	if fs.Len() != 1 || fs.Fact(0).Country != "AF" || len(fs.RecordedAt) != 1 {
		t.Errorf("Resize(1): %+v", fs.Events())
	}
}
