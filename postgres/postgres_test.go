package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

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

// TestFuseEvents: FuseEvents makes a stale stored fusion again.
func TestFuseEvents(t *testing.T) {
	u := pgtest.URL(t)
	s, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.FuseEvents(t, s, func(t *testing.T, from, to int64) {
		ctx := context.Background()
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `UPDATE events SET (date_start, date_end, country, admin1, admin1_name, event_type, data) =
			(SELECT date_start, date_end, country, admin1, admin1_name, event_type, data FROM events WHERE id = $1) WHERE id = $2`, from, to); err != nil {
			t.Fatal(err)
		}
	})
}
