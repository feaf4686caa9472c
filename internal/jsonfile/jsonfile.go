// Package jsonfile helps read a JSON file of lists element by element, as
// vigil's case files are read: each element decoded strictly and alone,
// so that a bad one is rejected without the rest, and every fault placed
// by its line and field.
package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/vigil-osint/vigil"
)

// MaxFile is the most of a file Read reads.
const MaxFile = 64 << 20

// Read reads a case file whole from r, at most MaxFile bytes, and refuses
// an empty one (EINVALID); name names the file in errors.
func Read(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not a case file", name)
	}
	return data, nil
}

// Strict decodes raw into v, refusing unknown fields.
func Strict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// BadField names the first field of the object raw (in key order) that
// does not decode alone into what mk makes, or "" when every field does
// or raw is no object.
func BadField(raw []byte, mk func() any) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: m[k]})
		if Strict(one, mk()) != nil {
			return k
		}
	}
	return ""
}

// Message is err's message without the error code that a vigil.Error
// puts before it.
func Message(err error) string {
	if ve := (*vigil.Error)(nil); errors.As(err, &ve) {
		return ve.Message
	}
	return err.Error()
}

// ElementError names the field of an element that failed to decode into
// what mk makes (BadField) and gives the reason as an EINVALID error.
func ElementError(el json.RawMessage, err error, mk func() any) (string, error) {
	return BadField(el, mk), vigil.Errorf(vigil.EINVALID, "%s", Message(err))
}

// Elements returns where each element of the array under key in the JSON
// object data starts, as byte offsets; nil when data is no such object.
func Elements(data []byte, key string) []int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		if k, _ := t.(string); k != key {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		var out []int64
		for dec.More() {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return nil
			}
			out = append(out, dec.InputOffset()-int64(len(raw)))
		}
		return out
	}
	return nil
}

// LineCol turns a byte offset into data into a line and a column, both
// from 1.
func LineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// Line returns lines[i], the line of the i-th element, or i+1 (its
// position) when lines does not hold it.
func Line(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return i + 1
}

// ElementLines returns the line each element of the array under key in
// the JSON object data starts on; nil when data is no such object.
func ElementLines(data []byte, key string) []int {
	offs := Elements(data, key)
	if offs == nil {
		return nil
	}
	out := make([]int, len(offs))
	for i, o := range offs {
		out[i], _ = LineCol(data, o)
	}
	return out
}

// KeyLine returns the line of key in the top-level object of data, or 1
// when data is no object that holds it.
func KeyLine(data []byte, key string) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 1
	}
	for dec.More() {
		off := dec.InputOffset()
		t, err := dec.Token()
		if err != nil {
			return 1
		}
		if k, _ := t.(string); k == key {
			// InputOffset was before the separator and space: find the key.
			if i := bytes.IndexByte(data[off:], '"'); i >= 0 {
				off += int64(i)
			}
			l, _ := LineCol(data, off)
			return l
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return 1
		}
	}
	return 1
}
