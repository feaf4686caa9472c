package sqlite_test

import (
	"context"
	"database/sql"
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

// TestFuseEvents: FuseEvents makes a stale stored fusion again.
func TestFuseEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.FuseEvents(t, s, func(t *testing.T, from, to int64) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE events SET (date_start, date_end, country, admin1, admin1_name, event_type, data) =
			(SELECT date_start, date_end, country, admin1, admin1_name, event_type, data FROM events WHERE id = ?) WHERE id = ?`, from, to); err != nil {
			t.Fatal(err)
		}
	})
}
