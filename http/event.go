package http

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/eventfilter"
)

// eventFilter reads the CLI's event filters from the query, in the forms
// the CLI takes (package eventfilter): actor; country as alpha-2 or
// alpha-3 codes or names; admin1 as codes or names; from and to as days,
// years or months; type; min_credibility (repeat or comma-separate lists).
func eventFilter(r *http.Request, p *principal) (vigil.EventFilter, error) {
	q := r.URL.Query()
	t := eventfilter.Text{Actor: q.Get("actor"), Countries: list(r, "country"), Admin1: list(r, "admin1"),
		From: q.Get("from"), To: q.Get("to"), Types: list(r, "type"), MinCredibility: q.Get("min_credibility")}
	if len(t.Countries) > 300 || len(t.Admin1) > 1000 || len(t.Types) > 100 {
		return vigil.EventFilter{}, errorf(vigil.EINVALID, "too many values in country, admin1 or type")
	}
	f, err := eventfilter.Parse(t, nil)
	if err != nil {
		return f, err
	}
	f.Clearance = p.clearance()
	return f, nil
}

// eventPage is a page of events: with a cursor (next_cursor, sent back as
// cursor) in the orders by date, country and id, so that a deep page
// costs what the first one does.
type eventPage struct {
	Items      []*vigil.Event `json:"items"`
	Total      int            `json:"total"`
	Limit      int            `json:"limit"`
	Offset     int            `json:"offset"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// cursorJSON is a cursor's content: the order it was made for and the
// position of the last event of its page.
type cursorJSON struct {
	Order   vigil.EventOrder `json:"o"`
	Date    string           `json:"d"`
	Country string           `json:"c,omitempty"`
	ID      int64            `json:"i"`
	Killed  vigil.Num        `json:"k"`          // best estimate, null when unknown
	Updated time.Time        `json:"u,omitzero"` // when the event last changed
}

// encodeCursor returns the cursor that starts the page after e.
func encodeCursor(order vigil.EventOrder, e *vigil.Event) string {
	c := vigil.CursorAfter(e)
	b, _ := json.Marshal(cursorJSON{Order: order, Date: c.DateStart.String(), Country: c.Country, ID: c.ID, Killed: c.Killed, Updated: c.UpdatedAt})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made for order.
func decodeCursor(order vigil.EventOrder, s string) (*vigil.EventCursor, error) {
	bad := errorf(vigil.EINVALID, "cursor: malformed; send back the next_cursor of a page, with the same sort")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 512 {
		return nil, bad
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil || c.Order != order || c.ID <= 0 || len(c.Country) > 2 {
		return nil, bad
	}
	d, err := vigil.ParseDate(c.Date)
	if err != nil || len(c.Date) != 10 {
		return nil, bad
	}
	return &vigil.EventCursor{DateStart: d, Country: c.Country, ID: c.ID, Killed: c.Killed, UpdatedAt: c.Updated}, nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, p *principal) error {
	f, err := eventFilter(r, p)
	if err != nil {
		return err
	}
	pg, err := parsePage(r, "page on with the next_cursor of a page, or narrow the filter")
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	order := vigil.EventOrder(r.URL.Query().Get("sort"))
	if !order.Valid() {
		return errorf(vigil.EINVALID, "sort %q: want one of %v", order, vigil.EventOrders)
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		if f.After, err = decodeCursor(order, c); err != nil {
			return err
		}
	}
	evs, err := s.Browse.FindEventPage(r.Context(), f, order)
	if err != nil {
		return err
	}
	total, err := s.countEvents(r, f)
	if err != nil {
		return err
	}
	out := eventPage{Items: evs, Total: total, Limit: pg.Limit, Offset: pg.Offset}
	if len(evs) == pg.Limit {
		out.NextCursor = encodeCursor(order, evs[len(evs)-1])
	}
	return writeJSON(w, http.StatusOK, out)
}

// findEvent returns the event if the principal may see it and every
// document behind it; otherwise ENOTFOUND, exactly as for a missing
// event, so that a reader cannot tell the two apart.
func (s *Server) findEvent(r *http.Request, p *principal, id int64) (*vigil.Event, error) {
	e, err := s.Store.FindEventByID(r.Context(), id)
	if err != nil {
		if vigil.ErrorCode(err) == vigil.ENOTFOUND {
			return nil, errorf(vigil.ENOTFOUND, "event %d", id)
		}
		return nil, err
	}
	if !p.seesWhole(e) {
		return nil, errorf(vigil.ENOTFOUND, "event %d", id)
	}
	return e, nil
}

// seesWhole reports whether the principal may see the event whole: its
// marking and every report's document.
func (p *principal) seesWhole(e *vigil.Event) bool {
	if !p.allows(e.Marking) {
		return false
	}
	for _, sr := range e.Reports {
		if !p.allows(sr.Document.Marking) {
			return false
		}
	}
	return true
}

// getEvent returns an event with every report beside it, each with its
// document and source, tagged with an ETag.
func (s *Server) getEvent(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.findEvent(r, p, id)
	if err != nil {
		return err
	}
	return writeTagged(w, r, e)
}

// summarizeEvents answers how many events (and killed) the filters select
// per country, admin-1 unit, month, year or one-degree grid cell (by), for
// the map's shading and points and the timeline: the UI never needs every
// event. Summaries are cached per clearance like counts.
func (s *Server) summarizeEvents(w http.ResponseWriter, r *http.Request, p *principal) error {
	f, err := eventFilter(r, p)
	if err != nil {
		return err
	}
	by := vigil.EventGrouping(r.URL.Query().Get("by"))
	if by == "" {
		by = vigil.ByCountry
	}
	buckets, err := s.summary(r.Context(), f, by)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, buckets)
}

// summary returns the summary of f by a grouping, from the cache when
// computed within its TTL.
func (s *Server) summary(ctx context.Context, f vigil.EventFilter, by vigil.EventGrouping) ([]vigil.EventBucket, error) {
	key, err := json.Marshal(struct {
		F  vigil.EventFilter
		By vigil.EventGrouping
	}{f, by})
	if err != nil {
		return nil, err
	}
	return s.summaries.get(ctx, string(key), func(ctx context.Context) ([]vigil.EventBucket, error) {
		return s.Browse.SummarizeEvents(ctx, f, by)
	})
}
