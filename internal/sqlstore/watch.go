package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Watch is vigil.WatchService on a DB.
type Watch struct{ DB *DB }

var _ vigil.WatchService = Watch{}

const watchRuleColumns = `id, name, kind, actor, case_key, window_days, baseline_days, threshold, webhook, state, created_at, updated_at`

// CreateWatchRule records a rule.
func (s Watch) CreateWatchRule(ctx context.Context, r *vigil.WatchRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := s.DB.Now()
	id, err := s.DB.Write.Insert(ctx, `INSERT INTO watch_rules (name, kind, actor, case_key, window_days, baseline_days, threshold, webhook, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Name, string(r.Kind), r.Actor, r.Case, r.WindowDays, r.BaselineDays, r.Threshold, r.Webhook, string(r.State), timeText(now), timeText(now))
	if s.DB.IsUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "watch rule %q already exists", r.Name)
	} else if err != nil {
		return s.DB.errorf(err, "watch rule %q", r.Name)
	}
	r.ID, r.CreatedAt, r.UpdatedAt = id, now, now
	return nil
}

func scanWatchRule(row Row) (*vigil.WatchRule, error) {
	r := &vigil.WatchRule{}
	var kind, state, ca, ua string
	if err := row.Scan(&r.ID, &r.Name, &kind, &r.Actor, &r.Case, &r.WindowDays, &r.BaselineDays, &r.Threshold, &r.Webhook, &state, &ca, &ua); err != nil {
		return nil, err
	}
	r.Kind, r.CreatedAt, r.UpdatedAt = vigil.WatchKind(kind), parseTime(ca), parseTime(ua)
	if state != "" {
		r.State = json.RawMessage(state)
	}
	return r, nil
}

// FindWatchRules returns every rule, by id.
func (s Watch) FindWatchRules(ctx context.Context) ([]*vigil.WatchRule, error) {
	return all(ctx, s.DB, "watch rules", scanWatchRule, `SELECT `+watchRuleColumns+` FROM watch_rules ORDER BY id`)
}

// UpdateWatchRuleState saves a rule's state.
func (s Watch) UpdateWatchRuleState(ctx context.Context, id int64, state json.RawMessage) error {
	n, err := s.DB.Write.Exec(ctx, `UPDATE watch_rules SET state = ?, updated_at = ? WHERE id = ?`, string(state), timeText(s.DB.Now()), id)
	if err != nil {
		return s.DB.errorf(err, "watch rule %d", id)
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "watch rule %d not found", id)
	}
	return nil
}

// DeleteWatchRule removes a rule; its alerts stay.
func (s Watch) DeleteWatchRule(ctx context.Context, id int64) error {
	n, err := s.DB.Write.Exec(ctx, `DELETE FROM watch_rules WHERE id = ?`, id)
	if err != nil {
		return s.DB.errorf(err, "watch rule %d", id)
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "watch rule %d not found", id)
	}
	return nil
}

// CreateAlert records an alert; a rule raises one alert per key.
func (s Watch) CreateAlert(ctx context.Context, a *vigil.Alert) error {
	if a.Key == "" || a.RuleID == 0 {
		return vigil.Errorf(vigil.EINVALID, "alert: rule and key required")
	}
	a.RaisedAt = s.DB.Now()
	details := a.Details
	if details == nil {
		details = map[string]any{}
	}
	js, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("alert %q: details: %w", a.Key, err)
	}
	id, err := s.DB.Write.Insert(ctx, `INSERT INTO alerts (rule_id, rule_name, kind, key, message, details, raised_at, webhook, delivered, attempts, last_error, delivered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.RuleID, a.RuleName, string(a.Kind), a.Key, a.Message, string(js), timeText(a.RaisedAt), a.Webhook,
		a.Delivered, a.Attempts, a.LastError, optTime(a.DeliveredAt))
	if s.DB.IsUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "rule %d already raised alert %q", a.RuleID, a.Key)
	} else if err != nil {
		return s.DB.errorf(err, "alert %q", a.Key)
	}
	a.ID = id
	return nil
}

func scanAlert(row Row) (*vigil.Alert, error) {
	a := &vigil.Alert{}
	var kind, details, raised, delivered string
	if err := row.Scan(&a.ID, &a.RuleID, &a.RuleName, &kind, &a.Key, &a.Message, &details, &raised, &a.Webhook,
		&a.Delivered, &a.Attempts, &a.LastError, &delivered); err != nil {
		return nil, err
	}
	a.Kind, a.RaisedAt = vigil.WatchKind(kind), parseTime(raised)
	if delivered != "" {
		a.DeliveredAt = parseTime(delivered)
	}
	if err := json.Unmarshal([]byte(details), &a.Details); err != nil {
		return nil, fmt.Errorf("alert %d: details: %w", a.ID, err)
	}
	return a, nil
}

// FindAlerts returns the alerts that match, newest first.
func (s Watch) FindAlerts(ctx context.Context, f vigil.AlertFilter) ([]*vigil.Alert, error) {
	var where []string
	var args []any
	if f.RuleID != 0 {
		where, args = append(where, "rule_id = ?"), append(args, f.RuleID)
	}
	if f.Undelivered {
		where = append(where, "NOT delivered AND webhook != ''")
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
	return all(ctx, s.DB, "alerts", scanAlert, q, args...)
}

// UpdateAlertDelivery saves an alert's delivery state.
func (s Watch) UpdateAlertDelivery(ctx context.Context, a *vigil.Alert) error {
	n, err := s.DB.Write.Exec(ctx, `UPDATE alerts SET delivered = ?, attempts = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
		a.Delivered, a.Attempts, a.LastError, optTime(a.DeliveredAt), a.ID)
	if err != nil {
		return s.DB.errorf(err, "alert %d", a.ID)
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "alert %d not found", a.ID)
	}
	return nil
}
