package vigil

import (
	"context"
	"io"
)

// DumpService writes everything a store holds, history included, and reads
// it back into an empty store. A dump is JSON Lines: a header line, then
// one line per row of each of the store's tables, tables by name and rows
// by key, so that dump → restore into an empty store → dump gives the same
// bytes. Stores that share the schema share the format, which is how a
// store moves from SQLite to PostgreSQL and back.
type DumpService interface {
	// Dump writes the store's content to w.
	Dump(ctx context.Context, w io.Writer) error
	// Restore reads a dump into the store, in one transaction. ECONFLICT
	// when the store already holds data, EINVALID when the dump is not one
	// or was made by a newer schema.
	Restore(ctx context.Context, r io.Reader) error
}

// DumpHeader is the first line of a dump.
type DumpHeader struct {
	Vigil  string `json:"vigil_dump"` // format version, "1"
	Schema int64  `json:"schema"`     // the migration version of the store that wrote it
}
