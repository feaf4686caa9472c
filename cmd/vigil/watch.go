package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/watch"
)

// webhookSecretEnv names the environment variable that holds the secret
// webhook deliveries are signed with. It is read when alerts are
// delivered and never stored.
const webhookSecretEnv = "VIGIL_WEBHOOK_SECRET"

// deliverer returns the webhook deliverer, or nil when no secret is set.
func deliverer() *watch.Deliverer {
	sec := os.Getenv(webhookSecretEnv)
	if sec == "" {
		return nil
	}
	return &watch.Deliverer{Secret: []byte(sec)}
}

// afterImport runs what follows data landing: the ACH cases' indicator
// items are evaluated again, the watch rules run, and pending alerts are
// delivered. Its failures are reported, not returned: the import itself
// succeeded.
func (a *app) afterImport(ctx context.Context, s vigil.Store) {
	ws, ok := s.(watch.Store)
	if !ok {
		return
	}
	landed, err := watch.AfterIngest(ctx, ws, deliverer())
	if landed != nil {
		reportLanded(a.stderr, landed)
	}
	if err != nil {
		fmt.Fprintln(a.stderr, "warning: after import:", err)
	}
}

func reportLanded(w io.Writer, l *watch.Landed) {
	for _, r := range l.Refreshed {
		if len(r.Changed) > 0 || r.RankingChanged {
			printRefreshed(w, r)
		}
	}
	for _, al := range l.Alerts {
		fmt.Fprintf(w, "alert %d [%s]: %s\n", al.ID, al.RuleName, al.Message)
	}
	if l.Delivered > 0 {
		fmt.Fprintf(w, "delivered %d alerts\n", l.Delivered)
	}
	if l.DeliveryErr != nil {
		fmt.Fprintln(w, "warning: deliveries failed (they stay pending):", l.DeliveryErr)
	}
}

func newWatchCmd(a *app) *cobra.Command {
	var format string
	var limit int
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "List alerts raised by the standing rules (see watch add, watch run)",
		Long: `Standing questions asked each time data lands (after every vigil import, or with
vigil watch run): has an actor struck a new country or admin-1 unit (new-unit),
do its events in the latest window run above its baseline by an exact Poisson
test of the rate ratio (tempo), has a new contradiction appeared above a
threshold (contradiction), has an ACH case's ranking changed (ach-ranking).

A rule's first run records what is already there and raises nothing. Alerts
are kept and listed here; a rule with --webhook has them POSTed as JSON, signed
with HMAC-SHA256 under the secret in $VIGIL_WEBHOOK_SECRET (header
X-Vigil-Signature: sha256=HMAC(secret, timestamp + "." + body), with the
timestamp in X-Vigil-Timestamp), retried with backoff; alerts not delivered
stay pending and are tried again next run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			ws, done, err := a.watchStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			as, err := ws.FindAlerts(cmd.Context(), vigil.AlertFilter{Limit: limit})
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, as)
			}
			t := newTable(a.stdout, "ID", "RAISED", "RULE", "DELIVERED", "MESSAGE")
			for _, al := range as {
				d := "-"
				switch {
				case al.Delivered:
					d = "yes"
				case al.Webhook != "":
					d = fmt.Sprintf("pending (%d tries)", al.Attempts)
				}
				t.row(strconv.FormatInt(al.ID, 10), al.RaisedAt.Format("2006-01-02 15:04"), al.RuleName, d, clip(al.Message, 110))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many alerts, newest first (0: all)")
	cmd.AddCommand(newWatchAddCmd(a), newWatchRulesCmd(a), newWatchRemoveCmd(a), newWatchRunCmd(a))
	return cmd
}

func (a *app) watchStore(ctx context.Context) (watch.Store, func(), error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	ws, ok := s.(watch.Store)
	if !ok {
		s.Close()
		return nil, nil, fmt.Errorf("the store %T keeps no watch rules", s)
	}
	return ws, func() { s.Close() }, nil
}

func newWatchAddCmd(a *app) *cobra.Command {
	var r vigil.WatchRule
	var kind string
	cmd := &cobra.Command{
		Use:   "add NAME --kind new-unit|tempo|contradiction|ach-ranking",
		Short: "Add a standing rule, armed on the data as it stands",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.Name, r.Kind = args[0], vigil.WatchKind(kind)
			ws, done, err := a.watchStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			if err := r.Validate(); err != nil {
				return err
			}
			// A rule on a case that is not there would fail every run.
			if r.Kind == vigil.WatchACHRanking {
				if _, err := ws.FindACHCase(cmd.Context(), r.Case); err != nil {
					return fmt.Errorf("--case: %w", err)
				}
			}
			if r.Actor != "" {
				if _, n, err := ws.FindEvents(cmd.Context(), vigil.EventFilter{Actor: r.Actor, Limit: 1}); err == nil && n == 0 {
					fmt.Fprintf(a.stderr, "note: no event names %q yet (vigil actors list); the rule watches for the first\n", r.Actor)
				}
			}
			if err := ws.CreateWatchRule(cmd.Context(), &r); err != nil {
				return err
			}
			// Arm it now, so that the next import alerts on what is new;
			// a rule that cannot be armed is not kept.
			if err := watch.Arm(cmd.Context(), ws, &r); err != nil {
				if derr := ws.DeleteWatchRule(cmd.Context(), r.ID); derr != nil {
					return errors.Join(err, derr)
				}
				return err
			}
			fmt.Fprintf(a.stdout, "rule %d %s added and armed\n", r.ID, r.Name)
			if r.Webhook != "" && os.Getenv(webhookSecretEnv) == "" {
				fmt.Fprintf(a.stderr, "note: set %s to deliver to the webhook; alerts stay pending until then\n", webhookSecretEnv)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "new-unit, tempo, contradiction or ach-ranking")
	cmd.Flags().StringVar(&r.Actor, "actor", "", "the actor watched (any alias)")
	cmd.Flags().StringVar(&r.Case, "case", "", "the ACH case (ach-ranking)")
	cmd.Flags().IntVar(&r.WindowDays, "window", 0, fmt.Sprintf("tempo: days of the latest window (default %d)", watch.DefaultWindowDays))
	cmd.Flags().IntVar(&r.BaselineDays, "baseline", 0, fmt.Sprintf("tempo: days of the baseline before it (default %d)", watch.DefaultBaselineDays))
	cmd.Flags().Float64Var(&r.Threshold, "threshold", 0, fmt.Sprintf("contradiction: least ratio of highest to lowest toll (default %g)", watch.DefaultThreshold))
	cmd.Flags().StringVar(&r.Webhook, "webhook", "", "URL to POST alerts to")
	return cmd
}

func newWatchRulesCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the standing rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			ws, done, err := a.watchStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			rs, err := ws.FindWatchRules(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, rs)
			}
			t := newTable(a.stdout, "ID", "NAME", "KIND", "WATCHES", "SETTINGS", "WEBHOOK")
			for _, r := range rs {
				what := r.Actor
				if r.Kind == vigil.WatchACHRanking {
					what = "case " + r.Case
				}
				t.row(strconv.FormatInt(r.ID, 10), r.Name, string(r.Kind), what, ruleSettings(r), r.Webhook)
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

// ruleSettings says what a rule's window, baseline or threshold are,
// defaults filled in as the rule runs with them, so that a rule added with
// --window 0 shows the 90 days it watches.
func ruleSettings(r *vigil.WatchRule) string {
	switch r.Kind {
	case vigil.WatchTempo:
		w, b := r.WindowDays, r.BaselineDays
		if w == 0 {
			w = watch.DefaultWindowDays
		}
		if b == 0 {
			b = watch.DefaultBaselineDays
		}
		return fmt.Sprintf("window %d days, baseline %d", w, b)
	case vigil.WatchContradiction:
		th := r.Threshold
		if th == 0 {
			th = watch.DefaultThreshold
		}
		return fmt.Sprintf("tolls ×%g apart", th)
	}
	return ""
}

func newWatchRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a rule (its alerts stay)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id < 1 {
				return fmt.Errorf("rule id %q: want the number vigil watch rules shows", args[0])
			}
			ws, done, err := a.watchStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			return ws.DeleteWatchRule(cmd.Context(), id)
		},
	}
}

func newWatchRunCmd(a *app) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Evaluate the ACH indicators and every rule now, and deliver pending alerts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			ws, done, err := a.watchStore(ctx)
			if err != nil {
				return err
			}
			defer done()
			d := deliverer()
			// A failing rule does not keep the others' alerts from being
			// shown; its error comes last.
			landed, runErr := watch.AfterIngest(ctx, ws, d)
			reportLanded(a.stdout, landed)
			fmt.Fprintf(a.stdout, "%d alerts raised\n", len(landed.Alerts))
			if d == nil {
				if pending, _ := ws.FindAlerts(ctx, vigil.AlertFilter{Undelivered: true}); len(pending) > 0 {
					fmt.Fprintf(a.stderr, "note: %d alerts wait for a webhook delivery; set %s\n", len(pending), webhookSecretEnv)
				}
			}
			return runErr
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "give up on deliveries after this long")
	return cmd
}
