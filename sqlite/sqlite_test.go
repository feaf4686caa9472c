package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/sqlite"
	"github.com/vigil-osint/vigil/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vigil.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
