package http

import (
	"net/http"
	"strconv"

	"github.com/vigil-osint/vigil"
)

func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(vigil.EINVALID, "%s %q: want a positive integer", name, v)
	}
	return id, nil
}

// listDocuments lists documents without their text: source_id and
// batch_id filter, limit and offset page.
func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request, p *principal) error {
	pg, err := parsePage(r, "narrow the list with source_id or batch_id")
	if err != nil {
		return err
	}
	f := vigil.DocumentFilter{Clearance: p.clearance(), Limit: pg.Limit, Offset: pg.Offset}
	if f.SourceID, err = queryID(r, "source_id"); err != nil {
		return err
	}
	if f.BatchID, err = queryID(r, "batch_id"); err != nil {
		return err
	}
	docs, total, err := s.Browse.FindDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listResponse[*vigil.Document]{Items: docs, Total: total, Limit: pg.Limit, Offset: pg.Offset})
}

// getDocument returns a document with its text; a document above the
// reader's clearance is not found.
func (s *Server) getDocument(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.Store.FindDocumentByID(r.Context(), id)
	if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
		return err
	}
	if d == nil || !p.allows(d.Marking) {
		return errorf(vigil.ENOTFOUND, "document %d", id)
	}
	return writeTagged(w, r, d)
}
