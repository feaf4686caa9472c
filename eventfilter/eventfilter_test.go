package eventfilter

import (
	"fmt"
	"strings"
	"testing"
)

// TestDay: from and to take a day, or a year or month as its
// first day (--from) or last (--to); before, --from 2021 was refused, and the API refused from=2021 until it read its filters here.
func TestDay(t *testing.T) {
	tests := []struct {
		in      string
		last    bool
		want    string
		wantErr bool
	}{
		{"2021-08-15", false, "2021-08-15", false},
		{"2021-08-15", true, "2021-08-15", false},
		{"2021", false, "2021-01-01", false},
		{"2021", true, "2021-12-31", false},
		{"2024-02", false, "2024-02-01", false},
		{"2024-02", true, "2024-02-29", false},
		{"2023-12", true, "2023-12-31", false},
		{"2016-13", false, "", true},
		{"20a6", false, "", true},
		{"+202", false, "", true},
		{"2016/11", true, "", true},
		{"16", false, "", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in, tt.last), func(t *testing.T) {
			d, err := Day(tt.in, tt.last)
			switch {
			case tt.wantErr:
				if err == nil || !strings.Contains(err.Error(), "or a year, YYYY, or a month, YYYY-MM") {
					t.Errorf("Day(%q) = %s, %v; want an error naming the forms", tt.in, d, err)
				}
			case err != nil || d.String() != tt.want:
				t.Errorf("Day(%q, %v) = %s, %v; want %s", tt.in, tt.last, d, err, tt.want)
			}
		})
	}
}

// TestParse: the filters read as written, each error naming the filter as
// the caller writes it (the CLI's flags here, the API's names with nil).
func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      Text
		flags   bool
		want    string // the filter's countries, from and to
		wantErr string
	}{
		{"codes and names", Text{Countries: []string{"AFG", "pk", "Islamic Republic of Iran"}, From: "2021", To: "2022-06"}, false, "[AF PK IR] 2021-01-01 2022-06-30", ""},
		{"bad country", Text{Countries: []string{"XX"}}, false, "", `country: "XX" is not an ISO 3166-1 code`},
		{"bad country, CLI", Text{Countries: []string{"XX"}}, true, "", `--country: "XX"`},
		{"bad month", Text{From: "2021-13"}, false, "", "from: "},
		{"swapped", Text{From: "2022", To: "2021"}, false, "", "from 2022-01-01 is after to 2021-12-31: want from on or before to"},
		{"swapped, CLI", Text{From: "2022", To: "2021"}, true, "", "--from 2022-01-01 is after --to 2021-12-31"},
		{"credibility", Text{MinCredibility: "7"}, true, "", `--min-credibility: "7" is not a grade`},
		{"type", Text{Types: []string{"Skirmish"}}, false, "", "type: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var name func(string) string
			if tt.flags {
				name = FlagName
			}
			f, err := Parse(tt.in, name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Parse(%+v) = %v; want an error with %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if got := fmt.Sprint(f.Countries, " ", f.From, " ", f.To); err != nil || got != tt.want {
				t.Errorf("Parse(%+v) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}
