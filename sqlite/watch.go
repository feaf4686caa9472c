package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigil-osint/vigil"
)

var _ vigil.WatchService = (*Store)(nil)

const watchRuleColumns = `id, name, kind, actor, case_key, window_days, baseline_days, threshold, webhook, state, created_at, updated_at`

// CreateWatchRule records a rule.
func (s *Store) CreateWatchRule(ctx context.Context, r *vigil.WatchRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := s.Now()
	res, err := s.w.ExecContext(ctx, `INSERT INTO watch_rules (name, kind, actor, case_key, window_days, baseline_days, threshold, webhook, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Name, string(r.Kind), r.Actor, r.Case, r.WindowDays, r.BaselineDays, r.Threshold, r.Webhook, string(r.State), timeText(now), timeText(now))
	if isUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "watch rule %q already exists", r.Name)
	} else if err != nil {
		return fmt.Errorf("sqlite: watch rule %q: %w", r.Name, err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: watch rule %q: %w", r.Name, err)
	}
	r.CreatedAt, r.UpdatedAt = now, now
	return nil
}

// FindWatchRules returns every rule, by id.
func (s *Store) FindWatchRules(ctx context.Context) ([]*vigil.WatchRule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+watchRuleColumns+` FROM watch_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: watch rules: %w", err)
	}
	defer rows.Close()
	out := []*vigil.WatchRule{}
	for rows.Next() {
		r := &vigil.WatchRule{}
		var kind, state, ca, ua string
		if err := rows.Scan(&r.ID, &r.Name, &kind, &r.Actor, &r.Case, &r.WindowDays, &r.BaselineDays, &r.Threshold, &r.Webhook, &state, &ca, &ua); err != nil {
			return nil, fmt.Errorf("sqlite: watch rules: %w", err)
		}
		r.Kind, r.CreatedAt, r.UpdatedAt = vigil.WatchKind(kind), parseTime(ca), parseTime(ua)
		if state != "" {
			r.State = json.RawMessage(state)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdateWatchRuleState saves a rule's state.
func (s *Store) UpdateWatchRuleState(ctx context.Context, id int64, state json.RawMessage) error {
	res, err := s.w.ExecContext(ctx, `UPDATE watch_rules SET state = ?, updated_at = ? WHERE id = ?`, string(state), timeText(s.Now()), id)
	if err != nil {
		return fmt.Errorf("sqlite: watch rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "watch rule %d not found", id)
	}
	return nil
}

// DeleteWatchRule removes a rule; its alerts stay.
func (s *Store) DeleteWatchRule(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM watch_rules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: watch rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "watch rule %d not found", id)
	}
	return nil
}

// CreateAlert records an alert; a rule raises one alert per key.
func (s *Store) CreateAlert(ctx context.Context, a *vigil.Alert) error {
	if a.Key == "" || a.RuleID == 0 {
		return vigil.Errorf(vigil.EINVALID, "alert: rule and key required")
	}
	a.RaisedAt = s.Now()
	details := a.Details
	if details == nil {
		details = map[string]any{}
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO alerts (rule_id, rule_name, kind, key, message, details, raised_at, webhook, delivered, attempts, last_error, delivered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.RuleID, a.RuleName, string(a.Kind), a.Key, a.Message, mustJSON(details), timeText(a.RaisedAt), a.Webhook,
		a.Delivered, a.Attempts, a.LastError, optTime(a.DeliveredAt))
	if isUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "rule %d already raised alert %q", a.RuleID, a.Key)
	} else if err != nil {
		return fmt.Errorf("sqlite: alert %q: %w", a.Key, err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: alert %q: %w", a.Key, err)
	}
	return nil
}

// FindAlerts returns the alerts that match, newest first.
func (s *Store) FindAlerts(ctx context.Context, f vigil.AlertFilter) ([]*vigil.Alert, error) {
	var where []string
	var args []any
	if f.RuleID != 0 {
		where, args = append(where, "rule_id = ?"), append(args, f.RuleID)
	}
	if f.Undelivered {
		where = append(where, "delivered = 0 AND webhook != ''")
	}
	q := `SELECT id, rule_id, rule_name, kind, key, message, details, raised_at, webhook, delivered, attempts, last_error, delivered_at FROM alerts`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: alerts: %w", err)
	}
	defer rows.Close()
	out := []*vigil.Alert{}
	for rows.Next() {
		a := &vigil.Alert{}
		var kind, details, raised, delivered string
		if err := rows.Scan(&a.ID, &a.RuleID, &a.RuleName, &kind, &a.Key, &a.Message, &details, &raised, &a.Webhook,
			&a.Delivered, &a.Attempts, &a.LastError, &delivered); err != nil {
			return nil, fmt.Errorf("sqlite: alerts: %w", err)
		}
		a.Kind, a.RaisedAt = vigil.WatchKind(kind), parseTime(raised)
		if delivered != "" {
			a.DeliveredAt = parseTime(delivered)
		}
		if err := json.Unmarshal([]byte(details), &a.Details); err != nil {
			return nil, fmt.Errorf("sqlite: alert %d: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateAlertDelivery saves an alert's delivery state.
func (s *Store) UpdateAlertDelivery(ctx context.Context, a *vigil.Alert) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET delivered = ?, attempts = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
			a.Delivered, a.Attempts, a.LastError, optTime(a.DeliveredAt), a.ID)
		if err != nil {
			return fmt.Errorf("sqlite: alert %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vigil.Errorf(vigil.ENOTFOUND, "alert %d not found", a.ID)
		}
		return nil
	})
}
