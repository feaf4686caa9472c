package vigil_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/vigil-osint/vigil"
)

// validReport is the Kabul embassy bombing as a press report gives it.
func validReport() vigil.Report {
	r := vigil.Report{
		DateStart: vigil.MustDate("2022-09-05"), DateEnd: vigil.MustDate("2022-09-05"), DatePrecision: vigil.DateDay,
		Place:     vigil.Place{Name: "Kabul", Precision: vigil.LocationExact, Country: "AF"},
		EventType: vigil.EventExplosions, SubEventType: "Suicide bomb",
		Actors: []vigil.ReportActor{
			{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed},
			{Name: "Russian embassy staff", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed},
		},
		Killed: vigil.Range{Low: vigil.N(6), Best: vigil.N(6), High: vigil.N(8)}, AttackersKilled: vigil.N(1),
		Credibility: vigil.CredibilityProbable,
	}
	r.SetPoint(vigil.LatLon{Lat: 34.528, Lon: 69.172})
	return r
}

func TestReportValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name      string
		change    func(r *vigil.Report)
		wantField string // "" for valid
		wantMsg   string
	}{
		{"valid", func(r *vigil.Report) {}, "", ""},
		{"only a start date", func(r *vigil.Report) { r.DateEnd = vigil.Date{}; r.DatePrecision = 0 }, "", ""},
		{"no coordinates", func(r *vigil.Report) { r.Latitude, r.Longitude = nil, nil }, "", ""},
		{"no date", func(r *vigil.Report) { r.DateStart = vigil.Date{} }, "date_start", "date required"},
		{"end before start", func(r *vigil.Report) { r.DateEnd = vigil.MustDate("2022-09-04") }, "date_end", "2022-09-04 is before date_start 2022-09-05"},
		{"date precision 6", func(r *vigil.Report) { r.DatePrecision = 6 }, "date_precision", "6: want 1–5"},
		{"latitude 91", func(r *vigil.Report) { r.Latitude = f(91) }, "latitude", "91 out of range -90..90"},
		{"latitude NaN", func(r *vigil.Report) { r.Latitude = f(math.NaN()) }, "latitude", "NaN out of range -90..90"},
		{"longitude -181", func(r *vigil.Report) { r.Longitude = f(-181) }, "longitude", "-181 out of range -180..180"},
		{"longitude +Inf", func(r *vigil.Report) { r.Longitude = f(math.Inf(1)) }, "longitude", "+Inf out of range -180..180"},
		{"latitude without longitude", func(r *vigil.Report) { r.Longitude = nil }, "latitude", "latitude and longitude must be given together"},
		{"location precision 8", func(r *vigil.Report) { r.Precision = 8 }, "location_precision", "8: want 1–7"},
		{"event type", func(r *vigil.Report) { r.EventType = "Bombing" }, "event_type", `"Bombing" is not an ACLED event type`},
		{"sub-event type", func(r *vigil.Report) { r.SubEventType = "Car bomb" }, "sub_event_type", `"Car bomb" is not an ACLED sub-event type`},
		{"killed best above high", func(r *vigil.Report) { r.Killed.Best = vigil.N(9) }, "killed", "best 9 is above high 8"},
		{"wounded negative", func(r *vigil.Report) { r.Wounded.Low = vigil.N(-2) }, "wounded", "negative count -2"},
		{"attackers killed negative", func(r *vigil.Report) { r.AttackersKilled = vigil.N(-1) }, "attackers_killed", "negative count -1"},
		{"credibility 7", func(r *vigil.Report) { r.Credibility = 7 }, "credibility", "7: want 1–6"},
		{"second actor's role", func(r *vigil.Report) { r.Actors[1].Role = "victim" }, "actors[1].role", `"victim": want perpetrator, target or party`},
		{"first actor's attribution", func(r *vigil.Report) { r.Actors[0].Attribution = "blamed" }, "actors[0].attribution", `"blamed": want claimed, attributed, suspected, denied, disputed or unknown`},
		{"an attribution left out", func(r *vigil.Report) { r.Actors[1].Attribution = "" }, "actors[1].attribution", `"": want claimed, attributed, suspected, denied, disputed or unknown`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validReport()
			tt.change(&r)
			err := r.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			var fe *vigil.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v (%T), want a *vigil.FieldError", err, err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("field: got %q, want %q", fe.Field, tt.wantField)
			}
			if got, want := fe.Error(), tt.wantField+": "+tt.wantMsg; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if got, want := vigil.ErrorCode(err), vigil.EINVALID; got != want {
				t.Errorf("code: got %q, want %q", got, want)
			}
		})
	}
}

func TestRowError(t *testing.T) {
	tests := []struct {
		name string
		err  *vigil.RowError
		want string
	}{
		{"with a field", &vigil.RowError{File: "ged231.csv", Row: 12, Field: "latitude", Err: vigil.Errorf(vigil.EINVALID, "91 out of range -90..90")},
			"ged231.csv:12: latitude: 91 out of range -90..90"},
		{"without a field", &vigil.RowError{File: "ged231.csv", Row: 3, Err: vigil.Errorf(vigil.EINVALID, "wrong number of fields")},
			"ged231.csv:3: wrong number of fields"},
		{"an internal error keeps its text", &vigil.RowError{File: "x.csv", Row: 2, Field: "best", Err: errors.New("disk on fire")},
			"x.csv:2: best: disk on fire"},
		{"a wrapped coded error shows its message", &vigil.RowError{File: "x.csv", Row: 2, Field: "date_start", Err: fmt.Errorf("parsing: %w", vigil.Errorf(vigil.EINVALID, "bad day"))},
			"x.csv:2: date_start: bad day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !errors.Is(tt.err, tt.err.Err) {
				t.Error("the row error does not unwrap to its cause")
			}
		})
	}
	var re *vigil.RowError
	wrapped := fmt.Errorf("import: %w", &vigil.RowError{File: "f", Row: 1, Err: vigil.Errorf(vigil.EINVALID, "x")})
	if !errors.As(wrapped, &re) || re.Row != 1 {
		t.Error("errors.As does not find a wrapped *vigil.RowError")
	}
	if got, want := vigil.ErrorCode(wrapped), vigil.EINVALID; got != want {
		t.Errorf("code through a row error: got %q, want %q", got, want)
	}
}

func TestErrorCodes(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		code     string
		message  string
		errorStr string
	}{
		{"nil", nil, "", "", ""},
		{"coded", vigil.Errorf(vigil.ENOTFOUND, "event %d", 7), vigil.ENOTFOUND, "event 7", "vigil: not_found: event 7"},
		{"wrapped", fmt.Errorf("store: %w", vigil.Errorf(vigil.ECONFLICT, "busy")), vigil.ECONFLICT, "busy", "store: vigil: conflict: busy"},
		{"internal", errors.New("sql: connection refused"), vigil.EINTERNAL, "internal error", "sql: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vigil.ErrorCode(tt.err); got != tt.code {
				t.Errorf("code: got %q, want %q", got, tt.code)
			}
			if got := vigil.ErrorMessage(tt.err); got != tt.message {
				t.Errorf("message: got %q, want %q", got, tt.message)
			}
			if tt.err != nil && tt.err.Error() != tt.errorStr {
				t.Errorf("Error(): got %q, want %q", tt.err.Error(), tt.errorStr)
			}
		})
	}
}
