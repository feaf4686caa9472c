package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil/sqlite"
	"github.com/vigil-osint/vigil/storetest"
)

// Two handles of one file, as two processes open it, share the edit lock.
func TestEditLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	var handles [2]*sqlite.Store
	for i := range handles {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		handles[i] = s
	}
	storetest.EditLocks(t, handles[0], handles[1])
}
