package jsonfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

const file = `{
  "title": "t",
  "items": [
    {"id": "a", "n": 1},
    {"id": "b",
     "n": "two"}
  ],
  "more": []
}`

type item struct {
	ID string `json:"id"`
	N  int    `json:"n"`
}

func TestElementLines(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want []int
	}{
		{"items", []int{4, 5}},
		{"more", nil},  // empty
		{"title", nil}, // no array
		{"absent", nil},
	} {
		if got := ElementLines([]byte(file), tc.key); !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("ElementLines(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
	if got := ElementLines([]byte(`[1, 2]`), "items"); got != nil {
		t.Errorf("an array: %v, want nil", got)
	}
}

func TestKeyLine(t *testing.T) {
	for key, want := range map[string]int{"title": 2, "items": 3, "more": 8, "absent": 1} {
		if got := KeyLine([]byte(file), key); got != want {
			t.Errorf("KeyLine(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestBadField(t *testing.T) {
	mk := func() any { return &item{} }
	for _, tc := range []struct{ raw, want string }{
		{`{"id": "b", "n": "two"}`, "n"},
		{`{"id": 3, "n": "two"}`, "id"}, // the first in key order
		{`{"id": "b", "x": 1}`, "x"},    // unknown
		{`{"id": "b", "n": 2}`, ""},
		{`[1]`, ""},
	} {
		if got := BadField([]byte(tc.raw), mk); got != tc.want {
			t.Errorf("BadField(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestElementError(t *testing.T) {
	raw := []byte(`{"id": "b", "n": "two"}`)
	var it item
	err := Strict(raw, &it)
	if err == nil {
		t.Fatal("Strict decoded a string into an int")
	}
	field, e := ElementError(raw, err, func() any { return &item{} })
	if field != "n" || vigil.ErrorCode(e) != vigil.EINVALID {
		t.Errorf("ElementError = %q, %v", field, e)
	}
	if Strict([]byte(`{"id": "a", "extra": 1}`), &it) == nil {
		t.Error("Strict accepted an unknown field")
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\n")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {4, 2, 2}, {-5, 1, 1}, {99, 3, 1}} {
		if l, c := LineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
	if Line([]int{7, 9}, 1) != 9 || Line([]int{7}, 3) != 4 {
		t.Error("Line: want the element's line, else its position")
	}
}

func TestRead(t *testing.T) {
	if _, err := Read(strings.NewReader(" \n\t"), "c.json"); vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "c.json: empty file") {
		t.Errorf("an empty file: %v", err)
	}
	if data, err := Read(strings.NewReader(file), "c.json"); err != nil || string(data) != file {
		t.Errorf("Read = %d bytes, %v", len(data), err)
	}
}
