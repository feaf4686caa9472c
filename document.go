package vigil

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// Document is one piece of reporting: an article, a statement, a magazine
// issue, one row of a dataset. A document is unique by its source and key;
// its content hash tells whether a re-import changed anything.
type Document struct {
	ID       int64  `json:"id"`
	SourceID int64  `json:"source_id"`
	Source   string `json:"source"` // the source's name
	// Key identifies the document within its source: a dataset's row id
	// ("ged:12345"), an article URL, a file name.
	Key         string    `json:"key"`
	Title       string    `json:"title,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	URL         string    `json:"url,omitempty"`
	Language    string    `json:"language,omitempty"`
	Text        string    `json:"text,omitempty"`
	ContentHash string    `json:"content_hash"`
	// Version is the source's own version of the document, when it keeps
	// one (ACLED's timestamp of a row's last change): a store never
	// replaces a document with an older version of it, so that importing
	// an old export after a newer one reverts nothing. Zero: unversioned.
	Version    int64     `json:"version,omitempty"`
	Marking    TLP       `json:"tlp"`
	BatchID    int64     `json:"batch_id,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Validate checks the document's fields.
func (d *Document) Validate() error {
	switch {
	case d.Source == "" && d.SourceID == 0:
		return Errorf(EINVALID, "document %q: source required", d.Key)
	case d.Key == "":
		return Errorf(EINVALID, "document: key required")
	case d.Marking != "" && !d.Marking.Valid():
		return Errorf(EINVALID, "document %q: TLP %q", d.Key, d.Marking)
	}
	return nil
}

// HashContent returns the hex SHA-256 of the given parts, each
// length-prefixed (eight bytes, little-endian) so that no two different
// lists hash alike. Stores compare it to tell a changed document: it must
// never change for the same parts.
func HashContent(parts ...string) string {
	// The parts are hashed as one buffer: a write to the hash for each
	// part and each prefix cost more than the hashing.
	b := hashBufs.Get().(*[]byte)
	buf := (*b)[:0]
	for _, p := range parts {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(p)))
		buf = append(buf, p...)
	}
	sum := sha256.Sum256(buf)
	*b = buf
	hashBufs.Put(b)
	return hex.EncodeToString(sum[:])
}

var hashBufs = sync.Pool{New: func() any { return new([]byte) }}
