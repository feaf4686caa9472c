package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newDumpCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "dump --out FILE",
		Short: "Write everything the store holds, history included, as JSON Lines",
		Long: `Write everything the store holds — sources, actors, documents and reports with
every superseded version, events, batches, and every other table — as JSON Lines
(a header line, then one line per row). vigil restore reads it back into an empty
store; dumping the restored store gives the same bytes. --out - writes to
standard output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if out == "-" {
				return s.Dump(cmd.Context(), a.stdout)
			}
			// Write beside the target and rename, so a failed dump never
			// leaves half a file under the name asked for.
			tmp, err := os.CreateTemp(filepath.Dir(out), ".vigil-dump-*")
			if err != nil {
				return outError(out, err)
			}
			defer os.Remove(tmp.Name())
			if err := s.Dump(cmd.Context(), tmp); err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Close(); err != nil {
				return err
			}
			return os.Rename(tmp.Name(), out)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (- for standard output)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func newRestoreCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Read a dump into an empty store (- reads standard input)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = a.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Restore(cmd.Context(), in); err != nil {
				return err
			}
			path, _ := a.storePath()
			fmt.Fprintf(a.stdout, "restored %s into %s\n", args[0], storeName(path))
			return nil
		},
	}
}
