package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestPageSize: a new file gets pageSize and WAL; a file made before with
// another page size keeps it, opens and migrates; filePageSize reads both.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL", "CREATE TABLE before (x)"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	for _, tc := range []struct {
		path string
		want int
	}{
		{filepath.Join(dir, "new.db"), pageSize},
		{old, 4096},
	} {
		s, err := Open(ctx, tc.path)
		if err != nil {
			t.Fatal(err)
		}
		var size int
		var mode string
		if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if size != tc.want || mode != "wal" {
			t.Errorf("%s: page size %d, journal %s; want %d, wal", filepath.Base(tc.path), size, mode, tc.want)
		}
		if got := filePageSize(tc.path); got != tc.want {
			t.Errorf("filePageSize(%s) = %d, want %d", filepath.Base(tc.path), got, tc.want)
		}
		s.Close()
	}
	if got := filePageSize(filepath.Join(dir, "missing.db")); got != 4096 {
		t.Errorf("filePageSize of a missing file = %d, want 4096", got)
	}
}
