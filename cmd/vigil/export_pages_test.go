package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/sqlite"
)

// TestExportPagesReadAhead exports a generated store of more than three
// export pages (which vigil export reads several at once) in every format
// that reads no reports, through the CLI, and checks that each file holds
// the bytes the format's writer makes of one read of all the events: an
// event lost, doubled or out of order between pages fails it.
func TestExportPagesReadAhead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file, db := filepath.Join(dir, "acled.csv"), filepath.Join(dir, "v.db")
	rows := 3*exportPage + exportPage/2 + 7
	if err := bench.ACLEDFile(file, acled.Columns, rows); err != nil {
		t.Fatal(err)
	}
	vigilIn(t, db, "import", "acled", file)
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		args []string
		f    vigil.EventFilter
	}{
		{nil, vigil.EventFilter{}},
		{[]string{"--tlp", "GREEN"}, vigil.EventFilter{Clearance: vigil.TLPGreen}},
		{[]string{"--from", "2017-06-01"}, vigil.EventFilter{From: vigil.MustDate("2017-06-01")}},
	} {
		want, err := s.FindEventPage(ctx, c.f, vigil.OrderDate)
		if err != nil {
			t.Fatal(err)
		}
		if c.f.From.IsZero() && len(want) != rows {
			t.Fatalf("%v: %d events, want %d", c.args, len(want), rows)
		}
		if len(want) <= 3*exportPage {
			t.Fatalf("%v: %d events, want more than three pages of %d", c.args, len(want), exportPage)
		}
		for _, format := range []string{"csv", "geojson"} {
			var buf bytes.Buffer
			w := export.Formats[format](&buf)
			for _, e := range want {
				if err := w.Write(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out."+format)
			vigilIn(t, db, append(append([]string{"export", format}, c.args...), "--out", out)...)
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, buf.Bytes()) {
				t.Errorf("export %s %v: %d bytes, %s; want the %d bytes of one read of the %d events", format, c.args, len(got), firstDiff(string(got), buf.String()), buf.Len(), len(want))
			}
		}
	}
}
