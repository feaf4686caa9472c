// Package text reads documents — plain text, Markdown, HTML (main text
// only), JSON Lines of {id, source, published, url, title, text}, folders
// of them — and, as an
// import reader, turns each into a vigil document with the reports the
// extractor reads out of it. Reports carry no event key: linkage places
// them.
package text

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/extract"
)

// MaxDocument bounds the bytes read for one document.
const MaxDocument = extract.MaxText

// Extensions are the file endings a folder is searched for.
var Extensions = []string{".txt", ".text", ".md", ".markdown", ".jsonl", ".html", ".htm", ".xhtml"}

// Paths expands an argument: a folder becomes its files with one of the
// Extensions, in lexical order; anything else is itself.
func Paths(arg string) ([]string, error) {
	st, err := os.Stat(arg)
	if err != nil || !st.IsDir() {
		return []string{arg}, err
	}
	var out []string
	err = filepath.WalkDir(arg, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		for _, x := range Extensions {
			if ext == x {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// BadText says why bytes are not a document to read, or "".
func BadText(b []byte) string {
	switch {
	case len(b) == 0:
		return "empty"
	case len(b) > MaxDocument:
		return fmt.Sprintf("more than the %d bytes read per document", MaxDocument)
	case !utf8.Valid(b):
		return "not UTF-8 text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)"
	}
	for _, c := range b[:min(len(b), 4096)] {
		if c == 0 {
			return "binary (contains NUL bytes)"
		}
	}
	return ""
}

// Documents reads the documents of one stream named name: JSON Lines when
// the name ends in .jsonl (a line that is not a document is reported on
// warn and skipped), an HTML page when the name ends in .html or .htm or
// the content starts like a page (its main text, title and publication
// date, see ParseHTML), else one text document titled by the file name.
// A JSON Lines text that is an HTML page is read as one too.
func Documents(r io.Reader, name string, warn io.Writer) ([]extract.Input, error) {
	if strings.HasSuffix(strings.ToLower(name), ".jsonl") {
		return jsonLines(r, name, warn)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxHTML+1))
	if err != nil {
		return nil, fmt.Errorf("text: %s: %w", name, err)
	}
	title := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if htmlName(name) || IsHTML(b) {
		p, reason := readHTML(b)
		if reason != "" {
			return nil, vigil.Errorf(vigil.EINVALID, "%s: %s", name, reason)
		}
		if p.Title != "" {
			title = p.Title
		}
		return []extract.Input{{ID: name, Title: title, Published: p.Published, Text: p.Text}}, nil
	}
	if reason := BadText(b); reason != "" {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: %s", name, reason)
	}
	return []extract.Input{{ID: name, Title: title, Text: string(b)}}, nil
}

func htmlName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, x := range HTMLExtensions {
		if ext == x {
			return true
		}
	}
	return false
}

// readHTML reads a page's main text, or says why it cannot: empty, too
// large, binary, in an encoding it neither is in nor declares, or without
// text once the boilerplate is left out. A page not in UTF-8 is decoded
// by the charset it declares (windows-1252 when it declares none, as
// browsers read it).
func readHTML(b []byte) (Page, string) {
	switch {
	case len(b) == 0:
		return Page{}, "empty"
	case len(b) > MaxHTML:
		return Page{}, fmt.Sprintf("HTML page of more than the %d bytes read per page", MaxHTML)
	case bytes.IndexByte(b[:min(len(b), 4096)], 0) >= 0:
		return Page{}, "binary (contains NUL bytes)"
	}
	if !utf8.Valid(b) {
		enc, encName, _ := charset.DetermineEncoding(b, "text/html")
		d, err := enc.NewDecoder().Bytes(b)
		if err != nil || !utf8.Valid(d) {
			return Page{}, fmt.Sprintf("HTML page not in UTF-8 nor in the %s it seems to be in", encName)
		}
		b = d
	}
	p, err := ParseHTML(b)
	if err != nil {
		return Page{}, "HTML page not readable: " + err.Error()
	}
	if strings.TrimSpace(p.Text) == "" {
		return Page{}, "HTML page without main text (only scripts, navigation and other boilerplate)"
	}
	return p, ""
}

func jsonLines(r io.Reader, name string, warn io.Writer) ([]extract.Input, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 2*MaxHTML+1)
	var out []extract.Input
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var in extract.Input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			fmt.Fprintf(warn, "vigil: %s:%d: skipped: %v\n", name, line, err)
			continue
		}
		if IsHTML([]byte(in.Text)) {
			p, reason := readHTML([]byte(in.Text))
			if reason != "" {
				fmt.Fprintf(warn, "vigil: %s:%d: skipped: text %s\n", name, line, reason)
				continue
			}
			in.Text = p.Text
			if in.Title == "" {
				in.Title = p.Title
			}
			if in.Published.IsZero() {
				in.Published = p.Published
			}
		} else if reason := BadText([]byte(in.Text)); reason != "" {
			fmt.Fprintf(warn, "vigil: %s:%d: skipped: text %s\n", name, line, reason)
			continue
		}
		if in.ID == "" {
			in.ID = name + ":" + strconv.Itoa(line)
		}
		out = append(out, in)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("text: %s:%d: %w", name, line+1, err)
	}
	return out, nil
}

// Reader is an import reader over documents: each becomes a vigil document
// of the given source with the reports the extractor finds in it.
type Reader struct {
	ctx    context.Context
	docs   []extract.Input
	x      *extract.Extractor
	source *vigil.Source
	i      int
	sent   bool
}

// NewReader reads the documents of r (named name) for import under src;
// documents that name their own source in JSON Lines keep src all the same
// (vigil files a document under the source the importer names).
func NewReader(ctx context.Context, r io.Reader, name string, src *vigil.Source, x *extract.Extractor, warn io.Writer) (*Reader, error) {
	if err := src.Validate(); err != nil {
		return nil, err
	}
	docs, err := Documents(r, name, warn)
	if err != nil {
		return nil, err
	}
	return &Reader{ctx: ctx, docs: docs, x: x, source: src}, nil
}

// Source returns the source the documents are filed under.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the position of the document Next returned last, from 1.
func (r *Reader) Row() int { return r.i }

// Next returns the next document with its reports, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	if r.i >= len(r.docs) {
		return nil, io.EOF
	}
	in := r.docs[r.i]
	r.i++
	reps, err := r.x.Extract(r.ctx, in)
	if err != nil {
		return nil, &vigil.RowError{File: in.ID, Row: r.i, Field: "text", Err: vigil.Errorf(vigil.EINVALID, "%v", err)}
	}
	// A report the model cannot take (no date: the text gives none and
	// the document has no publication date) is left out with a warning;
	// the document itself is kept.
	var kept []vigil.Report
	var warnings []vigil.Rejection
	for i := range reps {
		rep := reps[i]
		rep.Key, rep.EventKey = strconv.Itoa(i), ""
		if err := rep.Validate(); err != nil {
			e := &vigil.RowError{File: in.ID, Row: r.i, Field: "report " + rep.Key, Err: err}
			how := "report left out"
			if rep.DateStart.IsZero() {
				// Say how a date is given: a plain file carries none.
				how += ": the text gives no date and the document has no publication date; " +
					"give one as a JSON Lines line's published, or in an HTML page (article:published_time, <time datetime>)"
			}
			warnings = append(warnings, vigil.Rejection{Row: r.i, Field: "report " + rep.Key,
				Reason: e.Error() + " (" + how + ")"})
			continue
		}
		kept = append(kept, rep)
	}
	doc := vigil.Document{
		Source: r.source.Name, Key: in.ID, Title: in.Title, URL: in.URL, Published: in.Published,
		Language: "en", Text: in.Text, Marking: vigil.TLPClear,
		ContentHash: vigil.HashContent(in.Title, in.URL, in.Published.Format(time.RFC3339), in.Text),
	}
	it := &vigil.Item{Document: doc, Reports: kept, Warnings: warnings}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}
