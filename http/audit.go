package http

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/vigil-osint/vigil"
)

// auditEntry is the audit entry of a change the principal makes to the
// object kind/id, from before; vigil.Audited writes it with the change.
func (s *Server) auditEntry(p *principal, action, kind string, id int64, before any) *vigil.AuditEntry {
	return &vigil.AuditEntry{Actor: p.actor(), Action: action, Object: fmt.Sprintf("%s/%d", kind, id), Before: vigil.AuditJSON(before)}
}

// listAudit returns audit entries after a sequence number (after), about
// an object (object), at most limit (default 100, at most 1000).
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	f := vigil.AuditFilter{Object: q.Get("object"), Limit: 100}
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errorf(vigil.EINVALID, "after %q: want a sequence number", v)
		}
		f.AfterSeq = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errorf(vigil.EINVALID, "limit %q: want 1–1000", v)
		}
		f.Limit = n
	}
	es, err := s.Audit.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	if es == nil {
		es = []*vigil.AuditEntry{}
	}
	return writeJSON(w, http.StatusOK, es)
}

// verifyResult is the outcome of checking the audit chain.
type verifyResult struct {
	OK      bool   `json:"ok"`
	Entries int64  `json:"entries"`
	Error   string `json:"error,omitempty"`
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	n, err := vigil.VerifyAudit(r.Context(), s.Audit)
	if err != nil && vigil.ErrorCode(err) != vigil.EINVALID {
		return err
	}
	res := verifyResult{OK: err == nil, Entries: n}
	if err != nil {
		res.Error = vigil.ErrorMessage(err)
	}
	return writeJSON(w, http.StatusOK, res)
}
