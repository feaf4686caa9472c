package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	vigilhttp "github.com/vigil-osint/vigil/http"
)

func newUsersCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage the server's users and their API tokens",
		Long: `Manage who may sign in to vigil serve: each user has a role (viewer reads,
analyst also regrades sources and imports, admin also manages users and reads
the audit log) and a clearance on the TLP 2.0 scale (CLEAR, GREEN, AMBER,
AMBER+STRICT, RED) beyond which they see nothing, not even a count.
Every change is recorded in the audit log.`,
	}
	cmd.AddCommand(newUsersAddCmd(a), newUsersListCmd(a), newUsersSetCmd(a), newUsersTokenCmd(a), newUsersDisableCmd(a))
	return cmd
}

// readPassword reads one line from stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newUsersAddCmd(a *app) *cobra.Command {
	var role, clearance string
	var stdinPw bool
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a user and print their password once (or read it with --password-stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := vigil.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--role: %s", vigil.ErrorMessage(err))
			}
			c, err := vigil.ParseTLP(clearance)
			if err != nil {
				return fmt.Errorf("--clearance: %s", vigil.ErrorMessage(err))
			}
			var pw string
			if stdinPw {
				if pw, err = readPassword(a.stdin); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			s, err := a.openTeamStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			u := &vigil.User{Name: args[0], Role: r, Clearance: c}
			got, err := vigilhttp.AddUser(ctx, s, s, cliActor(), u, pw)
			if err != nil {
				return err
			}
			if stdinPw {
				fmt.Fprintf(a.stdout, "added %s (%s, cleared for %s)\n", u.Name, u.Role, u.Clearance)
			} else {
				fmt.Fprintf(a.stdout, "added %s (%s, cleared for %s); password (shown once): %s\n", u.Name, u.Role, u.Clearance, got)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "viewer", "viewer, analyst or admin")
	cmd.Flags().StringVar(&clearance, "clearance", "CLEAR", "TLP 2.0 clearance: CLEAR, GREEN, AMBER, AMBER+STRICT or RED")
	cmd.Flags().BoolVar(&stdinPw, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

func newUsersListCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users",
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
			us, err := s.FindUsers(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, us)
			}
			t := newTable(a.stdout, "ID", "NAME", "ROLE", "CLEARANCE", "STATUS", "CREATED")
			for _, u := range us {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				t.row(fmt.Sprint(u.ID), u.Name, string(u.Role), string(u.Clearance), status, u.CreatedAt.Format("2006-01-02"))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// findUser opens the store and finds the named user.
func (a *app) findUser(ctx context.Context, name string) (teamStore, *vigil.User, error) {
	s, err := a.openTeamStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.FindUserByName(ctx, name)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, u, nil
}

func newUsersSetCmd(a *app) *cobra.Command {
	var role, clearance string
	var enable, stdinPw bool
	cmd := &cobra.Command{
		Use:   "set NAME",
		Short: "Change a user's role, clearance or password, or enable them again",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, u, err := a.findUser(ctx, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			before, after := *u, *u
			if role != "" {
				if after.Role, err = vigil.ParseRole(role); err != nil {
					return fmt.Errorf("--role: %s", vigil.ErrorMessage(err))
				}
			}
			if clearance != "" {
				if after.Clearance, err = vigil.ParseTLP(clearance); err != nil {
					return fmt.Errorf("--clearance: %s", vigil.ErrorMessage(err))
				}
			}
			if enable {
				after.Disabled = false
			}
			if after != before {
				if err := vigilhttp.UpdateUser(ctx, s, s, cliActor(), &before, &after); err != nil {
					return err
				}
			}
			if stdinPw {
				pw, err := readPassword(a.stdin)
				if err != nil {
					return err
				}
				if err := vigilhttp.SetPassword(ctx, s, s, cliActor(), &after, pw); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.stdout, "%s: %s, cleared for %s\n", after.Name, after.Role, after.Clearance)
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "new role: viewer, analyst or admin")
	cmd.Flags().StringVar(&clearance, "clearance", "", "new TLP 2.0 clearance")
	cmd.Flags().BoolVar(&enable, "enable", false, "enable a disabled user")
	cmd.Flags().BoolVar(&stdinPw, "password-stdin", false, "set the password from the first line of stdin (ends their sessions)")
	return cmd
}

func newUsersDisableCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable a user: their sessions end and their tokens stop working",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, u, err := a.findUser(ctx, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			after := *u
			after.Disabled = true
			if err := vigilhttp.UpdateUser(ctx, s, s, cliActor(), u, &after); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s disabled\n", u.Name)
			return nil
		},
	}
}

func newUsersTokenCmd(a *app) *cobra.Command {
	var name string
	var expires time.Duration
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Make an API token for a user and print it once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, u, err := a.findUser(ctx, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			_, secret, err := vigilhttp.IssueToken(ctx, s, s, cliActor(), u.ID, name, expires)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, secret)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "cli", "what the token is for")
	cmd.Flags().DurationVar(&expires, "expires", 0, "lifetime, e.g. 720h (default: never expires)")
	return cmd
}
