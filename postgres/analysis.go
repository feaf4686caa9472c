package postgres

import (
	"cmp"
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
// by id; see vigil.AnalysisService. It reads the fact columns of events
// with the event filter's WHERE clause; with AsOf, the events changed
// since are fused again from history.
func (s *Store) FindEventFacts(ctx context.Context, f vigil.FactFilter) ([]vigil.EventFact, error) {
	ef := f.EventFilter
	ef.Limit, ef.Offset = 0, 0
	where, args := eventWhere(ef)
	if !f.AsOf.IsZero() {
		where += ` AND e.updated_at::timestamptz <= ?::timestamptz`
		args = append(args, timeText(f.AsOf))
	}
	var out []vigil.EventFact
	err := s.inReadTx(ctx, func(q querier) (err error) {
		out, err = readFacts(ctx, q, where, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.AsOf.IsZero() {
		return out, nil
	}
	old, err := s.factsAsOf(ctx, f)
	if err != nil {
		return nil, err
	}
	out = append(out, old...)
	slices.SortFunc(out, func(a, b vigil.EventFact) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// FindFacts returns the facts of FindEventFacts in columns; see
// vigil.AnalysisService.
func (s *Store) FindFacts(ctx context.Context, f vigil.FactFilter) (*vigil.Facts, error) {
	facts, err := s.FindEventFacts(ctx, f)
	if err != nil {
		return nil, err
	}
	return vigil.FactsOf(facts), nil
}

// readFacts reads the facts of the events a WHERE clause selects, by id,
// into a slice sized by counting them first (in the same snapshot): a
// slice grown to a million facts copies them over and over.
func readFacts(ctx context.Context, db querier, where string, args []any) ([]vigil.EventFact, error) {
	var count int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events e`+where, args...).Scan(&count); err != nil {
		return nil, fmt.Errorf("postgres: count event facts: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT e.id, e.date_start, e.date_end, e.date_precision, e.country, e.unit, e.unit_name,
		e.lat, e.lon, e.event_type, e.target_types, e.sources, e.killed_low, e.killed_best, e.killed_high,
		e.wounded_low, e.wounded_best, e.wounded_high, e.credibility, e.recorded_at
		FROM events e`+where+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: event facts: %w", err)
	}
	defer rows.Close()
	out := make([]vigil.EventFact, 0, count)
	var (
		ds, de, targets, sources, recorded string
		prec                               int
		lat, lon                           *float64
		n                                  [6]int64
	)
	for rows.Next() {
		var x vigil.EventFact
		if err := rows.Scan(&x.ID, &ds, &de, &prec, &x.Country, &x.Admin1, &x.Admin1Name, &lat, &lon, &x.EventType,
			&targets, &sources, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &x.Credibility, &recorded); err != nil {
			return nil, fmt.Errorf("postgres: event facts: %w", err)
		}
		x.DateStart, _ = vigil.ParseDate(ds)
		x.DateEnd, _ = vigil.ParseDate(de)
		x.Precision = vigil.DatePrecision(prec)
		if lat != nil && lon != nil {
			x.Located, x.Latitude, x.Longitude = true, *lat, *lon
		}
		if targets != "" {
			for _, t := range strings.Split(targets, eventrow.ListSep) {
				x.TargetTypes = append(x.TargetTypes, vigil.TargetType(t))
			}
		}
		if sources != "" {
			x.Sources = strings.Split(sources, eventrow.ListSep)
		}
		x.Killed = vigil.Range{Low: eventrow.ColNum(n[0]), Best: eventrow.ColNum(n[1]), High: eventrow.ColNum(n[2])}
		x.Wounded = vigil.Range{Low: eventrow.ColNum(n[3]), Best: eventrow.ColNum(n[4]), High: eventrow.ColNum(n[5])}
		x.RecordedAt = parseTime(recorded)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: event facts: %w", err)
	}
	return out, nil
}

// factsAsOf rebuilds the events recorded by f.AsOf but changed since:
// each is fused again from its reports and documents as they stood then,
// and filtered here, since its stored columns hold today's values.
func (s *Store) factsAsOf(ctx context.Context, f vigil.FactFilter) ([]vigil.EventFact, error) {
	at := timeText(f.AsOf)
	base := vigil.EventFilter{Actor: f.Actor, Clearance: f.Clearance}
	where, args := eventWhere(base)
	where += ` AND e.recorded_at::timestamptz <= ?::timestamptz AND e.updated_at::timestamptz > ?::timestamptz`
	args = append(args, at, at)
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, coalesce(e.key, '') FROM events e`+where+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: events as of %s: %w", at, err)
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
			return nil, fmt.Errorf("postgres: events as of %s: %w", at, err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: events as of %s: %w", at, err)
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
		SELECT r.id, r.document_id, r.data::text FROM reports r
		WHERE r.event_id = ? AND r.recorded_at::timestamptz <= ?::timestamptz
		UNION ALL
		SELECT h.report_id, h.document_id, h.data::text FROM report_history h
		WHERE (h.report_id IN (SELECT id FROM reports WHERE event_id = ?) OR (?::text <> '' AND h.data->>'event_key' = ?))
		  AND h.recorded_at::timestamptz <= ?::timestamptz AND h.superseded_at::timestamptz > ?::timestamptz
		ORDER BY 1`, eventID, at, eventID, key, key, at, at)
	if err != nil {
		return nil, fmt.Errorf("postgres: reports of event %d as of %s: %w", eventID, at, err)
	}
	var reps []vigil.SourcedReport
	for rows.Next() {
		var id, docID int64
		var data string
		if err := rows.Scan(&id, &docID, &data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: reports of event %d as of %s: %w", eventID, at, err)
		}
		r, err := eventrow.DecodeReport(id, docID, sql.NullInt64{Int64: eventID, Valid: true}, data)
		if err != nil {
			rows.Close()
			return nil, err
		}
		reps = append(reps, vigil.SourcedReport{Report: r})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: reports of event %d as of %s: %w", eventID, at, err)
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
			AND h.recorded_at::timestamptz <= ?::timestamptz AND h.superseded_at::timestamptz > ?::timestamptz
			ORDER BY h.id DESC LIMIT 1), d.data)::text, s.data::text
		FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?`, at, at, id).Scan(&ddata, &sdata)
	var doc vigil.Document
	var src vigil.Source
	if err != nil {
		return doc, src, notFound(err, "document %d", id)
	}
	if err := json.Unmarshal([]byte(ddata), &doc); err != nil {
		return doc, src, fmt.Errorf("postgres: decode document %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(sdata), &src); err != nil {
		return doc, src, fmt.Errorf("postgres: decode source: %w", err)
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
	if ef.MinCredibility > 0 {
		c := f.Credibility
		if c == 0 {
			c = vigil.CredibilityUnknown // ungraded: truth cannot be judged
		}
		if c > ef.MinCredibility {
			return false
		}
	}
	return !f.DateStart.IsZero()
}
