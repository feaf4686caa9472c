package vigil

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// AuditEntry is one change in the append-only audit log: who made it,
// when, to what, and the object before and after (JSON; null for a
// creation or a deletion). Each entry is chained to the one before by
// PrevHash, and Hash covers the entry and PrevHash, so that changing,
// removing or reordering an entry breaks the chain from there on.
type AuditEntry struct {
	Seq    int64           `json:"seq"` // 1, 2, 3 … with no gaps
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`  // "user:NAME", "token:NAME/ID", "cli", "system"
	Action string          `json:"action"` // e.g. "user.create", "source.update"
	Object string          `json:"object"` // e.g. "user/3", "source/12"
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	// PrevHash is the Hash of entry Seq-1, or "" for the first entry.
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// AuditTimeFormat is how an entry's time enters its hash: RFC 3339 in UTC
// with nanoseconds, as stores keep it.
const AuditTimeFormat = time.RFC3339Nano

// ComputeHash returns the hex SHA-256 that the entry's Hash must hold:
// over its sequence number, time, actor, action, object, before, after
// and the previous entry's hash, each length-prefixed.
func (e *AuditEntry) ComputeHash() string {
	return HashContent("vigil-audit-v1", strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(AuditTimeFormat),
		e.Actor, e.Action, e.Object, string(e.Before), string(e.After), e.PrevHash)
}

// AuditChain checks entries, fed in order of Seq from the first, and
// reports the first break.
type AuditChain struct {
	seq  int64
	hash string
}

// Next checks the next entry: its number follows the last one, it names
// the last hash as its previous one, and its own hash is right. The error
// (EINVALID) names the entry at fault.
func (c *AuditChain) Next(e *AuditEntry) error {
	switch {
	case e.Seq != c.seq+1:
		return Errorf(EINVALID, "audit entry %d: expected entry %d: an entry is missing or out of order", e.Seq, c.seq+1)
	case e.PrevHash != c.hash:
		return Errorf(EINVALID, "audit entry %d: previous hash %.12s… does not match entry %d's hash %.12s…", e.Seq, e.PrevHash, c.seq, c.hash)
	case e.Hash != e.ComputeHash():
		return Errorf(EINVALID, "audit entry %d: its hash does not match its content: the entry was altered", e.Seq)
	}
	c.seq, c.hash = e.Seq, e.Hash
	return nil
}

// Len returns how many entries have been checked.
func (c *AuditChain) Len() int64 { return c.seq }

// AuditFilter selects audit entries. Zero fields select everything.
type AuditFilter struct {
	AfterSeq int64  // entries after this one
	Object   string // entries about this object
	Limit    int
}

// AuditService keeps the audit log. Entries are never updated or removed.
type AuditService interface {
	// AppendAudit adds e at the end of the log: it sets e.Seq, e.PrevHash
	// and e.Hash (and e.At when zero) atomically with respect to other
	// appends. EINVALID when Actor or Action is empty or Before/After is
	// not valid JSON.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns the entries that match the filter, by Seq.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// AuditJSON encodes v for an entry's Before or After; nil gives nil.
func AuditJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(strconv.Quote(err.Error()))
	}
	return b
}

// VerifyAudit reads the whole log from s, page by page, and checks the
// chain. It returns how many entries it checked, and an EINVALID error
// naming the first break.
func VerifyAudit(ctx context.Context, s AuditService) (int64, error) {
	var c AuditChain
	for {
		es, err := s.FindAudit(ctx, AuditFilter{AfterSeq: c.Len(), Limit: 1000})
		if err != nil {
			return c.Len(), err
		}
		if len(es) == 0 {
			return c.Len(), nil
		}
		for _, e := range es {
			if err := c.Next(e); err != nil {
				return c.Len(), err
			}
		}
	}
}

// auditKey is the context key of a pending audit entry.
type auditKey struct{}

// pendingAudit is an entry waiting for the transaction of its change.
type pendingAudit struct {
	mu       sync.Mutex
	e        *AuditEntry
	complete func(*AuditEntry)
	written  bool
}

// WithAudit returns a context under which a store writes e to the audit
// log in the transaction of the change it records, so that the two are
// committed together or not at all: the first write transaction that a
// store commits under the context appends e before it commits. complete,
// when not nil, is called first, inside that transaction and after the
// change, to fill in what the change assigned (an id for Object, the new
// value for After).
//
// written reports whether a transaction committed e. A change that wrote
// nothing in a transaction of its own left it unwritten, and the caller
// appends it then (AuditService.AppendAudit).
func WithAudit(ctx context.Context, e *AuditEntry, complete func(*AuditEntry)) (_ context.Context, written func() bool) {
	p := &pendingAudit{e: e, complete: complete}
	return context.WithValue(ctx, auditKey{}, p), func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.written
	}
}

// WithoutAudit returns ctx without a pending audit entry: for the audit
// log's own appends.
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, auditKey{}, (*pendingAudit)(nil))
}

// PendingAudit is for stores: the entry that a write transaction run under
// ctx appends to the audit log before it commits, completed (see
// WithAudit), and the function it calls once it has committed; nil when
// there is none or it is written already.
func PendingAudit(ctx context.Context) (*AuditEntry, func()) {
	p, _ := ctx.Value(auditKey{}).(*pendingAudit)
	if p == nil {
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.written {
		return nil, nil
	}
	if p.complete != nil {
		p.complete(p.e)
	}
	return p.e, func() {
		p.mu.Lock()
		p.written = true
		p.mu.Unlock()
	}
}

// Audited makes a change and its audit entry e together: it runs change
// under WithAudit(ctx, e, complete), and appends e with as (completed)
// when no transaction of the change wrote it.
func Audited(ctx context.Context, as AuditService, e *AuditEntry, complete func(*AuditEntry), change func(context.Context) error) error {
	actx, written := WithAudit(ctx, e, complete)
	if err := change(actx); err != nil {
		return err
	}
	if written() {
		return nil
	}
	if complete != nil {
		complete(e)
	}
	return as.AppendAudit(ctx, e)
}
