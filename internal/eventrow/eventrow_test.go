package eventrow

import (
	"database/sql"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestEventValuesMatchColumns(t *testing.T) {
	for _, tt := range []struct {
		name     string
		reports  []int64
		wantJSON bool
	}{
		{"one report: fused again on read", []int64{7}, false},
		{"several reports: fused JSON kept", []int64{7, 8}, true},
	} {
		e := &vigil.Event{ID: 1, ReportIDs: tt.reports, Killed: vigil.Range{Best: vigil.N(3)}}
		vals := EventValues(e)
		if len(vals)+2 != len(EventCols) {
			t.Fatalf("%d values for %d columns after id and key", len(vals), len(EventCols)-2)
		}
		col := func(name string) any {
			for i, c := range EventCols[2:] {
				if c == name {
					return vals[i]
				}
			}
			t.Fatalf("no column %s", name)
			return nil
		}
		data := col("data").(string)
		if (data != "") != tt.wantJSON {
			t.Errorf("%s: data %q", tt.name, data)
		}
		if col("killed_low") != -1 || col("killed_best") != 3 {
			t.Errorf("%s: killed low, best = %v, %v; want -1 (unknown), 3", tt.name, col("killed_low"), col("killed_best"))
		}
	}
}

func TestReportRoundTrip(t *testing.T) {
	r := vigil.Report{ID: 5, DocumentID: 6, EventID: 9, Key: "k", Killed: vigil.Exact(4)}
	got, err := DecodeReport(5, 6, sql.NullInt64{Int64: 9, Valid: true}, EncodeReport(&r))
	if err != nil || got.ID != 5 || got.DocumentID != 6 || got.EventID != 9 || got.Killed != r.Killed || got.Key != "k" {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	if _, err := DecodeReport(5, 6, sql.NullInt64{}, "{"); err == nil {
		t.Error("bad JSON decoded without error")
	}
	for _, n := range []vigil.Num{{}, vigil.N(0), vigil.N(12)} {
		if back := ColNum(int64(NumCol(n))); back != n {
			t.Errorf("count %v comes back as %v", n, back)
		}
	}
}

func TestInOrder(t *testing.T) {
	evs := []*vigil.Event{{ID: 3}, {ID: 1}, {ID: 2}}
	for _, tt := range []struct {
		ids, want []int64
	}{
		{[]int64{1, 2, 3}, []int64{1, 2, 3}},
		{[]int64{2, 9, 3}, []int64{2, 3}},
		{nil, nil},
	} {
		var got []int64
		for _, e := range InOrder(tt.ids, evs) {
			got = append(got, e.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("InOrder(%v) = %v, want %v", tt.ids, got, tt.want)
		}
	}
}
