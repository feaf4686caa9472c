package brief

import (
	"bytes"
	"io"
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

// TestIntervalsOnlyWhenMeasured writes briefs of the same events with and
// without the bootstrap: the share outside home and the standard distance
// carry "95% bootstrap" and an interval only when one was drawn. Without
// it, low and high are the figure itself, and "(60%–60%)" read as a
// measured certainty.
func TestIntervalsOnlyWhenMeasured(t *testing.T) {
	var facts []vigil.EventFact
	for i, c := range []struct {
		admin1   string
		lat, lon float64
	}{{"AF-NAN", 34.4, 70.4}, {"AF-KAB", 34.5, 69.2}, {"AF-KDZ", 36.7, 68.9}, {"AF-BAL", 36.7, 67.1}, {"AF-NAN", 34.2, 70.6}} {
		facts = append(facts, vigil.EventFact{ID: int64(i + 1), DateStart: vigil.MustDate("2022-01-05"), DateEnd: vigil.MustDate("2022-01-05"),
			Country: "AF", Admin1: c.admin1, Located: true, Latitude: c.lat, Longitude: c.lon})
	}
	for _, tt := range []struct {
		name      string
		bootstrap int
		want      []string // in the Markdown
		not       []string
	}{
		{"with the bootstrap", 0, []string{"(95% bootstrap ", "60% ("}, nil},
		{"without it", -1, []string{"of events outside the home area](#p-total) (3 of 5)", "| 60% |"}, []string{"bootstrap 60%–60%", "60% (60%–60%)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ind := analysis.Compute(facts, analysis.Options{By: analysis.Year, Home: []string{"AF-NAN"}, Bootstrap: tt.bootstrap, Seed: 1})
			in := &Input{Title: "t", Ind: ind, Generated: time.Unix(0, 0)}
			for _, w := range []struct {
				name  string
				write func(io.Writer, *Input) error
			}{{"markdown", Markdown}, {"html", HTML}} {
				var b bytes.Buffer
				if err := w.write(&b, in); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				if w.name == "markdown" {
					for _, s := range tt.want {
						if !strings.Contains(out, s) {
							t.Errorf("markdown lacks %q", s)
						}
					}
				}
				for _, s := range tt.not {
					if strings.Contains(out, s) {
						t.Errorf("%s holds %q", w.name, s)
					}
				}
				if tt.bootstrap < 0 && strings.Contains(out, "95% bootstrap") {
					t.Errorf("%s claims a bootstrap interval that was not drawn", w.name)
				}
			}
		})
	}
}
