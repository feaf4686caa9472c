package link

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestReadGoldErrorLines: a gold set's bad document or report is named by
// the line it starts on, as import case names it, not by its position.
func TestReadGoldErrorLines(t *testing.T) {
	const head = `{"title": "g",
 "sources": [{"name": "Wire", "kind": "news", "reliability": "B"}],
 "documents": [
  {"source": "Wire", "key": "a",
   "reports": [{"event_key": "x", "date_start": "2016-10-24"}]},
  {"source": "Wire", "key": "b",
   "reports": [
    {"event_key": "x", "date_start": "2016-10-24"},
`
	tests := []struct {
		name, tail, want string
	}{
		{"report without a key", `    {"date_start": "2016-10-24"}]}]}`, `g.json:9: reports[1].event_key: a gold report needs its true event key`},
		{"report that does not validate", `    {"event_key": "y", "date_start": "2016-10-24", "killed": {"low": 5, "best": 2}}]}]}`, `g.json:9: reports[1].killed: best 2 is below low 5`},
		{"unknown source", `    {"event_key": "y", "date_start": "2016-10-24"}]},
  {"source": "Nobody", "key": "c"}]}`, `g.json:10: source: "Nobody" is not among the sources`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadGold(strings.NewReader(head+tt.tail), "g.json", nil)
			var re *vigil.RowError
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ReadGold: %v, want a row error %q", err, tt.want)
			}
		})
	}
}
