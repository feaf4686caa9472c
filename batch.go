package vigil

import "time"

// BatchStatus is the state of an import batch.
type BatchStatus string

// The batch statuses. A batch left "running" by a killed process is
// reported as interrupted; importing the same file again completes it.
const (
	BatchRunning BatchStatus = "running"
	BatchDone    BatchStatus = "done"
	BatchFailed  BatchStatus = "failed"
)

// Batch is one import run: the file, its checksum, what it brought and
// what it rejected.
type Batch struct {
	ID         int64       `json:"id"`
	Format     string      `json:"format"`
	File       string      `json:"file"`
	Checksum   string      `json:"checksum"` // hex SHA-256 of the file
	Source     string      `json:"source"`
	StartedAt  time.Time   `json:"started_at"`
	FinishedAt time.Time   `json:"finished_at,omitzero"`
	Status     BatchStatus `json:"status"`
	Counts     Counts      `json:"counts"`
	Rejections []Rejection `json:"rejections,omitempty"`
	// Warnings are records taken in with a correction the reader made,
	// said where and why (e.g. a best estimate outside its low–high range).
	Warnings []Rejection `json:"warnings,omitempty"`
	Error    string      `json:"error,omitempty"`
}

// Counts tallies what an import did with the records it read.
type Counts struct {
	Read      int `json:"read"`
	New       int `json:"new"`
	Unchanged int `json:"unchanged"`
	Updated   int `json:"updated"`
	// Older counts the records older than the version the store holds
	// (see Document.Version), left out.
	Older    int `json:"older,omitempty"`
	Rejected int `json:"rejected"`
	// Skipped counts the records read that the format's reader leaves out
	// by its documented rule (a GDELT event of no violent CAMEO code):
	// neither rejected nor stored.
	Skipped int `json:"skipped,omitempty"`
	// Warnings counts the corrections readers made to records they took
	// in, all of them, past the ones a batch keeps in full.
	Warnings int `json:"warnings,omitempty"`
}

// Add adds the outcome of one record.
func (c *Counts) Add(o Outcome) {
	switch o {
	case OutcomeNew:
		c.New++
	case OutcomeUnchanged:
		c.Unchanged++
	case OutcomeUpdated:
		c.Updated++
	case OutcomeOlder:
		c.Older++
	}
}

// Rejection is a record an import refused, with where and why.
type Rejection struct {
	Row    int    `json:"row"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Item is what an importer hands the store for one input record: a
// document and the reports it makes.
type Item struct {
	// Source, when set, is created or updated before the document is
	// stored; otherwise the document's source must already exist.
	Source   *Source
	Document Document
	Reports  []Report
	// Warnings are corrections the reader made to the record.
	Warnings []Rejection
}

// Outcome says what the store did with an item.
type Outcome string

// The outcomes.
const (
	OutcomeNew       Outcome = "new"       // the document was not in the store
	OutcomeUnchanged Outcome = "unchanged" // same source, key and content
	OutcomeUpdated   Outcome = "updated"   // same key, new content; the old version went to history
	OutcomeOlder     Outcome = "older"     // same key, an older version than the stored one: left out
)
