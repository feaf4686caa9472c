package http

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/vigil-osint/vigil"
)

// listAlerts returns the alerts the watch rules raised, newest first
// (rule_id, limit 1–1000, default 100), those the reader may see (see
// alertVisible and namesCleared). Webhook addresses and delivery errors show to admins
// only.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Watch == nil {
		return errorf(eNotImplemented, "this store keeps no alerts")
	}
	q := r.URL.Query()
	f := vigil.AlertFilter{Limit: 100}
	var err error
	if f.RuleID, err = queryID(r, "rule_id"); err != nil {
		return err
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errorf(vigil.EINVALID, "limit %q: want 1–1000", v)
		}
		f.Limit = n
	}
	ctx := r.Context()
	all := p.seesAll()
	// Hidden alerts are filtered after the store's limit: read more, so
	// that a page is full where it can be.
	want := f.Limit
	if !all {
		f.Limit = 0
	}
	alerts, err := s.Watch.FindAlerts(ctx, f)
	if err != nil {
		return err
	}
	var ids []int64
	for _, a := range alerts {
		if id, ok := alertEvent(a); ok {
			ids = append(ids, id)
		}
	}
	ev := map[int64]bool{}
	if !all {
		if ev, err = s.visibleEvents(ctx, p, ids); err != nil {
			return err
		}
	}
	out := []*vigil.Alert{}
	named := map[string]bool{} // rule actor → whether the reader may see what it names
	for _, a := range alerts {
		if len(out) == want {
			break
		}
		if !all && !alertVisible(a, ev) {
			continue
		}
		if !all {
			ok, err := s.namesCleared(ctx, p, a, named)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		c := *a
		if p.user.Role != vigil.RoleAdmin {
			c.Webhook, c.LastError = "", ""
		}
		out = append(out, &c)
	}
	return writeJSON(w, http.StatusOK, out)
}

// alertEvent returns the event an alert is about, if one.
func alertEvent(a *vigil.Alert) (int64, bool) {
	switch v := a.Details["event_id"].(type) {
	case float64:
		return int64(v), true
	case int64:
		return v, true
	case int:
		return int64(v), true
	}
	return 0, false
}

// alertVisible reports whether a reader who is not cleared for
// everything may see an alert: one about an event when they may see the
// event. Tempo and ranking alerts were computed on every event and source
// of their time, whatever its marking, so they show only to readers cleared
// for everything (hiding them once material above a reader's clearance
// lands would tell the reader that it had).
func alertVisible(a *vigil.Alert, ev map[int64]bool) bool {
	switch a.Kind {
	case vigil.WatchNewUnit, vigil.WatchContradiction:
		id, ok := alertEvent(a)
		return ok && ev[id]
	}
	return false
}

// namesCleared reports whether a reader who is not cleared for everything
// may see an alert of a rule on an actor: when the rule's actor (the name
// it was given, in the alert's details) names, through the names the
// reader's clearance allows, every actor it names in the store. A rule
// watches through every name, whatever its marking, so an alert of a rule
// on an alias above the reader's clearance, or on a name that also names
// an actor above it, would tie that alias to the event the reader sees: the
// alert is hidden from them, not shown without the alias (its rule name
// and message may spell the alias too). known caches the answers by name.
func (s *Server) namesCleared(ctx context.Context, p *principal, a *vigil.Alert, known map[string]bool) (bool, error) {
	name, _ := a.Details["actor"].(string)
	if name == "" {
		return a.Kind == vigil.WatchACHRanking, nil
	}
	if ok, done := known[name]; done {
		return ok, nil
	}
	every, err := s.Store.FindActors(ctx, vigil.ActorFilter{Name: name})
	if err != nil {
		return false, err
	}
	cleared, err := s.Store.FindActors(ctx, vigil.ActorFilter{Name: name, Clearance: p.clearance()})
	if err != nil {
		return false, err
	}
	ok := len(every) == len(cleared)
	for _, x := range every {
		ok = ok && slices.ContainsFunc(cleared, func(c *vigil.Actor) bool { return c.ID == x.ID })
	}
	known[name] = ok
	return ok, nil
}
