package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/postgres/pgtest"
)

// TestBenchExport runs `vigil bench export` on small generated files of
// both formats: every format is exported end to end and by its writer
// alone with as many events as the import made, the writer alone writes
// the same bytes, and every file written parses with the right number of
// rows or features.
func TestBenchExport(t *testing.T) {
	for _, format := range []string{"acled", "ucdp"} {
		t.Run(format, func(t *testing.T) {
			checkBenchExport(t, format, 2000, nil)
		})
	}
	t.Run("formats", func(t *testing.T) {
		checkBenchExport(t, "acled", 300, []string{"csv", "geojson"})
	})
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "gtd", "--rows", "10"}, `--format "gtd": want acled or ucdp`},
		{[]string{"--rows", "0"}, `--rows 0: want at least 1`},
		{[]string{"--formats", "csv,xml"}, `--formats: "xml": want some of csv, geojson`},
	} {
		_, errOut, code := vigilRun(t, append([]string{"bench", "export"}, tt.args...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("bench export %s: exit %d, stderr %q; want %q", strings.Join(tt.args, " "), code, errOut, tt.want)
		}
	}
}

// TestBenchExportPostgres runs `vigil bench export` on PostgreSQL.
func TestBenchExportPostgres(t *testing.T) {
	checkBenchExport(t, "acled", 300, nil, "--db", pgtest.URL(t))
}

// checkBenchExport runs `vigil bench export` on a generated file of rows
// rows in format, measuring formats (nil: all), and checks what it prints
// and the files it writes.
func checkBenchExport(t *testing.T, format string, rows int, formats []string, args ...string) {
	t.Helper()
	header := map[string]string{"csv": "id", "ucdp-csv": "id", "acled-csv": "event_id_cnty"}
	// What each file holds, read while it exists: rows or features (-1
	// for STIX, checked only to be a bundle), by format.
	got := map[string][]int{}
	benchExportWritten = func(name, path string) {
		got[name] = append(got[name], countExported(t, name, header[name], path))
	}
	defer func() { benchExportWritten = nil }()
	r := strconv.Itoa(rows)
	args = append(args, "bench", "export", "--format", format, "--rows", r, "--sample", sample)
	if formats != nil {
		args = append(args, "--formats", strings.Join(formats, ","))
	} else {
		formats = benchExportFormats
	}
	out := mustRun(t, args...)

	m := regexp.MustCompile(`vigil import ` + format + `: \S+, \d+ rows/s \(new ` + r + `, rejected 0\); (\d+) events`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output lacks the import line:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 || n > rows {
		t.Fatalf("the import made %d events from %d rows", n, rows)
	}
	num := strconv.Itoa(n)
	for _, want := range []string{
		`generated ` + r + ` rows`,
		`peak resident memory of the import: \d+ MB`,
		`the store alone, ` + num + ` events read as the export reads them \(vigil\.EventPages\): \S+, \d+ events/s`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	detail := regexp.MustCompile(`the store alone, ` + num + ` events read as the export reads them \(vigil\.EventPages, with their reports, documents and sources\): \S+, \d+ events/s`)
	wantDetail := slices.ContainsFunc(formats, func(n string) bool { return exportFormats[n].detail })
	if detail.MatchString(out) != wantDetail {
		t.Errorf("output has the reading with reports: %v, want %v (formats %v):\n%s", !wantDetail, wantDetail, formats, out)
	}
	for _, name := range benchExportFormats {
		q := regexp.QuoteMeta(name)
		measured := slices.Contains(formats, name)
		for _, want := range []string{
			`(?m)^vigil export ` + q + `: ` + num + ` events, \S+, \d+ events/s, \d+ MB, peak resident \d+ MB$`,
			`(?m)^` + q + ` writer alone: ` + num + ` events, \S+, \d+ events/s; end to end took [\d.]+x as long \(-?\d+% of it not the writer's\); the same bytes as vigil export's$`,
		} {
			if regexp.MustCompile(want).MatchString(out) != measured {
				t.Errorf("output has %q: %v, want %v:\n%s", want, !measured, measured, out)
			}
		}
		var want []int
		switch {
		case !measured:
		case name == "stix":
			want = []int{-1, -1}
		default:
			want = []int{n, n}
		}
		if g := got[name]; !slices.Equal(g, want) {
			t.Errorf("%s: the files written (end to end, writer alone) hold %v, want %v", name, g, want)
		}
	}
}

// countExported reads an exported file: the data rows of a CSV whose
// first column is first, the features of a GeoJSON FeatureCollection, or
// -1 for a STIX bundle.
func countExported(t *testing.T, format, first, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switch format {
	case "geojson":
		var fc struct {
			Type     string            `json:"type"`
			Features []json.RawMessage `json:"features"`
		}
		if err := json.NewDecoder(f).Decode(&fc); err != nil || fc.Type != "FeatureCollection" {
			t.Errorf("%s: %v, type %q; want a FeatureCollection", path, err, fc.Type)
		}
		return len(fc.Features)
	case "stix":
		var b struct {
			Type    string            `json:"type"`
			Objects []json.RawMessage `json:"objects"`
		}
		if err := json.NewDecoder(f).Decode(&b); err != nil || b.Type != "bundle" || len(b.Objects) == 0 {
			t.Errorf("%s: %v, type %q, %d objects; want a bundle", path, err, b.Type, len(b.Objects))
		}
		return -1
	}
	r := csv.NewReader(f)
	h, err := r.Read()
	if err != nil || h[0] != first {
		t.Errorf("%s: header %q (%v); want it to begin with %s", path, h, err, first)
	}
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return n
		}
		n++
	}
}
