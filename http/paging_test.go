package http

import (
	"net/http"
	"strings"
	"testing"
)

// TestDeepOffsetHints: an offset past MaxOffset is refused with a hint
// that the list can follow. Only the events list has next_cursor; the
// documents list and a figure's events once pointed to it too.
func TestDeepOffsetHints(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range []struct {
		path       string
		want, lack string
	}{
		{"/api/v1/events?offset=10001", "next_cursor", ""},
		{"/api/v1/documents?offset=10001", "source_id or batch_id", "next_cursor"},
		{"/api/v1/indicators/events?actor=ISKP&by=year&period=total&figure=events&offset=10001", "narrow the selection", "next_cursor"},
	} {
		res := f.do("GET", c.path, "admin", nil)
		if res.status != http.StatusBadRequest || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s, want a 400 problem", c.path, res.status, res.header.Get("Content-Type"), res.body)
			continue
		}
		if !strings.Contains(res.body, c.want) || (c.lack != "" && strings.Contains(res.body, c.lack)) {
			t.Errorf("%s: %s; want it to say %q and not %q", c.path, res.body, c.want, c.lack)
		}
	}
}
