package vigil

import (
	"context"
	"encoding/json"
	"net/url"
	"time"
)

// WatchKind names a kind of standing rule.
type WatchKind string

// The kinds of watch rule.
const (
	// WatchNewUnit fires when an actor strikes a country or admin-1 unit
	// it has not struck before in the data.
	WatchNewUnit WatchKind = "new-unit"
	// WatchTempo fires when an actor's events in the latest window run
	// above its baseline by an exact Poisson test of the rate ratio (the
	// 95% interval lies above 1).
	WatchTempo WatchKind = "tempo"
	// WatchContradiction fires on a new contradiction in an actor's
	// events above a threshold (for casualty figures, the ratio of the
	// highest to the lowest toll).
	WatchContradiction WatchKind = "contradiction"
	// WatchACHRanking fires when the ranking of an ACH case's hypotheses
	// changes.
	WatchACHRanking WatchKind = "ach-ranking"
)

// WatchRule is a standing question asked of the data each time it lands.
type WatchRule struct {
	ID   int64     `json:"id"`
	Name string    `json:"name"`
	Kind WatchKind `json:"kind"`
	// Actor is the actor the rule watches (any alias, whatever its
	// marking: rules run without a clearance); Case the ACH case for
	// ach-ranking rules. A reader below the marking of a name through
	// which Actor names an actor sees none of the rule's alerts, which
	// would tie that name to the events they may see (see the API's
	// alert list).
	Actor string `json:"actor,omitempty"`
	Case  string `json:"case,omitempty"`
	// WindowDays and BaselineDays size the tempo test: the latest
	// WindowDays against the BaselineDays before them (defaults 90, 365).
	WindowDays   int `json:"window_days,omitempty"`
	BaselineDays int `json:"baseline_days,omitempty"`
	// Threshold is the least ratio of highest to lowest toll for a
	// casualty contradiction to count (default 2); other contradiction
	// kinds always count.
	Threshold float64 `json:"threshold,omitempty"`
	// Webhook is the URL alerts are POSTed to; empty keeps them local.
	Webhook string `json:"webhook,omitempty"`
	// State is the rule's memory between runs (what it has already seen),
	// kept by the watch package. A rule with empty state is armed by its
	// first run, which raises no alerts for what is already there.
	State     json.RawMessage `json:"state,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Validate checks the rule.
func (r *WatchRule) Validate() error {
	switch r.Kind {
	case WatchNewUnit, WatchTempo, WatchContradiction:
		if r.Actor == "" {
			return Errorf(EINVALID, "watch rule %q: %s needs an actor", r.Name, r.Kind)
		}
	case WatchACHRanking:
		if r.Case == "" {
			return Errorf(EINVALID, "watch rule %q: ach-ranking needs a case", r.Name)
		}
	default:
		return Errorf(EINVALID, "watch rule %q: kind %q: want new-unit, tempo, contradiction or ach-ranking", r.Name, r.Kind)
	}
	if r.Name == "" {
		return Errorf(EINVALID, "watch rule: name required")
	}
	if r.WindowDays < 0 || r.BaselineDays < 0 || r.Threshold < 0 {
		return Errorf(EINVALID, "watch rule %q: negative window, baseline or threshold", r.Name)
	}
	if r.Threshold > 0 && r.Threshold < 1 {
		// The highest toll over the lowest is never below 1.
		return Errorf(EINVALID, "watch rule %q: threshold %g: want 1 or more (the highest toll over the lowest)", r.Name, r.Threshold)
	}
	if r.Webhook != "" {
		u, err := url.Parse(r.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Errorf(EINVALID, "watch rule %q: webhook %q: want an http or https URL", r.Name, r.Webhook)
		}
	}
	return nil
}

// Alert is what a rule raised. Key identifies the finding within its rule
// (the unit entered, the event and kind of a contradiction), so that one
// finding raises one alert.
type Alert struct {
	ID       int64     `json:"id"`
	RuleID   int64     `json:"rule_id"`
	RuleName string    `json:"rule"`
	Kind     WatchKind `json:"kind"`
	Key      string    `json:"key"`
	Message  string    `json:"message"`
	// Details carries the finding's figures and the ids of the events
	// behind it.
	Details   map[string]any `json:"details,omitempty"`
	RaisedAt  time.Time      `json:"raised_at"`
	Webhook   string         `json:"webhook,omitempty"`
	Delivered bool           `json:"delivered"`
	// Attempts counts the deliveries tried; LastError is the last one's
	// failure.
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error,omitempty"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
}

// AlertFilter selects alerts. Zero fields select everything.
type AlertFilter struct {
	RuleID int64
	// Undelivered keeps alerts with a webhook that has not taken them.
	Undelivered bool
	Limit       int
}

// WatchService keeps watch rules and the alerts they raise.
type WatchService interface {
	// CreateWatchRule records a rule and sets its ID. EINVALID, or
	// ECONFLICT when the name is taken.
	CreateWatchRule(ctx context.Context, r *WatchRule) error
	// FindWatchRules returns every rule, by id.
	FindWatchRules(ctx context.Context) ([]*WatchRule, error)
	// UpdateWatchRuleState saves a rule's state. ENOTFOUND.
	UpdateWatchRuleState(ctx context.Context, id int64, state json.RawMessage) error
	// DeleteWatchRule removes a rule; its alerts stay. ENOTFOUND.
	DeleteWatchRule(ctx context.Context, id int64) error
	// CreateAlert records an alert and sets its ID and RaisedAt.
	// ECONFLICT when the rule already raised one with the same key.
	CreateAlert(ctx context.Context, a *Alert) error
	// FindAlerts returns the alerts that match, newest first.
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, error)
	// UpdateAlertDelivery saves an alert's delivery state. ENOTFOUND.
	UpdateAlertDelivery(ctx context.Context, a *Alert) error
}
