package http

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// failingAfter imports with the test importer, then fails as `vigil
// import`'s relationships do when a case file names a document it lacks.
type failingAfter struct{ *testImporter }

func (im failingAfter) Import(ctx context.Context, format, name string, opts UploadOptions, r io.Reader, progress func(vigil.Counts), warn io.Writer) (*vigil.Batch, error) {
	b, err := im.testImporter.Import(ctx, format, name, opts, r, progress, warn)
	if err != nil {
		return b, err
	}
	return b, fmt.Errorf("relationship iskp cooperation ttp: %w", vigil.Errorf(vigil.ENOTFOUND, "document %q of source %q", "amb-1", "Liaison"))
}

// TestJobErrorNamesWhatFailed: a failed upload's error keeps the chain that
// says what failed and why, not only the innermost message (which named a
// document but neither the relationship that needed it nor that it was
// missing).
func TestJobErrorNamesWhatFailed(t *testing.T) {
	dict, err := actors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(s *Server) { s.Importer = failingAfter{&testImporter{store: s.Store, dict: dict}} })
	jb := f.upload("analyst", "testdata/green-case.json")
	if jb.Status != vigil.BatchFailed {
		t.Fatalf("the upload ended %s, want failed", jb.Status)
	}
	want := `relationship iskp cooperation ttp: not found: document "amb-1" of source "Liaison"`
	if jb.Error != want {
		t.Errorf("the job's error is %q, want %q", jb.Error, want)
	}
	if strings.Contains(jb.Error, "vigil:") {
		t.Errorf("the job's error %q keeps Go's error prefix", jb.Error)
	}
}

// warningImporter imports as testImporter does and writes n warnings as
// vigil import writes them ("vigil: FILE:LINE: skipped: ..."), in pieces
// that split lines, as a buffered writer may.
type warningImporter struct {
	*testImporter
	n int
}

func (im warningImporter) Import(ctx context.Context, format, name string, opts UploadOptions, r io.Reader, progress func(vigil.Counts), warn io.Writer) (*vigil.Batch, error) {
	var all strings.Builder
	for i := range im.n {
		fmt.Fprintf(&all, "vigil: %s:%d: skipped: line %d\n", name, i+1, i+1)
	}
	s := all.String()
	for len(s) > 0 {
		n := min(len(s), 17)
		io.WriteString(warn, s[:n])
		s = s[n:]
	}
	return im.testImporter.Import(ctx, format, name, opts, r, progress, warn)
}

// TestJobWarnings: what an import writes for the uploader (the lines of a
// file it skipped) reaches the job, a warning a line, bounded; before, an
// upload's warnings were discarded and a file of 4 lines that imported 1
// said nothing of the other 3.
func TestJobWarnings(t *testing.T) {
	dict, err := actors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n, kept, omitted int
	}{{0, 0, 0}, {3, 3, 0}, {maxJobWarnings + 5, maxJobWarnings, 5}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			f := newFixture(t, func(s *Server) { s.Importer = warningImporter{&testImporter{store: s.Store, dict: dict}, tc.n} })
			jb := f.upload("analyst", "testdata/green-case.json")
			if jb.Status != vigil.BatchDone || len(jb.Warnings) != tc.kept || jb.WarningsOmitted != tc.omitted {
				t.Fatalf("job %s with %d warnings (%d omitted), want %d and %d", jb.Status, len(jb.Warnings), jb.WarningsOmitted, tc.kept, tc.omitted)
			}
			if tc.n > 0 && jb.Warnings[0] != "upload:green-case.json:1: skipped: line 1" {
				t.Errorf("first warning %q", jb.Warnings[0])
			}
		})
	}
}
