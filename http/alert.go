package http

import (
	"net/http"
	"strconv"

	"github.com/vigil-osint/vigil"
)

// listAlerts returns the alerts the watch rules raised, newest first
// (rule_id, limit 1–1000, default 100), those the reader may see (see
// alertVisible). Webhook addresses and delivery errors show to admins
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
	for _, a := range alerts {
		if len(out) == want {
			break
		}
		if !all && !alertVisible(a, ev) {
			continue
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
