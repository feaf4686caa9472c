package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/postgres"
	"github.com/vigil-osint/vigil/postgres/pgtest"
	"github.com/vigil-osint/vigil/sqlite"
	"github.com/vigil-osint/vigil/storetest"
)

// open returns a store on a fresh schema of the test server.
func open(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the suite every store passes.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vigil.Store { return open(t) })
}

// TestSameAsSQLite stores the same random runs of documents, revisions and
// retractions in PostgreSQL and in the embedded SQLite store: both must
// hold the same events, fused values and histories.
func TestSameAsSQLite(t *testing.T) {
	storetest.Differential(t, func(t *testing.T) vigil.Store { return open(t) }, func(t *testing.T) vigil.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// Two handles of one schema, as two servers open it, share the edit lock.
func TestEditLocks(t *testing.T) {
	url := pgtest.URL(t)
	var handles [2]*postgres.Store
	for i := range handles {
		s, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		handles[i] = s
	}
	storetest.EditLocks(t, handles[0], handles[1])
}
