package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/analysis/brief"
	"github.com/vigil-osint/vigil/geo"
)

func newBriefCmd(a *app) *cobra.Command {
	var (
		fl     indicatorFlags
		out    string
		title  string
		detail int
	)
	cmd := &cobra.Command{
		Use:   "brief",
		Short: "Write a self-contained report of the indicators (HTML or Markdown) with charts and a map",
		Long: `Write the indicators of the selected events as one self-contained file:
HTML (--out brief.html) with its charts and map inline as SVG, or Markdown
(--out brief.md) with them as SVG data URIs. Every number links to the events
under it, and every event to its sources and their grades. The appendix shows
every event in full up to --detail events; beyond that, the events that are
evidence of first entries and of the farthest reach, and the rest by id.

The selection and comparison flags are those of vigil indicators.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ext := strings.ToLower(filepath.Ext(out))
			if out == "" || (ext != ".html" && ext != ".htm" && ext != ".md") {
				return fmt.Errorf("--out %q: want a file ending in .html or .md", out)
			}
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			sa, sb, err := fl.compute(ctx, s)
			if err != nil {
				return err
			}
			if sa.Ind.Total.Events == 0 || sb != nil && sb.Ind.Total.Events == 0 {
				a.noteUnknownActors(ctx, s, fl.ff.actor, fl.vsActor)
				a.noteUnknownUnits(splitList(fl.ff.admin1))
			}
			in := &brief.Input{Title: title, Selection: sa.Label, Command: commandLine(cmd), Generated: time.Now(), Ind: sa.Ind}
			if in.Title == "" {
				in.Title = "vigil brief: " + sa.Label
			}
			if sb != nil {
				in.Comparison = analysis.Compare(sa.Label, sa.Ind, sb.Label, sb.Ind)
			}
			if in.Events, in.Omitted, err = briefEvents(cmd, s, sa, detail); err != nil {
				return err
			}
			if g, err := geo.Default(); err == nil {
				in.Map = briefMap(g, sa)
			}
			var buf bytes.Buffer
			if ext == ".md" {
				err = brief.Markdown(&buf, in)
			} else {
				err = brief.HTML(&buf, in)
			}
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			fmt.Fprintf(a.stderr, "wrote %s: %d events, %d periods, %d warnings\n", out, sa.Ind.Total.Events, len(sa.Ind.Periods), len(sa.Ind.Warnings))
			return nil
		},
	}
	fl.add(cmd)
	cmd.Flags().StringVar(&out, "out", "", "file to write: .html or .md")
	cmd.Flags().StringVar(&title, "title", "", "title of the brief")
	cmd.Flags().IntVar(&detail, "detail", 2000, "show every event in full up to this many")
	return cmd
}

// commandLine rebuilds the command line from the flags that were set.
func commandLine(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		v := f.Value.String()
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			v = strings.Join(sv.GetSlice(), ",")
		}
		if f.Name == "db" {
			v = storeName(v) // a PostgreSQL URL's password stays out of the brief
		}
		parts = append(parts, "--"+f.Name+"="+v)
	})
	return strings.Join(parts, " ")
}

// briefEvents loads the events the appendix shows in full: all of them up
// to limit, else those that are the evidence of first entries and of the
// farthest reach.
func briefEvents(cmd *cobra.Command, s vigil.Store, sel *selection, limit int) (map[int64]*vigil.Event, string, error) {
	ctx := cmd.Context()
	out := map[int64]*vigil.Event{}
	ind := sel.Ind
	note := ""
	if !sel.AsOf.IsZero() {
		note = "The figures are as known on " + sel.AsOf.UTC().Format("2006-01-02 15:04 MST") + "; the events below show their values and sources as known now. "
	}
	if ind.Total.Events <= limit {
		f := sel.Filter
		f.From, f.To = ind.From, ind.To
		evs, _, err := s.FindEvents(ctx, f)
		if err != nil {
			return nil, "", err
		}
		want := map[int64]bool{}
		for _, id := range ind.Total.EventIDs {
			want[id] = true
		}
		for _, e := range evs {
			if want[e.ID] {
				out[e.ID] = e
			}
		}
		if len(out) < ind.Total.Events {
			note += fmt.Sprintf("%d of the %d events are no longer in the store as such (merged or removed since) and are listed by id only.", ind.Total.Events-len(out), ind.Total.Events)
		}
		return out, note, nil
	}
	var ids []int64
	for _, p := range append(ind.Periods, ind.Total) {
		for _, e := range p.NewAdmin1Units {
			ids = append(ids, e.EventID)
		}
		if p.Farthest != nil {
			ids = append(ids, p.Farthest.EventID)
		}
	}
	for _, id := range ids {
		if out[id] != nil || len(out) >= limit {
			continue
		}
		e, err := s.FindEventByID(ctx, id)
		if vigil.ErrorCode(err) == vigil.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, "", err
		}
		e.Reports = nil
		out[id] = e
	}
	note += fmt.Sprintf("%d events are more than --detail %d: shown in full are the %d that are evidence of first entries and of the farthest reach; `vigil events show ID` shows any other.", ind.Total.Events, limit, len(out))
	return out, note, nil
}

// briefMap draws the map of the selection's events on the shipped
// admin-1 boundaries.
func briefMap(g *geo.Gazetteer, sel *selection) []byte {
	shapes := g.Admin1Shapes()
	byName := map[string]string{}
	codes := map[string]bool{}
	for _, sh := range shapes {
		codes[sh.Key] = true
		byName[sh.Key[:2]+"/"+foldUnit(sh.Name)] = sh.Key
	}
	counts := map[string]int{}
	for _, u := range sel.Ind.Total.Admin1List {
		k := strings.ToUpper(u.Key)
		if !codes[k] {
			k = byName[u.Country+"/"+foldUnit(u.Key)]
			if k == "" {
				k = byName[u.Country+"/"+foldUnit(u.Name)]
			}
		}
		if k != "" {
			counts[k] += u.Events
		}
	}
	return brief.Map(brief.MapInput{Countries: g.CountryShapes(), Admin1: shapes, Facts: sel.Facts, Counts: counts,
		Home: sel.Ind.Home, Title: "Events of " + sel.Label, From: sel.Ind.From, To: sel.Ind.To})
}

func foldUnit(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, suf := range []string{" province", " governorate", " region", " oblast", " state"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}
