package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/vigil-osint/vigil/actors"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
)

// app carries what every subcommand shares: the streams and the global flags.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	dbPath string
	// actorsPath names an actor dictionary to use instead of the shipped one.
	actorsPath string
	// loadActors: --actors was given, so every store the command opens
	// takes the dictionary's actors first (see openStore); dict caches the
	// dictionary loaded from dictPath into dictStore.
	loadActors bool
	dict       *actors.Dictionary
	dictStore  vigil.Store
	dictPath   string
	// mayCreate: the command may make a new store (see createsStore).
	mayCreate bool
}

// createsStore names the commands (by their path under vigil, or their
// first word) that may make a new store. The others refuse a store that is
// not there, so that a mistyped --db is an error rather than a new, empty
// store that reads as "0 events".
var createsStore = map[string]bool{
	"init": true, "import": true, "demo": true, "restore": true, "serve": true, "worker": true,
	"enqueue": true, "bench": true, "users add": true, "actors import": true, "ach import": true,
	"ach create": true, "link bench": true,
	// These load the actor dictionary into the store, as init does, and
	// answer from it.
	"actors resolve": true, "actors list": true,
}

// run executes the command line and returns the process exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "vigil:", errorText(err))
	return exitCode(err)
}

// negativeArg matches pflag's complaint about a negative number taken
// for a cluster of short flags ("unknown shorthand flag: '3' in -33.9").
var negativeArg = regexp.MustCompile(`^unknown shorthand flag: '.' in (-[0-9][0-9.]*)$`)

// errorText is err's message for the terminal: a domain error reads as its
// message (what was not found says so), without the "vigil: code:" prefix
// its Error method adds (the line already starts with "vigil:"), wherever
// it sits in the chain of wrapped errors.
func errorText(err error) string {
	msg := err.Error()
	if m := negativeArg.FindStringSubmatch(msg); m != nil {
		// A negative number read as flags: say how to pass it.
		return msg + fmt.Sprintf(" (a negative number is read as a flag: put the arguments after --, e.g. vigil where -- %s 18.4)", m[1])
	}
	if ve := (*vigil.Error)(nil); errors.As(err, &ve) {
		m := ve.Message
		if ve.Code == vigil.ENOTFOUND && !strings.Contains(m, "not found") && !strings.HasPrefix(m, "no ") {
			m += " not found"
		}
		msg = strings.Replace(msg, ve.Error(), m, 1)
	}
	return msg
}

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "vigil",
		Short:         "An evidence-graded monitor of violent non-state armed groups",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
			top, _, _ := strings.Cut(path, " ")
			a.mayCreate = createsStore[path] || createsStore[top]
			// restore wants an empty store; the dictionary comes after.
			a.loadActors = cmd.Flags().Changed("actors") && path != "restore"
		},
	}
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "store to use: a SQLite file path or a postgres:// URL (default $VIGIL_DB, else vigil.db in the user data directory)")
	root.PersistentFlags().StringVar(&a.actorsPath, "actors", "", "actor dictionary to use instead of the shipped one (JSON, see data/actors.json)")
	root.AddCommand(
		newInitCmd(a),
		newImportCmd(a),
		newImportsCmd(a),
		newExportCmd(a),
		newDumpCmd(a),
		newRestoreCmd(a),
		newMigrateStoreCmd(a),
		newWorkerCmd(a),
		newEnqueueCmd(a),
		newEventsCmd(a),
		newSourcesCmd(a),
		newActorsCmd(a),
		newDemoCmd(a),
		newBenchCmd(a),
		newEvalCmd(a),
		newGeocodeCmd(a),
		newWhereCmd(a),
		newIndicatorsCmd(a),
		newBriefCmd(a),
		newLinkCmd(a),
		newReviewCmd(a),
		newServeCmd(a),
		newUsersCmd(a),
		newAuditCmd(a),
		newACHCmd(a),
		newWatchCmd(a),
		newExtractCmd(a),
	)
	refuseUnknownSubcommands(root)
	return root
}

// refuseUnknownSubcommands makes every command that only groups others
// (events, import, review, …) refuse an argument that names none of them:
// cobra would print the group's help and exit 0, so that "vigil import ucpd
// f.csv" looked like success to a script. Without arguments the group
// still prints its help.
func refuseUnknownSubcommands(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		refuseUnknownSubcommands(c)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() || !cmd.HasParent() {
		return
	}
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return fmt.Errorf("unknown command %q for %q: want one of %s", args[0], cmd.CommandPath(), strings.Join(names, ", "))
	}
}

// newEvalCmd groups the evaluations of vigil's components against gold data.
func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate a component of vigil against gold data",
	}
	cmd.AddCommand(newEvalGeocodeCmd(a))
	cmd.AddCommand(newEvalLinkCmd(a))
	cmd.AddCommand(newEvalExtractCmd(a))
	return cmd
}
