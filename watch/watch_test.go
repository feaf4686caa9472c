package watch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/sqlite"
	"github.com/vigil-osint/vigil/watch"
)

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr(f float64) *float64 { return &f }

func newStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}))
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Ministry", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC}))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "iskp", Name: "Islamic State Khorasan Province", Kind: vigil.ActorArmedGroup,
		Names: []vigil.ActorName{{Name: "ISKP"}}}))
	return s
}

// strike makes one source's report of an ISKP attack.
func strike(source, key, date, country, admin1 string, killed vigil.Range) vigil.Item {
	r := vigil.Report{Key: key, EventKey: key + "-ev",
		DateStart: vigil.MustDate(date), DateEnd: vigil.MustDate(date), DatePrecision: vigil.DateDay,
		Place:     vigil.Place{Name: admin1, Latitude: ptr(35), Longitude: ptr(68), Precision: vigil.LocationExact, Country: country, Admin1: admin1},
		EventType: vigil.EventExplosions, SubEventType: "Suicide bomb",
		Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}},
		Killed: killed, Credibility: vigil.CredibilityProbable}
	return vigil.Item{Document: vigil.Document{Source: source, Key: source + ":" + key, Title: key, ContentHash: source + key}, Reports: []vigil.Report{r}}
}

// hook is a real HTTP server on 127.0.0.1 that answers with the given
// statuses in turn (200 once they run out) and keeps what it received.
type hook struct {
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []received
}

type received struct {
	body []byte
	hdr  http.Header
}

func newHook(t *testing.T, statuses ...int) *hook {
	h := &hook{statuses: statuses}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, received{b, r.Header.Clone()})
		code := http.StatusOK
		if len(h.statuses) > 0 {
			code, h.statuses = h.statuses[0], h.statuses[1:]
		}
		h.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(h.srv.Close)
	if !strings.HasPrefix(h.srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", h.srv.URL)
	}
	return h
}

// posts returns what the server has received so far.
func (h *hook) posts() []received {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got)
}

var secret = []byte("test-secret")

func deliverer() *watch.Deliverer {
	return &watch.Deliverer{Secret: secret, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}
}

// TestNewCountryFiresToWebhook is the end to end: a rule armed on
// the data, new events land, the rule fires, the alert reaches a real
// local server signed, and it is not raised again.
func TestNewCountryFiresToWebhook(t *testing.T) {
	s := newStore(t)
	h := newHook(t)
	_, err := s.Ingest(ctx, nil, []vigil.Item{
		strike("Wire", "a", "2021-10-08", "AF", "AF-KDZ", vigil.Exact(50)),
		strike("Wire", "b", "2021-10-15", "AF", "AF-KAN", vigil.Exact(47)),
	})
	must(t, err)
	rule := &vigil.WatchRule{Name: "iskp-reach", Kind: vigil.WatchNewUnit, Actor: "ISKP", Webhook: h.srv.URL + "/hook"}
	must(t, s.CreateWatchRule(ctx, rule))
	landed, err := watch.AfterIngest(ctx, s, deliverer())
	must(t, err)
	if len(landed.Alerts) != 0 {
		t.Fatalf("arming run raised %d alerts, want none", len(landed.Alerts))
	}

	_, err = s.Ingest(ctx, nil, []vigil.Item{
		strike("Wire", "c", "2022-04-18", "UZ", "UZ-SU", vigil.Exact(0)),
		strike("Wire", "d", "2022-04-21", "AF", "AF-KDZ", vigil.Exact(31)), // a unit already struck
	})
	must(t, err)
	landed, err = watch.AfterIngest(ctx, s, deliverer())
	must(t, err)
	var keys []string
	for _, a := range landed.Alerts {
		keys = append(keys, a.Key)
	}
	if want := []string{"country:UZ", "admin1:UZ/UZ-SU"}; !slices.Equal(keys, want) {
		t.Fatalf("alerts = %v, want %v", keys, want)
	}
	if landed.Delivered != 2 || landed.DeliveryErr != nil {
		t.Fatalf("delivered %d (%v), want 2", landed.Delivered, landed.DeliveryErr)
	}
	if len(h.posts()) != 2 {
		t.Fatalf("server received %d posts, want 2", len(h.posts()))
	}
	for _, r := range h.posts() {
		ts, sig := r.hdr.Get(watch.HeaderTimestamp), r.hdr.Get(watch.HeaderSignature)
		if !watch.Verify(secret, ts, r.body, sig) {
			t.Errorf("signature %q does not verify", sig)
		}
		if watch.Verify([]byte("other"), ts, r.body, sig) {
			t.Error("signature verifies under another secret")
		}
		if r.hdr.Get("Content-Type") != "application/json" {
			t.Errorf("content type %q", r.hdr.Get("Content-Type"))
		}
		var p watch.Payload
		must(t, json.Unmarshal(r.body, &p))
		if p.Alert == nil || p.Alert.RuleName != "iskp-reach" || !strings.Contains(p.Alert.Message, "UZ") {
			t.Errorf("payload = %s", r.body)
		}
	}
	if got := h.posts()[0].hdr.Get(watch.HeaderDelivery); got == "" {
		t.Error("no delivery id header")
	}
	all, err := s.FindAlerts(ctx, vigil.AlertFilter{})
	must(t, err)
	for _, a := range all {
		if !a.Delivered || a.Attempts != 1 || a.DeliveredAt.IsZero() {
			t.Errorf("stored alert %+v, want delivered at the first attempt", a)
		}
	}
	// Nothing new: nothing raised, nothing sent.
	landed, err = watch.AfterIngest(ctx, s, deliverer())
	must(t, err)
	if len(landed.Alerts) != 0 || len(h.posts()) != 2 {
		t.Errorf("a quiet run raised %d alerts and the server has %d posts", len(landed.Alerts), len(h.posts()))
	}
}

func TestDeliveryRetries(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int
		delivered bool
		attempts  int
	}{
		{"first time", nil, true, 1},
		{"after two failures", []int{503, 500}, true, 3},
		{"rate limited", []int{429}, true, 2},
		{"refused", []int{400}, false, 1},
		{"gives up", []int{502, 502, 502, 502, 502, 502}, false, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHook(t, tt.statuses...)
			var waits []time.Duration
			d := deliverer()
			d.Sleep = func(ctx context.Context, w time.Duration) error { waits = append(waits, w); return nil }
			a := &vigil.Alert{ID: 7, RuleName: "r", Key: "k", Message: "m", Webhook: h.srv.URL}
			err := d.Deliver(ctx, a)
			if (err == nil) != tt.delivered || a.Delivered != tt.delivered || a.Attempts != tt.attempts {
				t.Fatalf("Deliver = %v, alert %+v; want delivered %v after %d attempts", err, a, tt.delivered, tt.attempts)
			}
			if len(h.posts()) != tt.attempts {
				t.Errorf("server got %d posts, want %d", len(h.posts()), tt.attempts)
			}
			for i := 1; i < len(waits); i++ {
				if waits[i] < waits[i-1] && waits[i-1] < d.MaxBackoff {
					t.Errorf("backoff shrank: %v", waits)
				}
			}
			if !tt.delivered && a.LastError == "" {
				t.Error("no last error recorded")
			}
		})
	}
}

func TestUnreachableStaysPending(t *testing.T) {
	s := newStore(t)
	h := newHook(t)
	url := h.srv.URL
	h.srv.Close() // nobody listens any more
	rule := &vigil.WatchRule{Name: "r", Kind: vigil.WatchNewUnit, Actor: "ISKP", Webhook: url}
	must(t, s.CreateWatchRule(ctx, rule))
	must(t, s.CreateAlert(ctx, &vigil.Alert{RuleID: rule.ID, RuleName: "r", Kind: rule.Kind, Key: "k", Message: "m", Webhook: url}))
	d := deliverer()
	d.Attempts = 2
	n, err := watch.DeliverPending(ctx, s, d)
	if n != 0 || err == nil {
		t.Fatalf("DeliverPending = %d, %v; want 0 and an error", n, err)
	}
	pending, err := s.FindAlerts(ctx, vigil.AlertFilter{Undelivered: true})
	must(t, err)
	if len(pending) != 1 || pending[0].Attempts != 2 || pending[0].LastError == "" {
		t.Errorf("pending = %+v, want one alert with 2 attempts and the error", pending)
	}
	// Without a secret nothing is sent, signed or not.
	if err := (&watch.Deliverer{}).Deliver(ctx, pending[0]); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Errorf("unsigned delivery: %v, want EINVALID", err)
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		rule  vigil.WatchRule
		later []vigil.Item
		want  []string
	}{
		{"tempo above baseline", vigil.WatchRule{Kind: vigil.WatchTempo, Actor: "ISKP", WindowDays: 30, BaselineDays: 365},
			burst("2023-06-", 12), []string{"tempo:2023-06"}},
		{"tempo at baseline stays quiet", vigil.WatchRule{Kind: vigil.WatchTempo, Actor: "ISKP", WindowDays: 30, BaselineDays: 365},
			burst("2023-06-", 1), nil},
		{"casualty contradiction over the threshold", vigil.WatchRule{Kind: vigil.WatchContradiction, Actor: "ISKP", Threshold: 2},
			[]vigil.Item{strike("Wire", "x", "2023-07-30", "PK", "PK-KP", vigil.Exact(20)), strike("Ministry", "x", "2023-07-30", "PK", "PK-KP", vigil.Exact(63))},
			[]string{"contradiction:"}},
		{"casualty contradiction under the threshold", vigil.WatchRule{Kind: vigil.WatchContradiction, Actor: "ISKP", Threshold: 5},
			[]vigil.Item{strike("Wire", "x", "2023-07-30", "PK", "PK-KP", vigil.Exact(20)), strike("Ministry", "x", "2023-07-30", "PK", "PK-KP", vigil.Exact(63))},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			// A steady year: one event a month.
			var base []vigil.Item
			for m := range 12 {
				base = append(base, strike("Wire", fmt.Sprintf("base%d", m), time.Date(2022, time.Month(6+m), 10, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), "AF", "AF-NAN", vigil.Exact(3)))
			}
			_, err := s.Ingest(ctx, nil, base)
			must(t, err)
			r := tt.rule
			r.Name = "rule"
			must(t, s.CreateWatchRule(ctx, &r))
			as, err := watch.Run(ctx, s)
			must(t, err)
			if len(as) != 0 {
				t.Fatalf("arming raised %v", as)
			}
			// Reports of one event share the event key.
			for i := range tt.later {
				tt.later[i].Reports[0].EventKey = tt.later[i].Reports[0].Key
			}
			_, err = s.Ingest(ctx, nil, tt.later)
			must(t, err)
			as, err = watch.Run(ctx, s)
			must(t, err)
			if len(as) != len(tt.want) {
				t.Fatalf("alerts = %+v, want %v", as, tt.want)
			}
			for i, a := range as {
				if !strings.HasPrefix(a.Key, tt.want[i]) {
					t.Errorf("alert %q, want prefix %q", a.Key, tt.want[i])
				}
				t.Log(a.Message)
			}
		})
	}
}

// burst makes n events on consecutive days of a month given as "2023-06-".
func burst(month string, n int) []vigil.Item {
	var out []vigil.Item
	for i := range n {
		out = append(out, strike("Wire", fmt.Sprintf("burst%d", i), fmt.Sprintf("%s%02d", month, i+1), "AF", "AF-NAN", vigil.Exact(1)))
	}
	return out
}

// A rule that fails (its ACH case is gone) must not silence the others:
// they still raise and deliver their alerts, and the error names the rule
// that failed.
func TestBrokenRuleDoesNotStopOthers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		broken vigil.WatchRule
	}{
		{"missing case", vigil.WatchRule{Name: "gone-case", Kind: vigil.WatchACHRanking, Case: "no-such-case"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			h := newHook(t)
			_, err := s.Ingest(ctx, nil, []vigil.Item{strike("Wire", "a", "2021-10-08", "AF", "AF-KDZ", vigil.Exact(50))})
			must(t, err)
			// The broken rule comes first, so that a run stopping at it
			// would never reach the good one.
			broken := tc.broken
			must(t, s.CreateWatchRule(ctx, &broken))
			must(t, s.CreateWatchRule(ctx, &vigil.WatchRule{Name: "iskp-reach", Kind: vigil.WatchNewUnit, Actor: "ISKP", Webhook: h.srv.URL}))
			if _, err := watch.AfterIngest(ctx, s, deliverer()); err == nil || !strings.Contains(err.Error(), broken.Name) {
				t.Fatalf("arming run: error %v, want one naming rule %q", err, broken.Name)
			}
			_, err = s.Ingest(ctx, nil, []vigil.Item{strike("Wire", "c", "2022-04-18", "UZ", "UZ-SU", vigil.Exact(0))})
			must(t, err)
			landed, err := watch.AfterIngest(ctx, s, deliverer())
			if err == nil || !strings.Contains(err.Error(), broken.Name) || strings.Contains(err.Error(), "iskp-reach") {
				t.Errorf("error %v, want one naming only rule %q", err, broken.Name)
			}
			if landed == nil || len(landed.Alerts) != 2 || landed.Delivered != 2 || len(h.posts()) != 2 {
				t.Fatalf("landed %+v with %d posts, want the good rule's 2 alerts raised and delivered", landed, len(h.posts()))
			}
		})
	}
}
