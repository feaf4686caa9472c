package vigil_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"day", "2017-05-15", "2017-05-15", false},
		{"UCDP time of day", "2017-05-15 00:00:00.000", "2017-05-15", false},
		{"time without milliseconds", "2017-05-15 13:45:00", "2017-05-15", false},
		{"RFC 3339", "2017-05-15T22:30:00Z", "2017-05-15", false},
		{"RFC 3339 with zone keeps the written day", "2017-05-15T23:30:00-05:00", "2017-05-15", false},
		{"leap day", "2024-02-29", "2024-02-29", false},
		{"no leap day", "2023-02-29", "", true},
		{"month 13", "2017-13-01", "", true},
		{"day first", "15/05/2017", "", true},
		{"empty", "", "", true},
		{"short", "2017-5-15", "", true},
		{"garbage after the day", "2017-05-15x", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := vigil.ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q): got %s, want an error", tt.in, d)
				}
				if got, want := vigil.ErrorCode(err), vigil.EINVALID; got != want {
					t.Errorf("got code %q, want %q", got, want)
				}
				if !strings.Contains(err.Error(), "YYYY-MM-DD") {
					t.Errorf("error %q does not say the form wanted", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("ParseDate(%q): got %s, want %s", tt.in, got, tt.want)
			}
			if d.Time().Location() != time.UTC || d.Time().Hour() != 0 {
				t.Errorf("ParseDate(%q): got time %v, want midnight UTC", tt.in, d.Time())
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D vigil.Date `json:"d"`
	}
	tests := []struct {
		name    string
		in      string
		want    vigil.Date
		out     string // re-marshalled
		wantErr bool
	}{
		{"day", `{"d":"2022-09-05"}`, vigil.NewDate(2022, 9, 5), `{"d":"2022-09-05"}`, false},
		{"with time of day", `{"d":"2022-09-05 00:00:00.000"}`, vigil.NewDate(2022, 9, 5), `{"d":"2022-09-05"}`, false},
		{"null is unknown", `{"d":null}`, vigil.Date{}, `{"d":null}`, false},
		{"empty string is unknown", `{"d":""}`, vigil.Date{}, `{"d":null}`, false},
		{"missing is unknown", `{}`, vigil.Date{}, `{"d":null}`, false},
		{"bad day", `{"d":"2022-09-31"}`, vigil.Date{}, "", true},
		{"a number", `{"d":20220905}`, vigil.Date{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got doc
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %s, want an error", got.D)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.D != tt.want {
				t.Errorf("got %s, want %s", got.D, tt.want)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.out {
				t.Errorf("marshal: got %s, want %s", b, tt.out)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	d := vigil.MustDate("2021-08-14")
	e := d.AddDays(1)
	if got, want := e.String(), "2021-08-15"; got != want {
		t.Errorf("AddDays(1): got %s, want %s", got, want)
	}
	if !d.Before(e) || !e.After(d) || d.After(e) {
		t.Errorf("ordering of %s and %s is wrong", d, e)
	}
	if got := d.DaysUntil(vigil.MustDate("2022-08-14")); got != 365 {
		t.Errorf("DaysUntil: got %d, want 365", got)
	}
	if got := vigil.DateOf(time.Date(2022, 9, 5, 23, 59, 0, 0, time.FixedZone("AFT", 16200))); got != vigil.NewDate(2022, 9, 5) {
		t.Errorf("DateOf: got %s, want 2022-09-05 (the day where it happened)", got)
	}
	if (vigil.Date{}).String() != "" || !(vigil.Date{}).IsZero() {
		t.Error("the zero Date is not unknown")
	}
}

func TestNumJSON(t *testing.T) {
	tests := []struct {
		name string
		n    vigil.Num
		json string
		str  string
	}{
		{"unknown is null, not zero", vigil.Num{}, "null", "?"},
		{"zero is known", vigil.N(0), "0", "0"},
		{"a count", vigil.N(170), "170", "170"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.json {
				t.Errorf("marshal: got %s, want %s", b, tt.json)
			}
			var back vigil.Num
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != tt.n {
				t.Errorf("round trip: got %+v, want %+v", back, tt.n)
			}
			if got := tt.n.String(); got != tt.str {
				t.Errorf("String: got %q, want %q", got, tt.str)
			}
			if got := vigil.NumFromPtr(tt.n.Ptr()); got != tt.n {
				t.Errorf("Ptr round trip: got %+v, want %+v", got, tt.n)
			}
		})
	}
	var n vigil.Num
	if err := json.Unmarshal([]byte(`"12"`), &n); err == nil {
		t.Errorf("unmarshal of a string: got %+v, want an error", n)
	}
	var r vigil.Range
	if err := json.Unmarshal([]byte(`{"low": 6, "best": null}`), &r); err != nil {
		t.Fatal(err)
	}
	if want := (vigil.Range{Low: vigil.N(6)}); r != want {
		t.Errorf("range: got %+v, want %+v", r, want)
	}
}

func TestRangeValidate(t *testing.T) {
	u := vigil.Num{}
	tests := []struct {
		name    string
		r       vigil.Range
		wantErr string
	}{
		{"exact", vigil.Exact(6), ""},
		{"unknown", vigil.Range{}, ""},
		{"ordered", vigil.Range{vigil.N(1), vigil.N(2), vigil.N(3)}, ""},
		{"only best", vigil.Range{u, vigil.N(2), u}, ""},
		{"low and high", vigil.Range{vigil.N(1), u, vigil.N(3)}, ""},
		{"negative low", vigil.Range{vigil.N(-1), u, u}, "negative count -1"},
		{"negative high", vigil.Range{u, u, vigil.N(-3)}, "negative count -3"},
		{"best below low", vigil.Range{vigil.N(5), vigil.N(3), vigil.N(9)}, "best 3 is below low 5"},
		{"best above high", vigil.Range{vigil.N(1), vigil.N(9), vigil.N(6)}, "best 9 is above high 6"},
		{"low above high without best", vigil.Range{vigil.N(9), u, vigil.N(6)}, "low 9 is above high 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.wantErr)
			}
			if got := vigil.ErrorMessage(err); got != tt.wantErr {
				t.Errorf("got %q, want %q", got, tt.wantErr)
			}
			if got, want := vigil.ErrorCode(err), vigil.EINVALID; got != want {
				t.Errorf("got code %q, want %q", got, want)
			}
		})
	}
}

func TestRangeString(t *testing.T) {
	tests := []struct {
		name string
		r    vigil.Range
		want string
	}{
		{"unknown", vigil.Range{}, "?"},
		{"exact", vigil.Exact(6), "6"},
		{"range", vigil.Range{vigil.N(60), vigil.N(170), vigil.N(183)}, "170 (60–183)"},
		{"open high", vigil.Range{Low: vigil.N(3), Best: vigil.N(3)}, "3 (3–?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLatLonValidate(t *testing.T) {
	tests := []struct {
		name string
		p    vigil.LatLon
		ok   bool
	}{
		{"Kabul", vigil.LatLon{Lat: 34.528, Lon: 69.172}, true},
		{"poles and date line", vigil.LatLon{Lat: -90, Lon: 180}, true},
		{"latitude 91", vigil.LatLon{Lat: 91}, false},
		{"longitude -181", vigil.LatLon{Lon: -181}, false},
		{"latitude NaN", vigil.LatLon{Lat: math.NaN()}, false},
		{"longitude NaN", vigil.LatLon{Lon: math.NaN()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate(%+v): got %v, want ok %v", tt.p, err, tt.ok)
			}
		})
	}
}

func TestPlacePoint(t *testing.T) {
	var p vigil.Place
	if _, ok := p.Point(); ok {
		t.Error("a place without coordinates has a point")
	}
	p.SetPoint(vigil.LatLon{Lat: 34.5, Lon: 69.2})
	got, ok := p.Point()
	if !ok || got != (vigil.LatLon{Lat: 34.5, Lon: 69.2}) {
		t.Errorf("got %+v %v, want 34.5,69.2", got, ok)
	}
	b, err := json.Marshal(vigil.Place{Country: "AF"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"latitude":null`) {
		t.Errorf("unknown coordinates marshal as %s, want null", b)
	}
}

// TestDateAgainstTime checks days, ordering and formatting against the
// time package, over dates far apart (centuries beyond what time.Duration
// spans) and across leap days.
func TestDateAgainstTime(t *testing.T) {
	days := []string{"0001-01-01", "0800-02-29", "1582-10-15", "1899-12-31", "1900-03-01", "1969-12-31", "1970-01-01",
		"2000-02-29", "2016-12-31", "2024-02-29", "2100-03-01", "9999-12-31"}
	for i, a := range days {
		da := vigil.MustDate(a)
		ta, _ := time.Parse("2006-01-02", a)
		if da.String() != a || !da.Time().Equal(ta) || da.IsZero() {
			t.Errorf("%s: String %s, Time %v, zero %v", a, da, da.Time(), da.IsZero())
		}
		if next := da.AddDays(1); next.String() != ta.AddDate(0, 0, 1).Format("2006-01-02") && a != "9999-12-31" {
			t.Errorf("%s + 1 day = %s, want %s", a, next, ta.AddDate(0, 0, 1).Format("2006-01-02"))
		}
		for _, b := range days[i+1:] {
			db := vigil.MustDate(b)
			tb, _ := time.Parse("2006-01-02", b)
			want := int(tb.Unix()-ta.Unix()) / 86400
			if got := da.DaysUntil(db); got != want || db.DaysUntil(da) != -want {
				t.Errorf("%s to %s: %d days, want %d", a, b, got, want)
			}
			if !da.Before(db) || !db.After(da) || da == db {
				t.Errorf("%s and %s out of order", a, b)
			}
			if da.AddDays(want) != db {
				t.Errorf("%s + %d days = %s, want %s", a, want, da.AddDays(want), b)
			}
		}
	}
}
