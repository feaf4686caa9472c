package vigil

import (
	"testing"
	"time"
)

func TestEventFilterDescribe(t *testing.T) {
	at := time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		f    EventFilter
		asOf time.Time
		want string
	}{
		{EventFilter{}, time.Time{}, "all events, as known now"},
		{EventFilter{Actor: "ISKP", Countries: []string{"AF", "PK"}, MinCredibility: 3, From: MustDate("2021-08-15")}, at,
			"actor ISKP; in AF, PK; credibility 3 or better; from 2021-08-15; as known on 2022-03-01 12:00 UTC"},
		{EventFilter{Admin1: []string{"AF-NAN"}, Types: []EventType{EventBattles}, From: MustDate("2019-01-01"), To: MustDate("2020-12-31")}, time.Time{},
			"admin-1 AF-NAN; types Battles; 2019-01-01 to 2020-12-31; as known now"},
		{EventFilter{To: MustDate("2020-12-31")}, time.Time{}, "to 2020-12-31; as known now"},
	}
	for _, tt := range tests {
		if got := tt.f.Describe(tt.asOf); got != tt.want {
			t.Errorf("Describe = %q, want %q", got, tt.want)
		}
	}
}
