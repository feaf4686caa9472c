package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
)

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Create the store (if needed) and load the actor dictionary into it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			d, err := a.loadDictionary(cmd.Context(), s)
			if err != nil {
				return err
			}
			path, _ := a.storePath()
			fmt.Fprintf(a.stdout, "store %s ready with %d actors and %d attribution rules\n", path, len(d.Actors), len(d.Rules))
			return nil
		},
	}
}

func newSourcesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "sources", Short: "List sources and their grades"}
	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List every source with its kind, the party it speaks for and its reliability",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			srcs, err := s.FindSources(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, srcs)
			}
			t := newTable(a.stdout, "ID", "SOURCE", "KIND", "SPEAKS FOR", "RELIABILITY")
			for _, src := range srcs {
				t.row(fmt.Sprint(src.ID), src.Name, string(src.Kind), src.SpeaksFor, string(src.Reliability)+" "+src.Reliability.Describe())
			}
			return t.flush()
		},
	}
	list.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.AddCommand(list)
	return cmd
}

func newActorsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "actors", Short: "List and load actors"}
	var format, name, at string
	list := &cobra.Command{
		Use:   "list",
		Short: "List actors with their kinds over time and their names",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			f := vigil.ActorFilter{Name: name}
			if at != "" {
				d, err := vigil.ParseDate(at)
				if err != nil {
					return fmt.Errorf("--at: %s", vigil.ErrorMessage(err))
				}
				f.At = d
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if _, err := a.loadDictionary(cmd.Context(), s); err != nil {
				return err
			}
			as, err := s.FindActors(cmd.Context(), f)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, as)
			}
			t := newTable(a.stdout, "ID", "NAME", "KIND", "PARENT", "NAMES")
			for _, act := range as {
				kind := string(act.Kind)
				if len(act.Periods) > 0 {
					var ps []string
					for _, p := range act.Periods {
						ps = append(ps, fmt.Sprintf("%s %s–%s", p.Kind, p.ValidFrom, p.ValidTo))
					}
					kind = strings.Join(ps, "; ")
				}
				var ns []string
				for _, n := range act.Names {
					ns = append(ns, n.Name)
				}
				t.row(act.ID, act.Name, kind, act.Parent, clip(strings.Join(ns, ", "), 70))
			}
			return t.flush()
		},
	}
	list.Flags().StringVar(&format, "format", "table", "output format: table or json")
	list.Flags().StringVar(&name, "name", "", "only actors with this name or alias")
	list.Flags().StringVar(&at, "at", "", "with --name: only names valid on this day (YYYY-MM-DD)")
	load := &cobra.Command{
		Use:   "import FILE",
		Short: "Load an actor dictionary (JSON, as data/actors.json) into the store",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			a.actorsPath = args[0]
			d, err := a.loadDictionary(cmd.Context(), s)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: %d actors loaded\n", args[0], len(d.Actors))
			return nil
		},
	}
	cmd.AddCommand(list, load)
	return cmd
}
