package http

import (
	"regexp"
	"strings"
	"testing"
)

// TestUnknownParamsRefused: every endpoint refuses a query parameter it
// does not take (a misspelt filter returned every event, as if it had
// matched), naming it and what the endpoint takes; the parameters it
// takes are those the OpenAPI document lists.
func TestUnknownParamsRefused(t *testing.T) {
	f := newFixture(t, nil)
	wildcard := regexp.MustCompile(`\{[a-z]+\}`)
	for _, rt := range f.srv.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method != "GET" {
			continue
		}
		path = strings.Replace(wildcard.ReplaceAllString(path, "1"), "/export/1", "/export/csv", 1)
		t.Run(rt.pattern, func(t *testing.T) {
			res := f.do("GET", path+"?actorz=ISKP", "admin", nil)
			if res.status != 400 || !strings.Contains(res.body, `unknown parameter \"actorz\"`) {
				t.Errorf("GET %s?actorz=ISKP: %d %s; want 400 naming actorz", path, res.status, res.body)
			}
		})
	}
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/events?countries=AF", "country"},
		{"/api/v1/event-summary?by=year&form=2021", "from"},
		{"/api/v1/export/csv?actors=ISKP", "actor"},
		{"/api/v1/documents?source=1", "source_id"},
		{"/api/v1/actors/graph?ego=ISKP", "span"},
		{"/api/v1/sources?kind=news", "takes none"},
	} {
		res := f.do("GET", tt.path, "admin", nil)
		if res.status != 400 || !strings.Contains(res.body, tt.want) {
			t.Errorf("GET %s: %d %s; want 400 naming %s", tt.path, res.status, res.body, tt.want)
		}
	}
	// What the document lists is taken.
	for _, path := range []string{"/api/v1/events?country=AF&sort=-date&limit=2&offset=0", "/api/v1/documents?source_id=1&limit=1",
		"/api/v1/actors/graph?from=2020-01-01&to=2020-12-31&actor=ISKP", "/api/v1/export/csv?country=AF&spreadsheet_safe=1"} {
		if res := f.do("GET", path, "admin", nil); res.status != 200 {
			t.Errorf("GET %s: %d %s", path, res.status, res.body)
		}
	}
}
