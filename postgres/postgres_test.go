package postgres_test

import (
	"context"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/postgres"
	"github.com/vigil-osint/vigil/postgres/pgtest"
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
