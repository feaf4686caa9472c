package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestImportFolder: a folder given to an import of tables or case files is
// refused saying so (only import text reads folders); before, the error
// was "reading header: read DIR: is a directory".
func TestImportFolder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	for _, format := range []string{"ucdp", "acled", "gtd", "wikilist", "case", "stix"} {
		t.Run(format, func(t *testing.T) {
			_, errOut, code := vigilRun(t, "--db", db, "import", format, dir)
			if want := dir + " is a folder: give the files in it"; code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, want)
			}
		})
	}
}
