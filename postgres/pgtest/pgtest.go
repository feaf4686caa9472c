// Package pgtest gives tests a fresh, empty PostgreSQL schema on the
// server that VIGIL_TEST_POSTGRES names (scripts/need-postgres.sh starts
// one), and skips them, saying so, when there is none.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test server.
const Env = "VIGIL_TEST_POSTGRES"

// SkipMessage is what tests say when they skip for want of a server.
const SkipMessage = Env + " not set: start PostgreSQL with scripts/need-postgres.sh"

// URL returns the URL of a new schema of its own on the test server, with
// PostGIS's schema (public) after it on the search path, and drops the
// schema when the test ends. It skips the test when VIGIL_TEST_POSTGRES is
// unset.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(SkipMessage)
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", Env, err)
	}
	defer c.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := c.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("pgtest: connect to drop %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("pgtest: drop %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}
