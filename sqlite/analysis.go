package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/eventrow"
)

var _ vigil.AnalysisService = (*Store)(nil)

// FindEventFacts returns the facts of the events that match the filter,
// by id; see vigil.AnalysisService. It reads the fact blocks, rebuilding
// the dirty ones first, and applies the filter to each fact.
func (s *Store) FindEventFacts(ctx context.Context, f vigil.FactFilter) ([]vigil.EventFact, error) {
	fs, err := s.findFacts(ctx, f, true)
	if err != nil {
		return nil, err
	}
	return fs.Events(), nil
}

// FindFacts returns the facts of FindEventFacts in columns, decoded
// straight from the fact blocks; see vigil.AnalysisService.
func (s *Store) FindFacts(ctx context.Context, f vigil.FactFilter) (*vigil.Facts, error) {
	return s.findFacts(ctx, f, true)
}

// findFacts is FindFacts; rebuild says whether blocks written in another
// format (by an older vigil on the same file) may be rebuilt and read
// again.
func (s *Store) findFacts(ctx context.Context, f vigil.FactFilter, rebuild bool) (*vigil.Facts, error) {
	if err := s.refreshBlocks(ctx); err != nil {
		return nil, err
	}
	m, err := newFactMatcher(ctx, s.db, f.EventFilter)
	if err != nil {
		return nil, err
	}
	// Each block holds at most 1<<blockShift facts: the count of blocks,
	// read in the same statement (and snapshot), bounds the facts.
	rows, err := s.db.QueryContext(ctx, `SELECT block, data, (SELECT count(*) FROM fact_blocks) FROM fact_blocks ORDER BY block`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: fact blocks: %w", err)
	}
	defer rows.Close()
	// The blocks are decoded as they come.
	var d *blockDecoder
	finish := func() (*vigil.Facts, error) {
		if d == nil {
			return vigil.NewFacts(0), nil
		}
		return d.finish()
	}
	var stale []any
	for rows.Next() {
		var id int64
		var data sql.RawBytes // copied by add before the next row
		var blocks int
		if err := rows.Scan(&id, &data, &blocks); err != nil {
			finish()
			return nil, fmt.Errorf("sqlite: fact blocks: %w", err)
		}
		if d == nil {
			d = newBlockDecoder(m, f.AsOf, blocks<<blockShift)
		}
		if len(data) == 0 || data[0] != blockVersion {
			stale = append(stale, id)
			if rebuild {
				continue
			}
		}
		d.add(id, data)
	}
	out, derr := finish()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: fact blocks: %w", err)
	}
	rows.Close()
	if len(stale) > 0 && rebuild {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO fact_dirty (block) VALUES `+strings.TrimSuffix(strings.Repeat("(?),", len(stale)), ","), stale...)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("sqlite: fact blocks: %w", err)
		}
		return s.findFacts(ctx, f, false)
	}
	if derr != nil {
		return nil, derr
	}
	if f.AsOf.IsZero() {
		return out, nil
	}
	old, err := s.factsAsOf(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(old) == 0 {
		return out, nil
	}
	// Events changed since: few next to those unchanged, put in by id.
	for i := range old {
		out.Append(&old[i])
	}
	out.SortByID()
	return out, nil
}

// factsAsOf rebuilds the events recorded by f.AsOf but changed since:
// each is fused again from its reports and documents as they stood then,
// and filtered here, since its stored columns hold today's values.
func (s *Store) factsAsOf(ctx context.Context, f vigil.FactFilter) ([]vigil.EventFact, error) {
	at := timeText(f.AsOf)
	base := vigil.EventFilter{Actor: f.Actor, Clearance: f.Clearance}
	where, args := eventWhere(base)
	where += ` AND julianday(e.recorded_at) <= julianday(?) AND julianday(e.updated_at) > julianday(?)`
	args = append(args, at, at)
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, coalesce(e.key, '') FROM events e`+where+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events as of %s: %w", at, err)
	}
	type ev struct {
		id  int64
		key string
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.id, &e.key); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: events as of %s: %w", at, err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events as of %s: %w", at, err)
	}
	if len(evs) == 0 {
		return nil, nil
	}
	parents, err := s.parents(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var out []vigil.EventFact
	for _, e := range evs {
		reps, err := s.reportsAsOf(ctx, e.id, e.key, at)
		if err != nil {
			return nil, err
		}
		if len(reps) == 0 {
			continue
		}
		fused := vigil.Fuse(e.key, reps, parents)
		fused.ID = e.id
		fact := vigil.FactOf(&fused)
		if !matchFact(fact, fused.Marking, f.EventFilter) {
			continue
		}
		// The event was first recorded with its first report.
		fact.RecordedAt = reps[0].Report.RecordedAt
		for _, r := range reps {
			if r.Report.RecordedAt.Before(fact.RecordedAt) {
				fact.RecordedAt = r.Report.RecordedAt
			}
		}
		out = append(out, fact)
	}
	return out, nil
}

// reportsAsOf returns an event's reports as they stood at the instant at,
// each with its document as it stood then and its source.
func (s *Store) reportsAsOf(ctx context.Context, eventID int64, key, at string) ([]vigil.SourcedReport, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.id, r.document_id, r.data FROM reports r
		WHERE r.event_id = ? AND julianday(r.recorded_at) <= julianday(?)
		UNION ALL
		SELECT h.report_id, h.document_id, h.data FROM report_history h
		WHERE (h.report_id IN (SELECT id FROM reports WHERE event_id = ?) OR (? <> '' AND report_event_key(h.data) = ?))
		  AND julianday(h.recorded_at) <= julianday(?) AND julianday(h.superseded_at) > julianday(?)
		ORDER BY 1`, eventID, at, eventID, key, key, at, at)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports of event %d as of %s: %w", eventID, at, err)
	}
	var reps []vigil.SourcedReport
	for rows.Next() {
		var id, docID int64
		var data string
		if err := rows.Scan(&id, &docID, &data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: reports of event %d as of %s: %w", eventID, at, err)
		}
		r, err := decodeReport(id, docID, sql.NullInt64{Int64: eventID, Valid: true}, data)
		if err != nil {
			rows.Close()
			return nil, err
		}
		reps = append(reps, vigil.SourcedReport{Report: r})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reports of event %d as of %s: %w", eventID, at, err)
	}
	for i := range reps {
		doc, src, err := s.documentAsOf(ctx, reps[i].Report.DocumentID, at)
		if err != nil {
			return nil, err
		}
		reps[i].Document, reps[i].Source = doc, src
	}
	return reps, nil
}

// documentAsOf returns a document as it stood at the instant at, and its
// source as it is now (sources keep no history).
func (s *Store) documentAsOf(ctx context.Context, id int64, at string) (vigil.Document, vigil.Source, error) {
	var ddata, sdata string
	err := s.db.QueryRowContext(ctx, `
		SELECT coalesce((SELECT h.data FROM document_history h WHERE h.document_id = d.id
			AND julianday(h.recorded_at) <= julianday(?) AND julianday(h.superseded_at) > julianday(?)
			ORDER BY h.id DESC LIMIT 1), d.data), s.data
		FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?`, at, at, id).Scan(&ddata, &sdata)
	var doc vigil.Document
	var src vigil.Source
	if err != nil {
		return doc, src, notFound(err, "document %d", id)
	}
	if err := decodeDocument(id, ddata, &doc); err != nil {
		return doc, src, err
	}
	if err := json.Unmarshal([]byte(sdata), &src); err != nil {
		return doc, src, fmt.Errorf("sqlite: decode source: %w", err)
	}
	doc.ID = id
	return doc, src, nil
}

// matchFact applies an event filter's place, date, type and marking
// conditions to a rebuilt event, as eventWhere does in SQL.
func matchFact(f vigil.EventFact, marking vigil.TLP, ef vigil.EventFilter) bool {
	if len(ef.Countries) > 0 && !slices.ContainsFunc(ef.Countries, func(c string) bool {
		return strings.EqualFold(strings.TrimSpace(c), f.Country)
	}) {
		return false
	}
	if len(ef.Admin1) > 0 && !slices.ContainsFunc(ef.Admin1, func(a string) bool {
		return actors.Normalize(a) == actors.Normalize(f.Admin1) || eventrow.Admin1Norm(a) == eventrow.Admin1Norm(f.Admin1Name)
	}) {
		return false
	}
	if !ef.From.IsZero() && f.DateEnd.Before(ef.From) {
		return false
	}
	if !ef.To.IsZero() && f.DateStart.After(ef.To) {
		return false
	}
	if len(ef.Types) > 0 && !slices.Contains(ef.Types, f.EventType) {
		return false
	}
	if ef.Clearance != "" && marking.Rank() > ef.Clearance.Rank() {
		return false
	}
	if !credibleEnough(f.Credibility, ef.MinCredibility) {
		return false
	}
	return !f.DateStart.IsZero()
}
