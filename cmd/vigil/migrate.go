package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/postgres"
	"github.com/vigil-osint/vigil/sqlite"
)

// openStoreAt opens the store at path: a postgres:// (or postgresql://)
// URL opens the PostgreSQL store, anything else is a SQLite file.
func openStoreAt(ctx context.Context, path string) (vigil.Store, error) {
	if postgres.IsURL(path) {
		return postgres.Open(ctx, path)
	}
	return sqlite.Open(ctx, path)
}

// storeName is how messages name a store: a URL without its password.
func storeName(path string) string {
	if postgres.IsURL(path) {
		return postgres.Redact(path)
	}
	return path
}

func newMigrateStoreCmd(a *app) *cobra.Command {
	var from, to string
	var verify bool
	cmd := &cobra.Command{
		Use:   "migrate-store --from STORE --to STORE",
		Short: "Copy a whole store into an empty one, SQLite or PostgreSQL, and prove nothing was lost",
		Long: `Copy everything a store holds — history, users, the audit log, linkage decisions,
ACH cases, every table — into an empty store, through the dump format (vigil dump).
Either store may be a SQLite file or a postgres:// URL, so a laptop's store moves
to a team's server and back:

  vigil migrate-store --from iskp.db --to postgres://vigil@db.example/vigil
  vigil migrate-store --from postgres://vigil@db.example/vigil --to copy.db

The target must be empty; it is filled in one transaction, so a failed copy
leaves it empty. Then both stores are dumped again and their SHA-256 compared:
the copy is lossless when they are equal (--verify=false skips this).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if from == to {
				return fmt.Errorf("migrate-store: --from and --to name the same store")
			}
			if err := storeExists(from); err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			src, err := openStoreAt(ctx, from)
			if err != nil {
				return err
			}
			defer src.Close()
			dst, err := openStoreAt(ctx, to)
			if err != nil {
				return err
			}
			defer dst.Close()
			sum, n, err := migrateStore(ctx, src, dst)
			if err != nil {
				return fmt.Errorf("migrate-store %s → %s: %w", storeName(from), storeName(to), err)
			}
			fmt.Fprintf(a.stdout, "copied %s (%d dump lines) into %s\n", storeName(from), n, storeName(to))
			if !verify {
				return nil
			}
			again, _, err := dumpSum(ctx, dst)
			if err != nil {
				return err
			}
			if !bytes.Equal(sum, again) {
				return fmt.Errorf("migrate-store: the copy's dump differs from the original's (sha256 %x vs %x)", again, sum)
			}
			fmt.Fprintf(a.stdout, "verified: both stores dump to the same bytes (sha256 %x)\n", sum)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the store to copy: a SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the empty store to fill: a SQLite file or a postgres:// URL")
	cmd.Flags().BoolVar(&verify, "verify", true, "dump the copy again and compare it with the original")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("to")
	return cmd
}

// migrateStore streams src's dump into dst's restore and returns the
// dump's SHA-256 and line count.
func migrateStore(ctx context.Context, src, dst vigil.Store) ([]byte, int, error) {
	pr, pw := io.Pipe()
	h := &lineHash{h: sha256.New()}
	done := make(chan error, 1)
	go func() {
		err := src.Dump(ctx, io.MultiWriter(pw, h))
		pw.CloseWithError(err)
		done <- err
	}()
	err := dst.Restore(ctx, pr)
	pr.CloseWithError(io.ErrClosedPipe) // unblocks the dump if restore stopped early
	if derr := <-done; derr != nil && err == nil {
		err = derr
	}
	if err != nil {
		return nil, 0, err
	}
	return h.h.Sum(nil), h.lines, nil
}

// dumpSum returns the SHA-256 of a store's dump and its line count.
func dumpSum(ctx context.Context, s vigil.Store) ([]byte, int, error) {
	h := &lineHash{h: sha256.New()}
	if err := s.Dump(ctx, h); err != nil {
		return nil, 0, err
	}
	return h.h.Sum(nil), h.lines, nil
}

// lineHash hashes what is written to it and counts its lines.
type lineHash struct {
	h     hash.Hash
	lines int
}

func (l *lineHash) Write(p []byte) (int, error) {
	l.lines += bytes.Count(p, []byte{'\n'})
	return l.h.Write(p)
}
