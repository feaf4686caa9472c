package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRun measures both drivers' floors on small generated files of both
// formats and the file read alone: each prints its rate and CPU a row.
func TestRun(t *testing.T) {
	sample := filepath.Join("..", "..", "testdata", "ucdp", "ucdp_ged231_sample.csv")
	for _, format := range []string{"ucdp", "acled"} {
		t.Run(format, func(t *testing.T) {
			var b strings.Builder
			if err := run(context.Background(), &b, format, sample, 300, 50000); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, want := range []string{
				`^300 generated ` + format + ` rows; at 50000 rows/s, \d+ processors leave a row \d+ µs of CPU in all, and one thread \(SQLite's one writer\) 20 µs`,
				`reading the file alone, as the floors read it: CPU [\d.]+ µs a row \(300 rows\)`,
				`modernc.org/sqlite \(vigil's\), bare table: \S+, \d+ rows/s, CPU \d+ µs a row`,
				`modernc.org/sqlite \(vigil's\), least of the data model: \S+, \d+ rows/s`,
				`github.com/ncruces/go-sqlite3, bare table: \S+, \d+ rows/s`,
				`github.com/ncruces/go-sqlite3, least of the data model: \S+, \d+ rows/s`,
			} {
				if !regexp.MustCompile(`(?m)` + want).MatchString(out) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
	if err := run(context.Background(), io.Discard, "gtd", sample, 10, 50000); err == nil || !strings.Contains(err.Error(), `"gtd"`) {
		t.Errorf("format gtd: %v, want an error naming it", err)
	}
}
