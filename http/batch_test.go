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

func (im failingAfter) Import(ctx context.Context, format, name string, opts UploadOptions, r io.Reader, progress func(vigil.Counts)) (*vigil.Batch, error) {
	b, err := im.testImporter.Import(ctx, format, name, opts, r, progress)
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
