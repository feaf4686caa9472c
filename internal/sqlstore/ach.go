package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/vigil-osint/vigil"
)

// ACH is vigil.ACHService on a DB: case files, their ratings, indicator
// values and rankings.
type ACH struct{ DB *DB }

var _ vigil.ACHService = ACH{}

// CreateACHCase records a new case with its hypotheses, evidence and
// ratings.
func (s ACH) CreateACHCase(ctx context.Context, c *vigil.ACHCase) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ach_cases WHERE key = ?`, c.ID).Scan(&n); err != nil {
			return s.DB.errorf(err, "ach case %q", c.ID)
		}
		if n > 0 {
			return vigil.Errorf(vigil.ECONFLICT, "ach case %q already exists", c.ID)
		}
		return s.importACHCase(ctx, tx, c)
	})
}

// ImportACHCase creates the case or brings the stored one up to c.
func (s ACH) ImportACHCase(ctx context.Context, c *vigil.ACHCase) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error { return s.importACHCase(ctx, tx, c) })
}

func (s ACH) importACHCase(ctx context.Context, tx Conn, c *vigil.ACHCase) error {
	now := s.DB.Now()
	_, err := tx.Exec(ctx, `INSERT INTO ach_cases (key, title, question, notes, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET title = excluded.title, question = excluded.question, notes = excluded.notes, updated_at = excluded.updated_at`,
		c.ID, c.Title, c.Question, c.Notes, c.CreatedBy, timeText(now), timeText(now))
	if err != nil {
		return s.DB.errorf(err, "ach case %q", c.ID)
	}
	caseID, err := s.achCaseRow(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	for i := range c.Hypotheses {
		if err := s.putHypothesis(ctx, tx, caseID, i, &c.Hypotheses[i], true); err != nil {
			return err
		}
	}
	for i := range c.Evidence {
		if err := s.putEvidence(ctx, tx, caseID, i, &c.Evidence[i], true); err != nil {
			return err
		}
	}
	for i := range c.Ratings {
		r := &c.Ratings[i]
		if r.At.IsZero() {
			r.At = now
		}
		if err := s.putRating(ctx, tx, caseID, c.ID, r); err != nil {
			return err
		}
	}
	return nil
}

func (s ACH) achCaseRow(ctx context.Context, q Conn, key string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM ach_cases WHERE key = ?`, key).Scan(&id)
	if err != nil {
		return 0, s.DB.notFound(err, "ach case %q", key)
	}
	return id, nil
}

// putHypothesis inserts a hypothesis at the end of the case (position <
// 0) or at a position; with replace, an existing one is updated, else it
// is a conflict.
func (s ACH) putHypothesis(ctx context.Context, tx Conn, caseID int64, pos int, h *vigil.ACHHypothesis, replace bool) error {
	if pos < 0 {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ach_hypotheses WHERE case_id = ?`, caseID).Scan(&pos); err != nil {
			return s.DB.errorf(err, "hypothesis %q", h.ID)
		}
	}
	held := h.HeldBy
	if held == nil {
		held = []string{}
	}
	q := `INSERT INTO ach_hypotheses (case_id, key, position, title, description, held_by) VALUES (?, ?, ?, ?, ?, ?)`
	if replace {
		q += ` ON CONFLICT (case_id, key) DO UPDATE SET position = excluded.position, title = excluded.title,
			description = excluded.description, held_by = excluded.held_by`
	}
	_, err := tx.Exec(ctx, q, caseID, h.ID, pos, h.Title, h.Description, mustJSON(held))
	if s.DB.IsUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "hypothesis %q already exists", h.ID)
	} else if err != nil {
		return s.DB.errorf(err, "hypothesis %q", h.ID)
	}
	return nil
}

func (s ACH) putEvidence(ctx context.Context, tx Conn, caseID int64, pos int, e *vigil.ACHEvidence, replace bool) error {
	if pos < 0 {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ach_evidence WHERE case_id = ?`, caseID).Scan(&pos); err != nil {
			return s.DB.errorf(err, "evidence %q", e.ID)
		}
	}
	ind := ""
	if e.Indicator != nil {
		ind = mustJSON(e.Indicator)
	}
	q := `INSERT INTO ach_evidence (case_id, key, position, title, kind, ref, source, credibility, credibility_weight, relevance, notes, indicator)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if replace {
		q += ` ON CONFLICT (case_id, key) DO UPDATE SET position = excluded.position, title = excluded.title, kind = excluded.kind,
			ref = excluded.ref, source = excluded.source, credibility = excluded.credibility,
			credibility_weight = excluded.credibility_weight, relevance = excluded.relevance, notes = excluded.notes,
			indicator = excluded.indicator`
	}
	_, err := tx.Exec(ctx, q, caseID, e.ID, pos, e.Title, string(e.Kind), e.Ref, e.Source, int(e.Credibility),
		string(e.CredibilityWeight), string(e.Relevance), e.Notes, ind)
	if s.DB.IsUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "evidence %q already exists", e.ID)
	} else if err != nil {
		return s.DB.errorf(err, "evidence %q", e.ID)
	}
	return nil
}

func (s ACH) putRating(ctx context.Context, tx Conn, caseID int64, caseKey string, r *vigil.ACHRatingEntry) error {
	var eid, hid int64
	if err := tx.QueryRow(ctx, `SELECT id FROM ach_evidence WHERE case_id = ? AND key = ?`, caseID, r.Evidence).Scan(&eid); err != nil {
		return s.DB.notFound(err, "ach case %q: evidence %q", caseKey, r.Evidence)
	}
	if err := tx.QueryRow(ctx, `SELECT id FROM ach_hypotheses WHERE case_id = ? AND key = ?`, caseID, r.Hypothesis).Scan(&hid); err != nil {
		return s.DB.notFound(err, "ach case %q: hypothesis %q", caseKey, r.Hypothesis)
	}
	_, err := tx.Exec(ctx, `INSERT INTO ach_ratings (evidence_id, hypothesis_id, analyst, consensus, rating, rationale, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (evidence_id, hypothesis_id, analyst, consensus) DO UPDATE SET rating = excluded.rating,
			rationale = excluded.rationale, at = excluded.at`,
		eid, hid, r.Analyst, r.Consensus, string(r.Rating), r.Rationale, timeText(r.At))
	if err != nil {
		return s.DB.errorf(err, "rating %s/%s", r.Evidence, r.Hypothesis)
	}
	return nil
}

// FindACHCase returns the case with its hypotheses, evidence and ratings.
func (s ACH) FindACHCase(ctx context.Context, id string) (*vigil.ACHCase, error) {
	c := &vigil.ACHCase{}
	var rowID int64
	var ca, ua string
	err := s.DB.Read.QueryRow(ctx, `SELECT id, key, title, question, notes, created_by, created_at, updated_at FROM ach_cases WHERE key = ?`, id).
		Scan(&rowID, &c.ID, &c.Title, &c.Question, &c.Notes, &c.CreatedBy, &ca, &ua)
	if err != nil {
		return nil, s.DB.notFound(err, "ach case %q", id)
	}
	c.CreatedAt, c.UpdatedAt = parseTime(ca), parseTime(ua)
	c.Hypotheses, c.Evidence, c.Ratings = []vigil.ACHHypothesis{}, []vigil.ACHEvidence{}, []vigil.ACHRatingEntry{}

	rows, err := s.DB.Read.Query(ctx, `SELECT key, title, description, held_by FROM ach_hypotheses WHERE case_id = ? ORDER BY position, id`, rowID)
	if err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}
	for rows.Next() {
		var h vigil.ACHHypothesis
		var held string
		if err := rows.Scan(&h.ID, &h.Title, &h.Description, &held); err != nil {
			rows.Close()
			return nil, s.DB.errorf(err, "ach case %q", id)
		}
		if err := json.Unmarshal([]byte(held), &h.HeldBy); err != nil {
			rows.Close()
			return nil, s.DB.errorf(err, "ach case %q: hypothesis %q", id, h.ID)
		}
		c.Hypotheses = append(c.Hypotheses, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}

	rows, err = s.DB.Read.Query(ctx, `SELECT key, title, kind, ref, source, credibility, credibility_weight, relevance, notes, indicator
		FROM ach_evidence WHERE case_id = ? ORDER BY position, id`, rowID)
	if err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}
	for rows.Next() {
		var e vigil.ACHEvidence
		var kind, cw, rel, ind string
		var cred int
		if err := rows.Scan(&e.ID, &e.Title, &kind, &e.Ref, &e.Source, &cred, &cw, &rel, &e.Notes, &ind); err != nil {
			rows.Close()
			return nil, s.DB.errorf(err, "ach case %q", id)
		}
		e.Kind, e.Credibility, e.CredibilityWeight, e.Relevance = vigil.EvidenceKind(kind), vigil.Credibility(cred), vigil.ACHWeight(cw), vigil.ACHWeight(rel)
		if ind != "" {
			e.Indicator = &vigil.ACHIndicator{}
			if err := json.Unmarshal([]byte(ind), e.Indicator); err != nil {
				rows.Close()
				return nil, s.DB.errorf(err, "ach case %q: evidence %q", id, e.ID)
			}
		}
		c.Evidence = append(c.Evidence, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}

	rows, err = s.DB.Read.Query(ctx, `SELECT e.key, h.key, r.analyst, r.consensus, r.rating, r.rationale, r.at
		FROM ach_ratings r JOIN ach_evidence e ON e.id = r.evidence_id JOIN ach_hypotheses h ON h.id = r.hypothesis_id
		WHERE e.case_id = ? ORDER BY e.position, h.position, r.consensus, r.analyst`, rowID)
	if err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}
	defer rows.Close()
	for rows.Next() {
		var r vigil.ACHRatingEntry
		var rating, at string
		if err := rows.Scan(&r.Evidence, &r.Hypothesis, &r.Analyst, &r.Consensus, &rating, &r.Rationale, &at); err != nil {
			return nil, s.DB.errorf(err, "ach case %q", id)
		}
		r.Rating, r.At = vigil.ACHRating(rating), parseTime(at)
		c.Ratings = append(c.Ratings, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.DB.errorf(err, "ach case %q", id)
	}
	return c, nil
}

// FindACHCases returns every case, by id, without its contents.
func (s ACH) FindACHCases(ctx context.Context) ([]*vigil.ACHCase, error) {
	rows, err := s.DB.Read.Query(ctx, `SELECT key, title, question, notes, created_by, created_at, updated_at FROM ach_cases ORDER BY key`)
	if err != nil {
		return nil, s.DB.errorf(err, "ach cases")
	}
	defer rows.Close()
	out := []*vigil.ACHCase{}
	for rows.Next() {
		c := &vigil.ACHCase{}
		var ca, ua string
		if err := rows.Scan(&c.ID, &c.Title, &c.Question, &c.Notes, &c.CreatedBy, &ca, &ua); err != nil {
			return nil, s.DB.errorf(err, "ach cases")
		}
		c.CreatedAt, c.UpdatedAt = parseTime(ca), parseTime(ua)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.DB.errorf(err, "ach cases")
	}
	return out, nil
}

// AddACHHypothesis adds a hypothesis at the end of a case.
func (s ACH) AddACHHypothesis(ctx context.Context, caseID string, h *vigil.ACHHypothesis) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := s.achCaseRow(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := s.putHypothesis(ctx, tx, id, -1, h, false); err != nil {
			return err
		}
		return s.touchCase(ctx, tx, id, s.DB.Now())
	})
}

// AddACHEvidence adds an item at the end of a case. An indicator's
// ratings must name hypotheses of the case.
func (s ACH) AddACHEvidence(ctx context.Context, caseID string, e *vigil.ACHEvidence) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := s.achCaseRow(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if e.Indicator != nil {
			for _, m := range []map[string]vigil.ACHRating{e.Indicator.IfMet, e.Indicator.IfNotMet} {
				for h := range m {
					var n int
					if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ach_hypotheses WHERE case_id = ? AND key = ?`, id, h).Scan(&n); err != nil {
						return s.DB.errorf(err, "evidence %q", e.ID)
					}
					if n == 0 {
						return vigil.Errorf(vigil.EINVALID, "evidence %q: unknown hypothesis %q", e.ID, h)
					}
				}
			}
		}
		if err := s.putEvidence(ctx, tx, id, -1, e, false); err != nil {
			return err
		}
		return s.touchCase(ctx, tx, id, s.DB.Now())
	})
}

func (s ACH) touchCase(ctx context.Context, tx Conn, id int64, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE ach_cases SET updated_at = ? WHERE id = ?`, timeText(now), id); err != nil {
		return s.DB.errorf(err, "ach case")
	}
	return nil
}

// RateACH records a rating, replacing the analyst's earlier one.
func (s ACH) RateACH(ctx context.Context, caseID string, r *vigil.ACHRatingEntry) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := s.achCaseRow(ctx, tx, caseID)
		if err != nil {
			return err
		}
		r.At = s.DB.Now()
		if err := s.putRating(ctx, tx, id, caseID, r); err != nil {
			return err
		}
		return s.touchCase(ctx, tx, id, r.At)
	})
}

func (s ACH) evidenceRow(ctx context.Context, q Conn, caseID, evidence string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT e.id FROM ach_evidence e JOIN ach_cases c ON c.id = e.case_id WHERE c.key = ? AND e.key = ?`,
		caseID, evidence).Scan(&id)
	if err != nil {
		return 0, s.DB.notFound(err, "ach case %q: evidence %q", caseID, evidence)
	}
	return id, nil
}

// RecordACHIndicatorValue appends an indicator evaluation.
func (s ACH) RecordACHIndicatorValue(ctx context.Context, v *vigil.ACHIndicatorValue) error {
	return s.DB.InTx(ctx, func(tx Conn) error {
		eid, err := s.evidenceRow(ctx, tx, v.Case, v.Evidence)
		if err != nil {
			return err
		}
		if v.At.IsZero() {
			v.At = s.DB.Now()
		}
		ids := v.EventIDs
		if ids == nil {
			ids = []int64{}
		}
		if v.Clearance == "" {
			v.Clearance = vigil.TLPRed
		}
		_, err = tx.Exec(ctx, `INSERT INTO ach_indicator_values (evidence_id, at, value, met, events, event_ids, note, clearance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			eid, timeText(v.At), v.Value, v.Met, v.Events, mustJSON(ids), v.Note, string(v.Clearance))
		if err != nil {
			return s.DB.errorf(err, "indicator value %s/%s", v.Case, v.Evidence)
		}
		return nil
	})
}

// FindACHIndicatorValues returns the history of a case's indicator values.
func (s ACH) FindACHIndicatorValues(ctx context.Context, caseID, evidence string) ([]vigil.ACHIndicatorValue, error) {
	if _, err := s.achCaseRow(ctx, s.DB.Read, caseID); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read.Query(ctx, `SELECT e.key, v.at, v.value, v.met, v.events, v.event_ids, v.note, v.clearance
		FROM ach_indicator_values v JOIN ach_evidence e ON e.id = v.evidence_id JOIN ach_cases c ON c.id = e.case_id
		WHERE c.key = ? AND (? = '' OR e.key = ?) ORDER BY v.id`, caseID, evidence, evidence)
	if err != nil {
		return nil, s.DB.errorf(err, "indicator values %q", caseID)
	}
	defer rows.Close()
	out := []vigil.ACHIndicatorValue{}
	for rows.Next() {
		v := vigil.ACHIndicatorValue{Case: caseID}
		var at, ids, clearance string
		if err := rows.Scan(&v.Evidence, &at, &v.Value, &v.Met, &v.Events, &ids, &v.Note, &clearance); err != nil {
			return nil, s.DB.errorf(err, "indicator values %q", caseID)
		}
		v.At, v.Clearance = parseTime(at), vigil.TLP(clearance)
		if err := json.Unmarshal([]byte(ids), &v.EventIDs); err != nil {
			return nil, s.DB.errorf(err, "indicator values %q", caseID)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// RecordACHRanking appends a ranking to the case's history.
func (s ACH) RecordACHRanking(ctx context.Context, r *vigil.ACHRanking) error {
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := s.achCaseRow(ctx, tx, r.Case)
		if err != nil {
			return err
		}
		if r.At.IsZero() {
			r.At = s.DB.Now()
		}
		order, scores := r.Order, r.Scores
		if order == nil {
			order = []string{}
		}
		if scores == nil {
			scores = map[string]float64{}
		}
		if r.Clearance == "" {
			r.Clearance = vigil.TLPRed
		}
		_, err = tx.Exec(ctx, `INSERT INTO ach_rankings (case_id, at, ordering, scores, trigger, clearance) VALUES (?, ?, ?, ?, ?, ?)`,
			id, timeText(r.At), mustJSON(order), mustJSON(scores), r.Trigger, string(r.Clearance))
		if err != nil {
			return s.DB.errorf(err, "ranking %q", r.Case)
		}
		return nil
	})
}

// FindACHRankings returns the case's rankings, oldest first.
func (s ACH) FindACHRankings(ctx context.Context, caseID string) ([]vigil.ACHRanking, error) {
	id, err := s.achCaseRow(ctx, s.DB.Read, caseID)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Read.Query(ctx, `SELECT at, ordering, scores, trigger, clearance FROM ach_rankings WHERE case_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, s.DB.errorf(err, "rankings %q", caseID)
	}
	defer rows.Close()
	out := []vigil.ACHRanking{}
	for rows.Next() {
		r := vigil.ACHRanking{Case: caseID}
		var at, order, scores, clearance string
		if err := rows.Scan(&at, &order, &scores, &r.Trigger, &clearance); err != nil {
			return nil, s.DB.errorf(err, "rankings %q", caseID)
		}
		r.At, r.Clearance = parseTime(at), vigil.TLP(clearance)
		if err := errors.Join(json.Unmarshal([]byte(order), &r.Order), json.Unmarshal([]byte(scores), &r.Scores)); err != nil {
			return nil, s.DB.errorf(err, "rankings %q", caseID)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindSourceMarkings returns the least restricted marking among each
// source's documents, by source name; sources without documents are left
// out. A reader below RED knows of a source with documents only when one
// of them is allowed (as the source statistics list them): ach scores a
// case's history at each clearance with it, one index seek a source.
func (s ACH) FindSourceMarkings(ctx context.Context) (map[string]vigil.TLP, error) {
	rows, err := s.DB.Read.Query(ctx, `SELECT name, rank FROM (SELECT s.name AS name,
		(SELECT min(d.tlp_rank) FROM documents d WHERE d.source_id = s.id) AS rank FROM sources s) x WHERE rank IS NOT NULL`)
	if err != nil {
		return nil, s.DB.errorf(err, "source markings")
	}
	defer rows.Close()
	out := map[string]vigil.TLP{}
	for rows.Next() {
		var name string
		var rank int64
		if err := rows.Scan(&name, &rank); err != nil {
			return nil, s.DB.errorf(err, "source markings")
		}
		out[name] = vigil.TLPAtRank(int(rank))
	}
	return out, rows.Err()
}
