package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
)

func newAuditCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the audit log of changes",
		Long: `Every change (users, tokens, grades, imports through the server) is an entry in
an append-only audit log: who, when, what, before and after. Each entry holds
the SHA-256 of the one before, so that altering, removing or reordering
entries breaks the chain; vigil audit verify checks it.`,
	}
	cmd.AddCommand(newAuditVerifyCmd(a), newAuditListCmd(a))
	return cmd
}

func newAuditVerifyCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain",
		Long: `Check every entry's hash and its link to the one before. It prints the
number of entries and the last hash: keep that hash elsewhere, and a log cut
short after it shows too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.openTeamStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			n, err := vigil.VerifyAudit(ctx, s)
			if err != nil {
				return fmt.Errorf("audit log broken after %d good entries: %s", n, vigil.ErrorMessage(err))
			}
			last := "(none)"
			if n > 0 {
				es, err := s.FindAudit(ctx, vigil.AuditFilter{AfterSeq: n - 1, Limit: 1})
				if err != nil {
					return err
				}
				last = es[0].Hash
			}
			fmt.Fprintf(a.stdout, "audit log intact: %d entries, last hash %s\n", n, last)
			return nil
		},
	}
}

func newAuditListCmd(a *app) *cobra.Command {
	var (
		after  int64
		limit  int
		object string
		format string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List audit entries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			s, err := a.openTeamStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			es, err := s.FindAudit(cmd.Context(), vigil.AuditFilter{AfterSeq: after, Limit: limit, Object: object})
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, es)
			}
			t := newTable(a.stdout, "SEQ", "AT", "ACTOR", "ACTION", "OBJECT", "AFTER")
			for _, e := range es {
				t.row(fmt.Sprint(e.Seq), e.At.Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.Object, clip(string(e.After), 60))
			}
			return t.flush()
		},
	}
	cmd.Flags().Int64Var(&after, "after", 0, "entries after this sequence number")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many entries")
	cmd.Flags().StringVar(&object, "object", "", "entries about this object, e.g. user/3")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
