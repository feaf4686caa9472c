package table

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestCSV(t *testing.T) {
	in := "\ufeffID, Name ,id\n1,\"two\nlines\",x\n2,b\n3,\"bad\"quote,y\n4,d,z\n"
	c, err := NewCSV(strings.NewReader(in), "f.csv", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Header.Names(); strings.Join(got, "|") != "id|name|id" {
		t.Errorf("header names = %q, want folded", got)
	}
	if m := c.Header.Missing("id", "date", "name"); len(m) != 1 || m[0] != "date" {
		t.Errorf("Missing = %v, want [date]", m)
	}
	type want struct {
		id, name string
		line     int
		errRow   int
	}
	for i, w := range []want{{"1", "two\nlines", 2, 0}, {"", "", 0, 4}, {"", "", 0, 5}, {"4", "d", 6, 0}} {
		row, err := c.Next()
		var re *vigil.RowError
		switch {
		case w.errRow != 0:
			if !errors.As(err, &re) || re.Row != w.errRow || re.File != "f.csv" {
				t.Errorf("record %d: err %v, want a RowError on line %d", i, err, w.errRow)
			}
		case err != nil:
			t.Fatalf("record %d: %v", i, err)
		case row.Get("id") != w.id || row.Get("name") != w.name || row.Line != w.line:
			t.Errorf("record %d = id %q name %q line %d, want %q %q %d", i, row.Get("id"), row.Get("name"), row.Line, w.id, w.name, w.line)
		}
	}
	if _, err := c.Next(); err != io.EOF {
		t.Errorf("after the last record: %v, want io.EOF", err)
	}
	if _, err := NewCSV(strings.NewReader(""), "e.csv", false); err != ErrNoHeader {
		t.Errorf("empty input: %v, want ErrNoHeader", err)
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		in      string
		lo, hi  int
		want    int
		wantErr string
	}{
		{"12", 0, 100, 12, ""},
		{"3.0", 0, 100, 3, ""},
		{"3.5", 0, 100, 0, `"3.5" is not a whole number`},
		{"-3", 0, 100, 0, "negative count -3"},
		{"8", 1, 7, 0, "8 out of range 1..7"},
		{"x", 0, 1, 0, `"x" is not a whole number`},
	}
	for _, tt := range tests {
		got, err := Int(tt.in, tt.lo, tt.hi)
		if tt.wantErr != "" {
			if vigil.ErrorMessage(err) != tt.wantErr {
				t.Errorf("Int(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Int(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
	for _, s := range []string{"NaN", "Inf", "91", "abc"} {
		if _, err := Float(s, -90, 90); vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("Float(%q) = %v, want EINVALID", s, err)
		}
	}
	if f, err := Float("34.5", -90, 90); err != nil || f != 34.5 {
		t.Errorf("Float(34.5) = %v, %v", f, err)
	}
}

func TestPoint(t *testing.T) {
	for _, tt := range []struct {
		lat, lon  string
		want      *vigil.LatLon
		wantField string // the field of the error; "" for none
	}{
		{"34.5", "69.2", &vigil.LatLon{Lat: 34.5, Lon: 69.2}, ""},
		{"-90", "180", &vigil.LatLon{Lat: -90, Lon: 180}, ""},
		{"", "", nil, ""},
		{"", "69.2", nil, "latitude"},
		{"34.5", "", nil, "longitude"},
		{"91", "69.2", nil, "latitude"},
		{"34.5", "east", nil, "longitude"},
	} {
		p, field, err := Point(tt.lat, tt.lon)
		if field != tt.wantField || (err != nil) != (tt.wantField != "") {
			t.Errorf("Point(%q, %q): field %q, error %v; want field %q", tt.lat, tt.lon, field, err, tt.wantField)
			continue
		}
		if (p == nil) != (tt.want == nil) || p != nil && *p != *tt.want {
			t.Errorf("Point(%q, %q) = %v, want %v", tt.lat, tt.lon, p, tt.want)
		}
	}
}

// TestCSVRowErrors: a record that is not well-formed CSV is rejected with
// its line and what is wrong with it, and reading goes on. A record of the
// wrong length says how many fields it has and how many the header names.
func TestCSVRowErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"short", "a,b,c\n1,2\n", `f.csv:2: 2 fields, the header has 3: a row cut short or a comma too many`},
		{"long", "a,b,c\n1,2,3\n1,2,3,4\n", `f.csv:3: 4 fields, the header has 3: a row cut short or a comma too many`},
		{"quote", "a,b,c\n1,x\"y,3\n", `f.csv:2: bare " in non-quoted-field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCSV(strings.NewReader(tt.in+"7,8,9\n"), "f.csv", false)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for {
				row, err := c.Next()
				if err == io.EOF {
					break
				}
				var re *vigil.RowError
				if errors.As(err, &re) {
					got = re.Error()
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if row.Get("a") == "7" && got == "" {
					t.Errorf("no error before the good last row")
				}
			}
			if got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
		})
	}
}
