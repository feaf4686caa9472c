package bench

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TempSchema makes a new, empty schema in the PostgreSQL database that
// dbURL names and returns the URL that puts it first on the search path
// (public, where PostGIS lives, after it), and a function that drops it.
func TempSchema(ctx context.Context, dbURL, prefix string) (string, func() error, error) {
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	defer c.Close(ctx)
	b := make([]byte, 4)
	rand.Read(b)
	schema := prefix + "_" + hex.EncodeToString(b)
	if _, err := c.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("bench: create schema: %w", err)
	}
	drop := func() error {
		c, err := pgx.Connect(context.WithoutCancel(ctx), dbURL)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer c.Close(context.WithoutCancel(ctx))
		_, err = c.Exec(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`)
		return err
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// PostgresCopy times PostgreSQL's own COPY of a CSV file into a bare table
// of text columns, in a schema of its own that it drops after: the floor
// for any importer into that server.
func PostgresCopy(ctx context.Context, dbURL, csvPath string) (time.Duration, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return 0, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		return 0, fmt.Errorf("bench: %s: header: %w", csvPath, err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return 0, fmt.Errorf("bench: %w", err)
	}
	u, drop, err := TempSchema(ctx, dbURL, "vigil_floor")
	if err != nil {
		return 0, err
	}
	defer drop()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		return 0, fmt.Errorf("bench: %w", err)
	}
	defer c.Close(ctx)
	cols := make([]string, len(header))
	for i := range header {
		cols[i] = fmt.Sprintf("c%d text", i)
	}
	if _, err := c.Exec(ctx, `CREATE TABLE ged (`+strings.Join(cols, ", ")+`)`); err != nil {
		return 0, fmt.Errorf("bench: %w", err)
	}
	start := time.Now()
	if _, err := c.PgConn().CopyFrom(ctx, f, `COPY ged FROM STDIN (FORMAT csv, HEADER true)`); err != nil {
		return 0, fmt.Errorf("bench: COPY: %w", err)
	}
	return time.Since(start), nil
}
