package http

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/export/stix"
)

// exportMedia gives each export format its media type and file extension.
var exportMedia = map[string][2]string{
	"csv":       {"text/csv; charset=utf-8", "csv"},
	"acled-csv": {"text/csv; charset=utf-8", "csv"},
	"ucdp-csv":  {"text/csv; charset=utf-8", "csv"},
	"geojson":   {"application/geo+json", "geojson"},
	"stix":      {"application/stix+json;version=2.1", "json"},
}

// exportDetail lists the formats whose writers use each event's reports.
var exportDetail = []string{"acled-csv", "ucdp-csv", "stix"}

// exportPage is how many events one store query returns while exporting.
const exportPage = 2000

// exportEvents streams the events that match the filters (as for
// GET /api/v1/events) in a format of package export, as an attachment.
// Exports obey the reader's clearance like every other read: a STIX
// bundle holds the actors (which carry no marking), the relationships and
// composition claims whose every document the reader may see (as GET
// /relationships shows them) and the events, as `vigil export stix --tlp`
// writes them for the reader's clearance. spreadsheet_safe=1 guards the
// text cells of a CSV that a spreadsheet would run as formulas
// (export.SpreadsheetSafe), as the CLI's --spreadsheet-safe does.
func (s *Server) exportEvents(w http.ResponseWriter, r *http.Request, p *principal) error {
	format := r.PathValue("format")
	media, ok := exportMedia[format]
	newFormat := export.FormatsWith[format]
	if !ok || newFormat == nil && format != "stix" {
		return errorf(vigil.ENOTFOUND, "export format %q: want one of csv, acled-csv, ucdp-csv, geojson, stix", format)
	}
	f, err := eventFilter(r, p)
	if err != nil {
		return err
	}
	var opts export.Options
	switch v := r.URL.Query().Get("spreadsheet_safe"); v {
	case "", "0", "false":
	case "1", "true":
		if media[1] != "csv" {
			return errorf(vigil.EINVALID, "spreadsheet_safe: for CSV only, not %s", format)
		}
		opts.SpreadsheetSafe = true
	default:
		return errorf(vigil.EINVALID, "spreadsheet_safe %q: want 1 or 0", v)
	}
	newWriter := func(w io.Writer) export.Writer { return newFormat(w, opts) }
	if format == "stix" {
		newWriter = func(w io.Writer) export.Writer { return stix.NewWriter(w, stix.Options{Name: stix.FilterName(f)}) }
	}
	detail := slices.Contains(exportDetail, format)
	// Headers go out with the first page, so that a query failing on it
	// can still answer with a problem; a failure after that aborts.
	var ew export.Writer
	err = vigil.EventPages(r.Context(), s.Browse, f, exportPage, func(evs []*vigil.Event) error {
		if ew == nil {
			w.Header().Set("Content-Type", media[0])
			w.Header().Set("Content-Disposition", `attachment; filename="vigil-events.`+media[1]+`"`)
			var out io.Writer = w
			if format == "geojson" {
				out = jsonHTMLEscaper{w}
			}
			ew = newWriter(out)
			if sw, ok := ew.(*stix.Writer); ok {
				if err := s.stixHead(r.Context(), p, sw); err != nil {
					return s.abort(r, err)
				}
			}
		}
		if detail {
			var err error
			if evs, err = s.eventDetails(r, p, evs); err != nil {
				return s.abort(r, err)
			}
		}
		for _, e := range evs {
			if err := ew.Write(e); err != nil {
				return s.abort(r, err)
			}
		}
		return nil
	})
	if err != nil {
		if ew == nil {
			return err
		}
		return s.abort(r, err)
	}
	if err := ew.Close(); err != nil {
		return s.abort(r, err)
	}
	return nil
}

// eventDetails reads a page's events again whole, each as findEvent reads
// one (with every report, its document and source, all of which the
// reader must be allowed): in one batch where the store can
// (vigil.EventDetailer), else one at a time.
func (s *Server) eventDetails(r *http.Request, p *principal, evs []*vigil.Event) ([]*vigil.Event, error) {
	d, ok := s.Store.(vigil.EventDetailer)
	if !ok {
		out := make([]*vigil.Event, len(evs))
		for i, e := range evs {
			var err error
			if out[i], err = s.findEvent(r, p, e.ID); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	out, err := d.FindEventDetails(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	if len(out) != len(ids) {
		return nil, errorf(vigil.ENOTFOUND, "%d of the page's %d events changed while it was read", len(ids)-len(out), len(ids))
	}
	for _, e := range out {
		if !p.seesWhole(e) {
			return nil, errorf(vigil.ENOTFOUND, "event %d", e.ID)
		}
	}
	return out, nil
}

// stixHead writes what a STIX bundle holds before its events: the actors
// (and of theirs the names) and the claims about them that the reader may
// see.
func (s *Server) stixHead(ctx context.Context, p *principal, sw *stix.Writer) error {
	acts, err := s.Store.FindActors(ctx, vigil.ActorFilter{Clearance: p.clearance()})
	if err != nil {
		return err
	}
	for _, a := range acts {
		if err := sw.WriteActor(a); err != nil {
			return err
		}
	}
	return sw.WriteActorClaims(ctx, s.Store, p.allows)
}

// abort ends a response whose body has begun: the error is logged and the
// connection dropped, so that the client sees a broken transfer rather
// than a truncated file that looks whole.
func (s *Server) abort(r *http.Request, err error) error {
	s.Logger.Error("http: export failed midway", "path", r.URL.Path, "err", strings.TrimSpace(err.Error()))
	panic(http.ErrAbortHandler)
}

// jsonHTMLEscaper escapes <, > and & in a JSON stream as \u003c, \u003e
// and \u0026, as the API's own responses do. Outside strings JSON holds none
// of them, so the stream stays the same JSON value.
type jsonHTMLEscaper struct{ w io.Writer }

func (e jsonHTMLEscaper) Write(p []byte) (int, error) {
	start := 0
	for i, c := range p {
		var esc string
		switch c {
		case '<':
			esc = `\u003c`
		case '>':
			esc = `\u003e`
		case '&':
			esc = `\u0026`
		default:
			continue
		}
		if _, err := e.w.Write(p[start:i]); err != nil {
			return start, err
		}
		if _, err := io.WriteString(e.w, esc); err != nil {
			return i, err
		}
		start = i + 1
	}
	if _, err := e.w.Write(p[start:]); err != nil {
		return start, err
	}
	return len(p), nil
}
