package extract

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestInputPublished reads JSON Lines inputs as users and the gold files
// write them: published as a day was refused ("parsing time ... as
// 2006-01-02T15:04:05Z07:00") and the line skipped, so that relative dates
// lost their anchor.
func TestInputPublished(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    time.Time
		wantErr string
	}{
		{`{"id":"a","text":"t","published":"2021-05-03"}`, time.Date(2021, 5, 3, 0, 0, 0, 0, time.UTC), ""},
		{`{"id":"a","text":"t","published":"2021-05-03T10:00:00Z"}`, time.Date(2021, 5, 3, 10, 0, 0, 0, time.UTC), ""},
		{`{"id":"a","text":"t","published":"2021-05-03T10:00:00+04:30"}`, time.Date(2021, 5, 3, 5, 30, 0, 0, time.UTC), ""},
		{`{"id":"a","text":"t"}`, time.Time{}, ""},
		{`{"id":"a","text":"t","published":""}`, time.Time{}, ""},
		{`{"id":"a","text":"t","published":"May 3"}`, time.Time{}, `published "May 3": want YYYY-MM-DD or an RFC 3339 time`},
		{`{"id":"a","text":"t","published":"2021-13-03"}`, time.Time{}, `published "2021-13-03"`},
	} {
		var in Input
		err := json.Unmarshal([]byte(tc.line), &in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.line, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.line, err)
			continue
		}
		if !in.Published.Equal(tc.want) || in.ID != "a" || in.Text != "t" {
			t.Errorf("%s: read %+v, want published %v", tc.line, in, tc.want)
		}
	}
}
