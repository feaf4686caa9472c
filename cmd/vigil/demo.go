package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/link"
)

// demoFiles are the embedded files the demo loads, in order, each read
// as the named import format reads it (the UCDP release from the name).
var demoFiles = []struct{ name, format string }{
	{"demo/ucdp_ged231_region.csv", "ucdp"},
	{"demo/iskp-case.json", "case"},
	{"demo/wikipedia_terrorist_incidents_2015_2019_region.csv", "wikilist"},
	{"demo/wikipedia_terrorist_incidents_2016q4_region.csv", "wikilist"},
}

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Load the ISKP demo case into a store and print a brief",
		Long: `Load vigil's demo case into the store that --db names, or into a fresh
temporary one, and print a brief: ISKP's events by country and year with killed
as ranges, the sources behind them with their grades, and the contradictions.

The case holds the region's rows of the shipped UCDP GED sample, the incidents
of 2021-2024 each entered as the reports of its holders (officials, the group's
own claim, press counts), the Ahmadzai analysis and the stances it reports, and
ISKP's own Voice of Khurasan tally of September 2022, and the 1,232 incidents of
2015-2019 in the region that Wikipedia's lists of terrorist incidents record
(CC BY-SA 3.0), geocoded, with perpetrators through the actor dictionary.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if a.dbPath == "" && os.Getenv("VIGIL_DB") == "" {
				dir, err := os.MkdirTemp("", "vigil-demo-")
				if err != nil {
					return err
				}
				a.dbPath = filepath.Join(dir, "vigil.db")
			}
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := loadDemo(ctx, a, s); err != nil {
				return err
			}
			if err := writeBrief(ctx, a.stdout, s, "ISKP"); err != nil {
				return err
			}
			path, _ := a.storePath()
			path = storeName(path) // no PostgreSQL password on the terminal
			fmt.Fprintf(a.stdout, "\nThe demo store is %s. Explore it:\n  vigil --db %s events list --actor ISKP\n  vigil --db %s events show ID\n", path, path, path)
			fmt.Fprintf(a.stdout, "  vigil --db %s actors composition ISKP\n  vigil --db %s actors graph --from 2018-01-01 --to 2020-12-31 --compare 2021-08-15..2024-12-31\n", path, path)
			return nil
		},
	}
}

// loadDemo imports the embedded demo files, each as a batch.
func loadDemo(ctx context.Context, a *app, s vigil.Store) error {
	dict, err := a.loadDictionary(ctx, s)
	if err != nil {
		return err
	}
	place, err := placeHook()
	if err != nil {
		return err
	}
	for _, f := range demoFiles {
		fh, err := data.Files.Open(f.name)
		if err != nil {
			return err
		}
		name := "embedded:" + f.name
		r, err := importFormats[f.format].open(fh, name, &importOptions{}, dict)
		if err != nil {
			fh.Close()
			return err
		}
		b := &vigil.Batch{Format: "demo", File: name}
		err = runReader(ctx, s, b, r, ingest.Options{Place: place})
		fh.Close()
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		c := b.Counts
		fmt.Fprintf(a.stderr, "loaded %s: %d records (%d new, %d unchanged)\n", f.name, c.Read, c.New, c.Unchanged)
	}
	// One incident told by UCDP, by Wikipedia's list and by the case file
	// is one event: link before the brief counts anything.
	if ls, ok := s.(vigil.LinkService); ok {
		st, err := link.Run(ctx, ls, defaultLinkConfig(dict), "vigil demo")
		if err != nil {
			return fmt.Errorf("demo: linkage: %w", err)
		}
		fmt.Fprintf(a.stderr, "linked: %d new reports, %d links made, %d left for review (vigil review list)\n", st.Pending, st.Accepted, st.Review)
	}
	return loadDemoACH(ctx, a, s)
}

// writeBrief prints an actor's events by country and year with killed as
// ranges, the sources behind them, and the contradictions among them.
func writeBrief(ctx context.Context, w io.Writer, s vigil.Store, actor string) error {
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{Actor: actor})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d events\n\n", actor, len(evs))
	type cell struct {
		events           int
		low, best, high  int
		unknown          int // events that give no killed figure at all
		unknownHigh, ids []int64
	}
	cells := map[[2]string]*cell{}
	for _, e := range evs {
		k := [2]string{e.Country, fmt.Sprint(e.DateStart.Time().Year())}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		}
		c.events++
		c.ids = append(c.ids, e.ID)
		// An event with no figure is counted apart, never as zero; the
		// parts an event leaves out are filled from those it gives (as
		// the indicators do), so that low ≤ best ≤ high, and an open high
		// is marked.
		kl := e.Killed.Compact()
		if kl.Low < 0 && kl.Best < 0 && kl.High < 0 {
			c.unknown++
			continue
		}
		best := kl.Best
		if best < 0 { // the least figure given
			best = kl.High
			if kl.Low >= 0 {
				best = kl.Low
			}
		}
		low, high := best, best
		if kl.Low >= 0 {
			low = min(kl.Low, best)
		}
		if kl.High >= 0 {
			high = max(kl.High, best)
		} else {
			c.unknownHigh = append(c.unknownHigh, e.ID)
		}
		c.low, c.best, c.high = c.low+int(low), c.best+int(best), c.high+int(high)
	}
	keys := make([][2]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	fmt.Fprintln(w, "Events and killed by country and year (killed: best, with the sum of lows and highs;")
	fmt.Fprintln(w, "a + marks a high that some event leaves open; +N? counts events that give no figure):")
	t := newTable(w, "COUNTRY", "YEAR", "EVENTS", "KILLED", "EVENT IDS")
	for _, k := range keys {
		c := cells[k]
		open := ""
		if len(c.unknownHigh) > 0 {
			open = "+"
		}
		var ids []string
		for _, id := range c.ids {
			ids = append(ids, fmt.Sprint(id))
		}
		killed := fmt.Sprintf("%d (%d–%d%s)", c.best, c.low, c.high, open)
		switch {
		case c.unknown == c.events:
			killed = "?"
		case c.unknown > 0:
			killed += fmt.Sprintf(" +%d?", c.unknown)
		}
		t.row(k[0], k[1], fmt.Sprint(c.events), killed, clip(strings.Join(ids, ","), 40))
	}
	if err := t.flush(); err != nil {
		return err
	}

	type srcUse struct {
		src    vigil.EventSource
		events int
	}
	uses := map[string]*srcUse{}
	var contradictions []string
	for _, e := range evs {
		for _, src := range e.Sources {
			u := uses[src.Name]
			if u == nil {
				u = &srcUse{src: src}
				uses[src.Name] = u
			}
			u.events++
		}
		for _, c := range e.Contradictions {
			contradictions = append(contradictions, fmt.Sprintf("event %d (%s, %s): %s", e.ID, e.DateStart, e.Name, c.Description))
		}
	}
	names := make([]string, 0, len(uses))
	for n := range uses {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if uses[names[i]].events != uses[names[j]].events {
			return uses[names[i]].events > uses[names[j]].events
		}
		return names[i] < names[j]
	})
	fmt.Fprintln(w, "\nThe sources behind them:")
	t = newTable(w, "SOURCE", "KIND", "SPEAKS FOR", "RELIABILITY", "EVENTS")
	for _, n := range names {
		u := uses[n]
		t.row(n, string(u.src.Kind), u.src.SpeaksFor, string(u.src.Reliability)+" "+u.src.Reliability.Describe(), fmt.Sprint(u.events))
	}
	if err := t.flush(); err != nil {
		return err
	}
	if len(contradictions) > 0 {
		fmt.Fprintf(w, "\nContradictions (%d):\n", len(contradictions))
		for _, c := range contradictions {
			fmt.Fprintln(w, "  - "+c)
		}
	}
	return nil
}
