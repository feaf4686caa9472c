package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
)

// writeJSON writes v as JSON. The encoder escapes <, > and & so that no
// stored text can be read as markup even by a careless client.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// encode returns v as JSON and its strong ETag.
func encode(v any) ([]byte, string, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), `"` + hex.EncodeToString(sum[:16]) + `"`, nil
}

// writeTagged writes v with its ETag, or 304 when the client holds that
// version (If-None-Match).
func writeTagged(w http.ResponseWriter, r *http.Request, v any) error {
	body, tag, err := encode(v)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", tag)
	if matchTag(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
	return nil
}

// matchTag reports whether an If-Match or If-None-Match header names tag.
func matchTag(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}

// checkIfMatch enforces a conditional update: If-Match is required and
// must name the current version.
func checkIfMatch(r *http.Request, current any) error {
	h := r.Header.Get("If-Match")
	if h == "" {
		return errorf(ePreconditionRequired, "send If-Match with the ETag of the version you edited")
	}
	_, tag, err := encode(current)
	if err != nil {
		return err
	}
	if !matchTag(h, tag) {
		return errorf(ePreconditionFailed, "it was changed since you read it; read it again and redo your change")
	}
	return nil
}

// decode reads a JSON body of at most MaxBody bytes into v, refusing other
// media types, unknown fields and trailing data.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && mt != "application/merge-patch+json") {
		return errorf(eUnsupportedMedia, "send application/json")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return errorf(vigil.EINVALID, "malformed JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(vigil.EINVALID, "malformed JSON: more than one value")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "field " + strconv.Quote(te.Field) + " has the wrong type"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the body ends early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "cannot be read"
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(vigil.EINVALID, "id %q: want a positive integer", r.PathValue("id"))
	}
	return id, nil
}

// page is a list's pagination: limit (1–1000, default 50) and offset
// (0–MaxOffset).
type page struct{ Limit, Offset int }

// MaxOffset is the deepest offset a list serves. Skipping rows costs what
// reading them does, so a page a million rows down would take a hundred
// times the first; past this depth the events list pages by cursor
// (next_cursor), which costs what the first page does, and other lists ask
// for a narrower filter.
const MaxOffset = 10000

// parsePage reads limit and offset; deeper says, in the error for an
// offset past MaxOffset, how this list reaches further.
func parsePage(r *http.Request, deeper string) (page, error) {
	p := page{Limit: 50}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return p, errorf(vigil.EINVALID, "limit %q: want 1–1000", v)
		}
		p.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, errorf(vigil.EINVALID, "offset %q: want 0 or more", v)
		}
		if n > MaxOffset {
			return p, errorf(vigil.EINVALID, "offset %d: deeper than %d; %s", n, MaxOffset, deeper)
		}
		p.Offset = n
	}
	return p, nil
}

// list splits repeated and comma-separated query values.
func list(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// listResponse is a page of a list, with how many match in all (counting
// only what the reader may see).
type listResponse[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}
