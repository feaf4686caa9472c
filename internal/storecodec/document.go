package storecodec

import (
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

// AppendDocument appends d's binary form to b: every field, the content
// hash of a SHA-256 as its 32 bytes. Strings that are not valid UTF-8 are
// stored as the JSON form stores them: each invalid byte becomes U+FFFD.
func AppendDocument(b []byte, d *vigil.Document) []byte {
	e := newEncoder(b)
	e.int(d.ID)
	e.int(d.SourceID)
	e.str(d.Source)
	e.str(d.Key)
	e.str(d.Title)
	e.time(d.Published)
	e.str(d.URL)
	e.str(d.Language)
	e.str(d.Text)
	e.hash(d.ContentHash)
	e.int(d.Version)
	e.str(string(d.Marking))
	e.int(d.BatchID)
	e.time(d.RecordedAt)
	return e.b
}

// DecodeDocument reads a stored document, in the binary form or as JSON,
// into d.
func DecodeDocument(data string, d *vigil.Document) error {
	if !IsBinary(data) {
		*d = vigil.Document{}
		return json.Unmarshal([]byte(data), d)
	}
	if data[0] != version {
		return fmt.Errorf("storecodec: a document has no form %d", data[0])
	}
	r := newDecoder(data)
	var c vigil.Document
	c.ID = r.int()
	c.SourceID = r.int()
	c.Source = r.str()
	c.Key = r.str()
	c.Title = r.str()
	c.Published = r.time()
	c.URL = r.str()
	c.Language = r.str()
	c.Text = r.str()
	c.ContentHash = r.hash()
	c.Version = r.int()
	c.Marking = vigil.TLP(r.str())
	c.BatchID = r.int()
	c.RecordedAt = r.time()
	if r.err == nil && r.s != "" {
		r.err = fmt.Errorf("%d bytes after the document", len(r.s))
	}
	if r.err != nil {
		return fmt.Errorf("storecodec: document: %w", r.err)
	}
	*d = c
	return nil
}

// DocumentJSON returns a stored document as its JSON form: JSON as it is,
// the binary form decoded and encoded as the JSON form would have stored
// it.
func DocumentJSON(data string) (string, error) {
	if !IsBinary(data) {
		return data, nil
	}
	var d vigil.Document
	if err := DecodeDocument(data, &d); err != nil {
		return "", err
	}
	b, err := json.Marshal(&d)
	return string(b), err
}
