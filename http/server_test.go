package http

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
)

// TestScenarios runs table-driven requests against a real server on a real
// SQLite file holding the demo case.
func TestScenarios(t *testing.T) {
	f := newFixture(t, nil)
	hostile := f.eventByKey("hostile-2023-05-01")
	big := strings.Repeat("x", 2<<20)
	tests := []struct {
		name         string
		method, path string
		user         string
		body         any
		header       []string
		status       int
		ctype        string   // wanted Content-Type prefix
		contains     []string // wanted in the body
		absent       []string // never in the body
	}{
		{"health needs no sign-in", "GET", "/api/v1/health", "", nil, nil, 200, "application/json", []string{`"ok"`}, nil},
		{"openapi is public", "GET", "/api/v1/openapi.json", "", nil, nil, 200, "application/json", []string{`"openapi": "3.1.0"`, `/api/v1/events/{id}`}, nil},
		{"events need sign-in", "GET", "/api/v1/events", "", nil, nil, 401, "application/problem+json", []string{`"code":"unauthorized"`, `"status":401`}, nil},
		{"a bad token is refused", "GET", "/api/v1/events", "", nil, []string{"Authorization", "Bearer vgl_nope"}, 401, "application/problem+json", nil, nil},
		{"a non-bearer header is refused", "GET", "/api/v1/events", "", nil, []string{"Authorization", "Basic YTpi"}, 401, "application/problem+json", nil, nil},
		{"ISKP events", "GET", "/api/v1/events?actor=ISKP&limit=5", "green", nil, nil, 200, "application/json", []string{`"total":`, `"limit":5`}, nil},
		{"events by alias and country", "GET", "/api/v1/events?actor=IS-K&country=AF,PK&from=2021-01-01&to=2024-12-31&sort=-killed", "green", nil, nil, 200, "application/json", []string{`"country":"AF"`}, nil},
		{"events of a type", "GET", "/api/v1/events?type=Battles&limit=1", "green", nil, nil, 200, "application/json", []string{`"event_type":"Battles"`}, nil},
		{"events by country", "GET", "/api/v1/event-summary?actor=ISKP", "green", nil, nil, 200, "application/json", []string{`"key":"AF"`, `"events":`, `"killed_best":`}, nil},
		{"events by grid cell", "GET", "/api/v1/event-summary?by=grid&country=AF", "green", nil, nil, 200, "application/json", []string{`"key":"34,69"`}, nil},
		{"an unknown grouping", "GET", "/api/v1/event-summary?by=e.data", "green", nil, nil, 400, "application/problem+json", nil, nil},
		{"a bad date is a 400 problem", "GET", "/api/v1/events?from=yesterday", "green", nil, nil, 400, "application/problem+json", []string{`"code":"invalid"`, `from:`}, nil},
		{"a bad sort is a 400", "GET", "/api/v1/events?sort=killed%3BDROP%20TABLE%20events", "green", nil, nil, 400, "application/problem+json", nil, nil},
		{"a limit over 1000 is a 400", "GET", "/api/v1/events?limit=100000", "green", nil, nil, 400, "application/problem+json", nil, nil},
		{"SQL in the actor filter matches nothing", "GET", "/api/v1/events?actor=%27%20OR%201%3D1%20--", "green", nil, nil, 200, "application/json", []string{`"total":0`, `"items":[]`}, nil},
		{"SQL in admin1 matches nothing", "GET", "/api/v1/events?admin1=x%27)%20OR%20(%271%27=%271", "green", nil, nil, 200, "application/json", []string{`"total":0`}, nil},
		{"SQL in country is refused", "GET", "/api/v1/events?country=AF%27%20OR%20%271%27=%271", "green", nil, nil, 400, "application/problem+json", nil, nil},
		{"a bad id is a 400", "GET", "/api/v1/events/abc", "green", nil, nil, 400, "application/problem+json", nil, nil},
		{"a missing event is a 404", "GET", "/api/v1/events/999999", "green", nil, nil, 404, "application/problem+json", []string{`"detail":"event 999999"`}, nil},
		{"event detail has its reports side by side", "GET", fmt.Sprintf("/api/v1/events/%d", hostile), "green", nil, nil, 200, "application/json",
			[]string{`"reports":[{"report":`, `"document":`, `"source":`}, nil},
		{"script tags in text come back escaped JSON", "GET", fmt.Sprintf("/api/v1/events/%d", hostile), "green", nil, nil, 200, "application/json; charset=utf-8",
			[]string{`\u003cscript\u003ealert(document.cookie)\u003c/script\u003e`, `\u003cimg src=x onerror=alert(1)\u003e`}, []string{"<script", "<img", "</textarea>"}},
		{"documents list without text", "GET", "/api/v1/documents?limit=3", "green", nil, nil, 200, "application/json", []string{`"total":`}, []string{`"text":`}},
		{"sources with counts", "GET", "/api/v1/sources", "green", nil, nil, 200, "application/json", []string{`"documents":`, `"events":`}, []string{"<img"}},
		{"actors by alias", "GET", "/api/v1/actors?name=Daesh", "green", nil, nil, 200, "application/json", []string{`"iskp"`}, nil},
		{"an actor", "GET", "/api/v1/actors/iskp", "green", nil, nil, 200, "application/json", []string{`"id":"iskp"`}, nil},
		{"an unknown actor", "GET", "/api/v1/actors/nobody", "green", nil, nil, 404, "application/problem+json", nil, nil},
		{"relationships", "GET", "/api/v1/relationships", "green", nil, nil, 200, "application/json", nil, nil},
		{"a bad relationship type", "GET", "/api/v1/relationships?type=%3Cscript%3E", "green", nil, nil, 400, "application/problem+json", nil, []string{"<script>"}},
		{"imports", "GET", "/api/v1/imports", "green", nil, nil, 200, "application/json", []string{`"format":"test"`}, nil},
		{"viewers cannot list users", "GET", "/api/v1/users", "green", nil, nil, 403, "application/problem+json", []string{`"code":"forbidden"`}, nil},
		{"admins list users without hashes", "GET", "/api/v1/users", "admin", nil, nil, 200, "application/json", []string{`"name":"green"`}, []string{"argon2", "password"}},
		{"viewers cannot read the audit log", "GET", "/api/v1/audit", "green", nil, nil, 403, "application/problem+json", nil, nil},
		{"admins read the audit log", "GET", "/api/v1/audit?limit=2", "admin", nil, nil, 200, "application/json", []string{`"action":"user.create"`, `"prev_hash":""`}, []string{"argon2"}},
		{"the audit chain verifies", "GET", "/api/v1/audit/verify", "admin", nil, nil, 200, "application/json", []string{`"ok":true`}, nil},
		{"viewers cannot regrade", "PATCH", "/api/v1/sources/1", "green", `{"reliability":"A"}`, []string{"If-Match", `"x"`}, 403, "application/problem+json", nil, nil},
		{"viewers cannot upload", "POST", "/api/v1/imports?format=casefile", "green", []byte("{}"), nil, 403, "application/problem+json", nil, nil},
		{"an unknown upload format", "POST", "/api/v1/imports?format=%3Cscript%3E", "analyst", []byte("{}"), nil, 400, "application/problem+json", nil, []string{"<script>"}},
		{"an oversized upload is a 413", "POST", "/api/v1/imports?format=casefile", "analyst", []byte(strings.Repeat("x", 65<<10)), nil, 413, "application/problem+json", []string{`"code":"too_large"`}, nil},
		{"malformed JSON is a 400 problem", "POST", "/api/v1/session", "", `{"name": "admin", "password": `, nil, 400, "application/problem+json", []string{"malformed JSON"}, nil},
		{"JSON with an unknown field", "POST", "/api/v1/tokens", "green", `{"name":"x","role":"admin"}`, nil, 400, "application/problem+json", []string{`unknown field \"role\"`}, nil},
		{"two JSON values", "POST", "/api/v1/tokens", "green", `{"name":"x"}{"name":"y"}`, nil, 400, "application/problem+json", nil, nil},
		{"JSON of the wrong type", "POST", "/api/v1/tokens", "green", `{"name":5}`, nil, 400, "application/problem+json", []string{"wrong type"}, nil},
		{"a JSON body over 1 MiB is a 413", "POST", "/api/v1/tokens", "green", `{"name":"` + big + `"}`, nil, 413, "application/problem+json", nil, nil},
		{"a form body is a 415", "POST", "/api/v1/session", "", "name=admin", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "application/problem+json", nil, nil},
		{"a wrong password", "POST", "/api/v1/session", "", `{"name":"admin","password":"wrong-password-1"}`, nil, 401, "application/problem+json", []string{"wrong name or password"}, nil},
		{"an unknown user gets the same answer", "POST", "/api/v1/session", "", `{"name":"nobody","password":"wrong-password-1"}`, nil, 401, "application/problem+json", []string{"wrong name or password"}, nil},
		{"cross-site writes are refused", "POST", "/api/v1/tokens", "green", `{"name":"x"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, "application/problem+json", []string{"cross-origin"}, nil},
		{"a wrong method is a 405 problem", "DELETE", "/api/v1/events", "green", nil, nil, 405, "application/problem+json", []string{`"code":"method_not_allowed"`, "allowed: GET"}, nil},
		{"an unknown API path is a 404 problem", "GET", "/api/v1/nothing", "green", nil, nil, 404, "application/problem+json", nil, nil},
		{"GeoJSON export escapes markup", "GET", "/api/v1/export/geojson?from=2023-05-01&to=2023-05-01", "green", nil, nil, 200, "application/geo+json",
			[]string{`"FeatureCollection"`, `\u003cscript\u003e`}, []string{"<script", "<b>"}},
		{"CSV export is an attachment", "GET", "/api/v1/export/acled-csv?actor=ISKP", "green", nil, nil, 200, "text/csv", []string{"event_date"}, nil},
		{"an unknown export format", "GET", "/api/v1/export/xlsx", "green", nil, nil, 404, "application/problem+json", nil, nil},
		{"exports need sign-in", "GET", "/api/v1/export/csv", "", nil, nil, 401, "application/problem+json", nil, nil},
		{"the index page has no inline script", "GET", "/", "", nil, nil, 200, "text/html", []string{"vigil", `<script type="module" crossorigin src="/assets/index.js"></script>`}, []string{"<script>", "onload=", "javascript:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(tt.method, tt.path, tt.user, tt.body, tt.header...)
			if res.status != tt.status {
				t.Fatalf("%s %s: status %d, want %d\n%s", tt.method, tt.path, res.status, tt.status, res.body[:min(len(res.body), 500)])
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			for _, s := range tt.contains {
				if !strings.Contains(res.body, s) {
					t.Errorf("body lacks %q:\n%s", s, res.body[:min(len(res.body), 800)])
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(res.body, s) {
					t.Errorf("body holds %q", s)
				}
			}
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"X-Frame-Options":        "DENY",
			} {
				if got := res.header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			csp := res.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

// TestClearance proves that a reader cleared for GREEN learns nothing of
// AMBER material through any endpoint: every response they get is the same
// byte for byte before and after the material lands, and the AMBER event,
// document, source and batch are "not found" exactly as missing ones are.
func TestClearance(t *testing.T) {
	f := newFixture(t, nil)
	greenPaths := []string{
		"/api/v1/events?limit=1000",
		"/api/v1/events?actor=ISKP&limit=1000",
		"/api/v1/events?country=TJ",
		"/api/v1/events?country=TJ&from=2023-01-01&to=2023-12-31",
		"/api/v1/events?actor=ISKP&sort=-killed&limit=3",
		"/api/v1/events?type=Explosions/Remote%20violence&sort=-date&limit=1",
		"/api/v1/events?limit=1&offset=100",
		"/api/v1/documents?limit=1000",
		"/api/v1/documents?limit=1",
		"/api/v1/sources",
		"/api/v1/actors",
		"/api/v1/relationships",
		"/api/v1/imports",
		"/api/v1/event-summary",
		"/api/v1/event-summary?by=admin1&actor=ISKP",
		"/api/v1/event-summary?by=month&country=TJ",
		"/api/v1/event-summary?by=grid&from=2023-01-01",
		"/api/v1/export/csv",
		"/api/v1/export/geojson?country=TJ",
		"/api/v1/export/acled-csv",
		"/api/v1/export/ucdp-csv?actor=ISKP",
		"/api/v1/export/stix",
		"/api/v1/export/stix?country=TJ",
	}
	before := map[string]string{}
	for _, p := range greenPaths {
		res := f.do("GET", p, "green", nil)
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", p, res.status, res.body)
		}
		before[p] = res.body
	}
	jb := f.upload("analyst", "testdata/amber-case.json")
	if jb.Status != vigil.BatchDone || jb.Counts.New != 1 || jb.BatchID == 0 {
		t.Fatalf("AMBER upload = %+v", jb)
	}
	amberEvent := f.eventByKey("amber-khatlon-2023-03-01")
	var docs listResponse[*vigil.Document]
	f.do("GET", fmt.Sprintf("/api/v1/documents?batch_id=%d", jb.BatchID), "admin", nil).json(t, &docs)
	if len(docs.Items) != 1 {
		t.Fatalf("the admin sees %d documents of the AMBER batch, want 1", len(docs.Items))
	}
	amberDoc, amberSource := docs.Items[0].ID, docs.Items[0].SourceID
	// A relationship asserted by the AMBER document only.
	if err := f.store.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "taliban", Type: "rivalry",
		Description: "SECRET-AMBER-MARKER rivalry", DocumentIDs: []int64{amberDoc}}); err != nil {
		t.Fatal(err)
	}

	t.Run("lists and counts are unchanged", func(t *testing.T) {
		for _, p := range greenPaths {
			if got := f.do("GET", p, "green", nil).body; got != before[p] {
				t.Errorf("GET %s changed for GREEN when AMBER material landed:\nbefore %.300s\nafter  %.300s", p, before[p], got)
			}
		}
	})
	t.Run("AMBER is visible to AMBER", func(t *testing.T) {
		for _, p := range []string{"/api/v1/events?country=TJ", "/api/v1/sources", "/api/v1/relationships", "/api/v1/export/stix",
			fmt.Sprintf("/api/v1/events/%d", amberEvent), fmt.Sprintf("/api/v1/documents/%d", amberDoc)} {
			if res := f.do("GET", p, "analyst", nil); res.status != 200 || !strings.Contains(res.body, "Liaison Service Alpha") && !strings.Contains(res.body, "SECRET-AMBER-MARKER") {
				t.Errorf("GET %s as AMBER: %d, the AMBER material is missing", p, res.status)
			}
		}
	})
	idNumbers := regexp.MustCompile(`[0-9]+`)
	notFound := []struct {
		name          string
		method, amber string
		missing       string
	}{
		{"event", "GET", fmt.Sprintf("/api/v1/events/%d", amberEvent), "/api/v1/events/987654"},
		{"document", "GET", fmt.Sprintf("/api/v1/documents/%d", amberDoc), "/api/v1/documents/987654"},
		{"source", "GET", fmt.Sprintf("/api/v1/sources/%d", amberSource), "/api/v1/sources/987654"},
		{"batch", "GET", fmt.Sprintf("/api/v1/imports/%d", jb.BatchID), "/api/v1/imports/987654"},
		{"regrading an AMBER source", "PATCH", fmt.Sprintf("/api/v1/sources/%d", amberSource), "/api/v1/sources/987654"},
	}
	for _, tt := range notFound {
		t.Run(tt.name+" is not found", func(t *testing.T) {
			user, body := "green", any(nil)
			if tt.method == "PATCH" {
				user, body = "greenanalyst", `{"reliability":"A"}`
			}
			a := f.do(tt.method, tt.amber, user, body, "If-Match", `"x"`)
			m := f.do(tt.method, tt.missing, user, body, "If-Match", `"x"`)
			if a.status != 404 || m.status != 404 {
				t.Fatalf("statuses %d and %d, want 404 for both", a.status, m.status)
			}
			if idNumbers.ReplaceAllString(a.body, "N") != idNumbers.ReplaceAllString(m.body, "N") {
				t.Errorf("the AMBER answer differs from the missing one:\n%s\n%s", a.body, m.body)
			}
		})
	}
	t.Run("filters on hidden ids count nothing", func(t *testing.T) {
		for _, p := range []string{fmt.Sprintf("/api/v1/documents?batch_id=%d", jb.BatchID), fmt.Sprintf("/api/v1/documents?source_id=%d", amberSource)} {
			res := f.do("GET", p, "green", nil)
			if !strings.Contains(res.body, `"total":0`) || strings.Contains(res.body, "SECRET") {
				t.Errorf("GET %s as GREEN: %s", p, res.body)
			}
		}
	})
	t.Run("lowering a clearance takes effect at once", func(t *testing.T) {
		u := *f.users["analyst"]
		before := u
		u.Clearance = vigil.TLPGreen
		if err := UpdateUser(ctx, f.store, f.store, "test", &before, &u); err != nil {
			t.Fatal(err)
		}
		defer func() {
			u.Clearance = vigil.TLPAmber
			UpdateUser(ctx, f.store, f.store, "test", &before, &u)
		}()
		if res := f.do("GET", fmt.Sprintf("/api/v1/events/%d", amberEvent), "analyst", nil); res.status != 404 {
			t.Errorf("after lowering the clearance: %d, want 404", res.status)
		}
	})
}

// TestConditionalUpdate regrades a source under If-Match: stale and
// missing versions are refused, and the change is audited.
func TestConditionalUpdate(t *testing.T) {
	f := newFixture(t, nil)
	var stats []vigil.SourceStats
	f.do("GET", "/api/v1/sources", "analyst", nil).json(t, &stats)
	id := stats[0].Source.ID
	path := fmt.Sprintf("/api/v1/sources/%d", id)
	first := f.do("GET", path, "analyst", nil)
	tag := first.header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag on a source")
	}
	if res := f.do("GET", path, "analyst", nil, "If-None-Match", tag); res.status != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", res.status)
	}
	steps := []struct {
		name    string
		ifMatch string
		body    string
		status  int
	}{
		{"without If-Match", "", `{"reliability":"A"}`, 428},
		{"with a wrong ETag", `"0000"`, `{"reliability":"A"}`, 412},
		{"with a bad grade", tag, `{"reliability":"Z"}`, 400},
		{"with the current ETag", tag, `{"reliability":"A","notes":"<script>alert(1)</script>"}`, 200},
		{"again with the old ETag", tag, `{"reliability":"E"}`, 412},
	}
	var newTag string
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			h := []string{"Content-Type", "application/merge-patch+json"}
			if st.ifMatch != "" {
				h = append(h, "If-Match", st.ifMatch)
			}
			res := f.do("PATCH", path, "analyst", st.body, h...)
			if res.status != st.status {
				t.Fatalf("status %d, want %d: %s", res.status, st.status, res.body)
			}
			if res.status == 200 {
				newTag = res.header.Get("ETag")
				if newTag == "" || newTag == tag || !strings.Contains(res.body, `"reliability":"A"`) || strings.Contains(res.body, "<script>") {
					t.Errorf("after the update: ETag %q, body %s", newTag, res.body)
				}
			}
		})
	}
	var entries []*vigil.AuditEntry
	f.do("GET", fmt.Sprintf("/api/v1/audit?object=source/%d", id), "admin", nil).json(t, &entries)
	if len(entries) != 1 || entries[0].Action != "source.update" || entries[0].Actor != "user:analyst (token 2)" ||
		!strings.Contains(string(entries[0].Before), `"reliability":"`+string(stats[0].Source.Reliability)+`"`) ||
		!strings.Contains(string(entries[0].After), `"reliability":"A"`) {
		t.Errorf("audit of the update = %+v", entries)
	}
	if n, err := vigil.VerifyAudit(ctx, f.store); err != nil || n == 0 {
		t.Errorf("VerifyAudit = %d, %v", n, err)
	}
}

// TestSessions signs in with a cookie and checks CSRF protection, sign-out
// and disabled accounts.
func TestSessions(t *testing.T) {
	f := newFixture(t, nil)
	res := f.do("POST", "/api/v1/session", "", `{"name":"green","password":"green-password-123"}`)
	if res.status != 200 {
		t.Fatalf("sign-in: %d %s", res.status, res.body)
	}
	var sess sessionResponse
	res.json(t, &sess)
	cookie := ""
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == SessionCookie {
			cookie = c.Name + "=" + c.Value
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie flags: HttpOnly %v Secure %v SameSite %v", c.HttpOnly, c.Secure, c.SameSite)
			}
		}
	}
	if cookie == "" || sess.CSRFToken == "" || sess.User.Name != "green" {
		t.Fatalf("sign-in gave cookie %q, %+v", cookie, sess)
	}
	steps := []struct {
		name         string
		method, path string
		body         any
		header       []string
		status       int
	}{
		{"read with the cookie", "GET", "/api/v1/events?limit=1", nil, nil, 200},
		{"who am I", "GET", "/api/v1/session", nil, nil, 200},
		{"write without the CSRF token", "POST", "/api/v1/tokens", `{"name":"x"}`, nil, 403},
		{"write with a wrong CSRF token", "POST", "/api/v1/tokens", `{"name":"x"}`, []string{"X-CSRF-Token", "nope"}, 403},
		{"write with the CSRF token", "POST", "/api/v1/tokens", `{"name":"x"}`, []string{"X-CSRF-Token", sess.CSRFToken}, 201},
		{"sign out", "DELETE", "/api/v1/session", nil, []string{"X-CSRF-Token", sess.CSRFToken}, 204},
		{"the cookie is dead", "GET", "/api/v1/events?limit=1", nil, nil, 401},
		{"a dead cookie does not stop signing in again", "POST", "/api/v1/session", `{"name":"green","password":"green-password-123"}`, nil, 200},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			res := f.do(st.method, st.path, "", st.body, append([]string{"Cookie", cookie}, st.header...)...)
			if res.status != st.status {
				t.Fatalf("status %d, want %d: %s", res.status, st.status, res.body)
			}
		})
	}
	t.Run("a disabled user's token stops working", func(t *testing.T) {
		u := *f.users["green"]
		before := u
		u.Disabled = true
		if err := UpdateUser(ctx, f.store, f.store, "test", &before, &u); err != nil {
			t.Fatal(err)
		}
		if res := f.do("GET", "/api/v1/events", "green", nil); res.status != 401 {
			t.Errorf("disabled user's token: %d, want 401", res.status)
		}
		if res := f.do("POST", "/api/v1/session", "", `{"name":"green","password":"green-password-123"}`); res.status != 401 {
			t.Errorf("disabled user's sign-in: %d, want 401", res.status)
		}
	})
}

// TestUsersAPI adds a user through the API, signs in as them and changes
// them under If-Match.
func TestUsersAPI(t *testing.T) {
	f := newFixture(t, nil)
	res := f.do("POST", "/api/v1/users", "admin", `{"name":"farid","role":"viewer","clearance":"green"}`)
	if res.status != 201 {
		t.Fatalf("add user: %d %s", res.status, res.body)
	}
	var made userCreated
	res.json(t, &made)
	if made.Password == "" || made.User.Clearance != vigil.TLPGreen {
		t.Fatalf("made %+v", made)
	}
	if res := f.do("POST", "/api/v1/users", "admin", `{"name":"farid","role":"viewer","clearance":"GREEN"}`); res.status != 409 {
		t.Errorf("a second farid: %d, want 409", res.status)
	}
	if res := f.do("POST", "/api/v1/session", "", fmt.Sprintf(`{"name":"farid","password":%q}`, made.Password)); res.status != 200 {
		t.Errorf("farid signs in: %d %s", res.status, res.body)
	}
	path := fmt.Sprintf("/api/v1/users/%d", made.User.ID)
	tag := f.do("GET", path, "admin", nil).header.Get("ETag")
	if res := f.do("PATCH", path, "admin", `{"clearance":"AMBER"}`, "If-Match", tag); res.status != 200 || !strings.Contains(res.body, `"clearance":"AMBER"`) {
		t.Errorf("raise farid's clearance: %d %s", res.status, res.body)
	}
	self := fmt.Sprintf("/api/v1/users/%d", f.users["admin"].ID)
	tag = f.do("GET", self, "admin", nil).header.Get("ETag")
	if res := f.do("PATCH", self, "admin", `{"disabled":true}`, "If-Match", tag); res.status != 409 {
		t.Errorf("an admin disabling themselves: %d, want 409", res.status)
	}
}

// TestRateLimit checks that a token bucket per user answers 429 with
// Retry-After once it is empty, and that other users are not affected.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, nil)
	srv := f.serve(func(s *Server) { s.Rate, s.Burst = rate.Limit(0.001), 3 })
	var got []int
	for range 5 {
		got = append(got, f.doOn(srv, "GET", "/api/v1/health", "green", nil).status)
	}
	if !slices.Equal(got, []int{200, 200, 200, 429, 429}) {
		t.Errorf("statuses %v, want three 200 then 429", got)
	}
	if res := f.doOn(srv, "GET", "/api/v1/health", "green", nil); res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "rate_limited") {
		t.Errorf("429 without Retry-After or problem: %v %s", res.header, res.body)
	}
	if res := f.doOn(srv, "GET", "/api/v1/health", "admin", nil); res.status != 200 {
		t.Errorf("another user: %d, want 200", res.status)
	}
	logins := f.serve(func(s *Server) { s.LoginRate, s.LoginBurst = rate.Limit(0.001), 2 })
	got = got[:0]
	for range 3 {
		got = append(got, f.doOn(logins, "POST", "/api/v1/session", "", `{"name":"admin","password":"guess-guess-guess"}`).status)
	}
	if !slices.Equal(got, []int{401, 401, 429}) {
		t.Errorf("sign-in attempts %v, want 401, 401, 429", got)
	}
}

// TestExportGeoJSONIsValid checks that escaping markup in the GeoJSON
// export leaves it valid JSON that decodes to the original text.
func TestExportGeoJSONIsValid(t *testing.T) {
	f := newFixture(t, nil)
	res := f.do("GET", "/api/v1/export/geojson", "green", nil)
	var fc struct {
		Features []struct {
			Properties struct {
				Place string `json:"place"`
			} `json:"properties"`
		} `json:"features"`
	}
	res.json(t, &fc)
	found := false
	for _, ft := range fc.Features {
		found = found || ft.Properties.Place == "<b>Jalalabad</b>"
	}
	if len(fc.Features) < 100 || !found {
		t.Errorf("GeoJSON export: %d features, hostile place found %v", len(fc.Features), found)
	}
}

// TestCachedCounts checks that cached totals are kept per clearance and
// forgotten when an import lands through the server.
func TestCachedCounts(t *testing.T) {
	f := newFixture(t, func(s *Server) { s.CacheTTL = time.Hour })
	total := func(user string) int {
		var page listResponse[*vigil.Event]
		f.do("GET", "/api/v1/events?country=TJ&limit=1", user, nil).json(t, &page)
		return page.Total
	}
	sources := func(user string) int {
		var st []vigil.SourceStats
		f.do("GET", "/api/v1/sources", user, nil).json(t, &st)
		return len(st)
	}
	g0, a0, gs, as := total("green"), total("analyst"), sources("green"), sources("analyst")
	if g0 != a0 || gs != as {
		t.Fatalf("before: GREEN %d/%d, AMBER %d/%d", g0, gs, a0, as)
	}
	f.upload("analyst", "testdata/amber-case.json")
	if g, a := total("green"), total("analyst"); g != g0 || a != a0+1 {
		t.Errorf("after the AMBER upload: GREEN total %d (want %d), AMBER %d (want %d)", g, g0, a, a0+1)
	}
	if g, a := sources("green"), sources("analyst"); g != gs || a != as+1 {
		t.Errorf("after the AMBER upload: GREEN sources %d (want %d), AMBER %d (want %d)", g, gs, a, as+1)
	}
}

// TestExportSTIX: the API's STIX bundle holds the actors, the ties whose
// every document the reader may see, and the events as sightings, and is
// one JSON bundle.
func TestExportSTIX(t *testing.T) {
	f := newFixture(t, nil)
	var docs listResponse[*vigil.Document]
	f.do("GET", "/api/v1/documents?limit=1", "green", nil).json(t, &docs)
	if len(docs.Items) == 0 {
		t.Fatal("no document GREEN may see")
	}
	if err := f.store.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "is", Type: "subsidiary-of",
		Description: "PUBLIC-TIE", DocumentIDs: []int64{docs.Items[0].ID}}); err != nil {
		t.Fatal(err)
	}
	res := f.do("GET", "/api/v1/export/stix?actor=ISKP", "green", nil)
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/stix+json") {
		t.Fatalf("GET /export/stix: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var b struct {
		Type    string           `json:"type"`
		Objects []map[string]any `json:"objects"`
	}
	res.json(t, &b)
	types := map[string]int{}
	for _, o := range b.Objects {
		types[o["type"].(string)]++
	}
	if b.Type != "bundle" || types["threat-actor"] == 0 || types["relationship"] == 0 || types["sighting"] == 0 || types["report"] == 0 {
		t.Errorf("bundle %q with objects %v: want threat actors, relationships, sightings and reports", b.Type, types)
	}
	if !strings.Contains(res.body, "PUBLIC-TIE") {
		t.Errorf("the bundle lacks the public relationship")
	}
}

// TestDetailExportsInBatches: the exports that read each event whole read
// a page in one batch where the store can; the files are the bytes the
// one-event-at-a-time reading writes, for every clearance.
func TestDetailExportsInBatches(t *testing.T) {
	f := newFixture(t, nil)
	f.upload("analyst", "testdata/amber-case.json")
	batched := f.srv.Store
	oneByOne := struct{ vigil.Store }{batched} // no FindEventDetails
	for _, path := range []string{"/api/v1/export/ucdp-csv", "/api/v1/export/acled-csv?actor=ISKP", "/api/v1/export/stix?country=TJ"} {
		for _, user := range []string{"green", "analyst", "admin"} {
			f.srv.Store = batched
			a := f.do("GET", path, user, nil)
			f.srv.Store = oneByOne
			b := f.do("GET", path, user, nil)
			f.srv.Store = batched
			if a.status != 200 || a.body != b.body || len(a.body) < 500 {
				t.Errorf("GET %s as %s: %d, %d bytes in batches, %d one by one", path, user, a.status, len(a.body), len(b.body))
			}
		}
	}
}
