package brief

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
)

const hostile = `<img src=x onerror=alert(1)>](javascript:alert(1)) | *x*`

func hostileInput(t *testing.T) *Input {
	t.Helper()
	lat, lon := 34.43, 70.45
	ev := &vigil.Event{ID: 7, DateStart: vigil.MustDate("2022-01-05"), DateEnd: vigil.MustDate("2022-01-05"), EventType: vigil.EventExplosions,
		Place:          vigil.Place{Name: hostile, Latitude: &lat, Longitude: &lon, Country: "AF", Admin1: hostile, Admin1Name: hostile},
		Killed:         vigil.Exact(3),
		Sources:        []vigil.EventSource{{Name: hostile, Reliability: vigil.ReliabilityC}},
		Contradictions: []vigil.Contradiction{{Kind: vigil.ContradictionCasualties, Description: hostile}},
		Actors:         []vigil.ReportActor{{Name: hostile, Role: vigil.RolePerpetrator}}}
	facts := []vigil.EventFact{vigil.FactOf(ev)}
	facts[0].TargetTypes = []vigil.TargetType{hostile}
	ind := analysis.Compute(facts, analysis.Options{By: analysis.Month, Home: []string{hostile}})
	return &Input{Title: hostile, Selection: hostile, Command: "vigil brief " + hostile, Generated: time.Unix(0, 0),
		Ind: ind, Events: map[int64]*vigil.Event{7: ev}, Omitted: hostile}
}

// TestEscaping: no string from the data reaches the output as markup.
func TestEscaping(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *Input) error
		bad   []string
	}{
		{"html", func(b *bytes.Buffer, in *Input) error { return HTML(b, in) }, []string{"<img", `href="javascript`, "onerror=alert(1)>"}},
		{"markdown", func(b *bytes.Buffer, in *Input) error { return Markdown(b, in) }, []string{"<img", "](javascript", "*x*"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, hostileInput(t)); err != nil {
				t.Fatal(err)
			}
			for _, bad := range tt.bad {
				if strings.Contains(b.String(), bad) {
					t.Errorf("output holds %q unescaped", bad)
				}
			}
			if !strings.Contains(b.String(), "e-7") {
				t.Error("output lacks the event's anchor")
			}
		})
	}
}

func TestEmptyAndThin(t *testing.T) {
	tests := []struct {
		name  string
		facts []vigil.EventFact
	}{
		{"no events", nil},
		{"one event without coordinates", []vigil.EventFact{{ID: 1, DateStart: vigil.MustDate("2022-01-05"), DateEnd: vigil.MustDate("2022-01-05"), Country: "AF"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Input{Title: "t", Ind: analysis.Compute(tt.facts, analysis.Options{By: analysis.Year}), Generated: time.Unix(0, 0)}
			var b bytes.Buffer
			if err := HTML(&b, in); err != nil {
				t.Fatal(err)
			}
			if err := Markdown(&b, in); err != nil {
				t.Fatal(err)
			}
			if m := Map(MapInput{Facts: vigil.FactsOf(tt.facts)}); m != nil {
				t.Errorf("map of no located event = %d bytes, want none", len(m))
			}
		})
	}
}
