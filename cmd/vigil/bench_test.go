package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestBenchImport runs `vigil bench import` on small generated files of
// both formats: every generated row is imported as new, and the driver's
// floors (a bare table, the data model's least tables), the rate, the CPU time and the memory are printed.
func TestBenchImport(t *testing.T) {
	for _, format := range []string{"ucdp", "acled"} {
		t.Run(format, func(t *testing.T) {
			out := mustRun(t, "bench", "import", "--format", format, "--rows", "300", "--sample", sample)
			for _, want := range []string{
				`generated 300 rows`,
				`through vigil's pure-Go SQLite driver: \S+, \d+ rows/s, CPU \d+ µs a row`,
				`the least the data model writes through that driver \(.*report.*\): \S+, \d+ rows/s, CPU \d+ µs a row`,
				`vigil import ` + format + `: \S+, \d+ rows/s \(new 300, rejected 0\)`,
				`CPU time of the import: [\d.]+ s \(\d+ µs a row\)`,
				`peak resident memory of the import: \d+ MB`,
			} {
				if !regexp.MustCompile(want).MatchString(out) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
	if _, errOut, code := vigilRun(t, "bench", "import", "--format", "gtd", "--rows", "10"); code == 0 || !strings.Contains(errOut, `"gtd"`) {
		t.Errorf("--format gtd: exit %d, stderr %q; want an error naming the format", code, errOut)
	}
}
