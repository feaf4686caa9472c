package link

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/vigil-osint/vigil"
)

// Stats describes one linkage run.
type Stats struct {
	Pending    int           `json:"pending"`    // reports linked for the first time
	Candidates int           `json:"candidates"` // stored reports read from their blocks
	Compared   int           `json:"compared"`   // pairs scored
	Accepted   int           `json:"accepted"`   // links made
	Clusters   int           `json:"clusters"`   // changes written
	Review     int           `json:"review"`     // links queued for review
	OpID       int64         `json:"op_id,omitempty"`
	Read       time.Duration `json:"read_ns"`
	Link       time.Duration `json:"link_ns"`
	Write      time.Duration `json:"write_ns"`
}

// Run links the reports that linkage has not yet seen: it reads them, reads
// the stored reports in their blocks, links the new ones among themselves
// and to the stored events (leaving the stored grouping as people and
// earlier runs made it), and writes the result in one transaction.
func Run(ctx context.Context, s vigil.LinkService, c Config, by string) (*Stats, error) {
	st := &Stats{}
	t0 := time.Now()
	since, err := s.LinkMark(ctx)
	if err != nil {
		return nil, err
	}
	var recs []Record
	var keys []vigil.LinkKey
	mark := since
	err = s.ScanLinkRecords(ctx, vigil.LinkFilter{Pending: true}, func(lr *vigil.LinkRecord) error {
		r := NewRecord(lr)
		r.New = true
		recs = append(recs, r)
		keys = append(keys, keyOf(lr, &r))
		mark = max(mark, r.ID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("link: pending reports: %w", err)
	}
	st.Pending = len(recs)
	if len(recs) == 0 {
		return st, nil
	}
	if since > 0 {
		err = s.ScanLinkRecords(ctx, vigil.LinkFilter{Blocks: Blocks(recs, c.WindowDays)}, func(lr *vigil.LinkRecord) error {
			recs = append(recs, NewRecord(lr))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("link: candidates: %w", err)
		}
	}
	st.Candidates = len(recs) - st.Pending
	cannot, err := s.FindCannotLinks(ctx)
	if err != nil {
		return nil, err
	}
	st.Read = time.Since(t0)
	t1 := time.Now()
	res := c.Link(recs, cannot)
	st.Link = time.Since(t1)
	st.Compared, st.Accepted, st.Clusters, st.Review = res.Compared, res.Accepted, len(res.Clusters), len(res.Review)
	t2 := time.Now()
	run := &vigil.LinkRun{Since: since, Mark: mark, Clusters: res.Clusters, Review: res.Review, By: by, Keys: keys,
		Reason: fmt.Sprintf("linkage of %d new reports (accept ≥ %.2f, review ≥ %.2f)", st.Pending, c.Accept, c.Review)}
	if err := s.ApplyLinks(ctx, run); err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	st.Write, st.OpID = time.Since(t2), run.OpID
	return st, nil
}

// keyOf returns a report's blocking key; its country is the record's
// interned one, so that a million keys share a few strings.
func keyOf(lr *vigil.LinkRecord, r *Record) vigil.LinkKey {
	k := vigil.LinkKey{Report: lr.Report.ID, Country: r.Country.String(), Start: lr.Report.DateStart, End: lr.Report.DateEnd}
	if k.End.IsZero() {
		k.End = k.Start
	}
	return k
}

// Blocks returns the blocks that hold every report a pending record may
// link to: per country, its dates widened by window days, overlapping
// windows merged.
func Blocks(recs []Record, window int32) []vigil.LinkBlock {
	type iv struct {
		country    Sym
		start, end int32
	}
	var ivs []iv
	for i := range recs {
		if r := &recs[i]; r.New && r.Country != 0 {
			ivs = append(ivs, iv{r.Country, r.Start - window, r.End + window})
		}
	}
	slices.SortFunc(ivs, func(a, b iv) int {
		return cmp.Or(cmp.Compare(a.country.String(), b.country.String()), cmp.Compare(a.start, b.start))
	})
	var out []vigil.LinkBlock
	for i := 0; i < len(ivs); {
		cur := ivs[i]
		j := i + 1
		for ; j < len(ivs) && ivs[j].country == cur.country && ivs[j].start <= cur.end+1; j++ {
			cur.end = max(cur.end, ivs[j].end)
		}
		out = append(out, vigil.LinkBlock{Country: cur.country.String(), From: epoch.AddDays(int(cur.start)), To: epoch.AddDays(int(cur.end))})
		i = j
	}
	return out
}
