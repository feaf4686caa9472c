package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/storecodec"
)

// Reports and documents are stored in storecodec's binary forms, as blobs
// (stores written before hold JSON text, which reads the same); a report's
// columns hold its ids. A dump writes both as JSON (see storedJSON), and
// document history is kept as JSON.

// scratch holds the buffers that values are encoded in before they are
// copied out at their size: encoding into a growing slice of its own made a
// report allocate about seven times.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// encode returns what appendTo appends to an empty slice, in a slice of
// its own of that size.
func encode(appendTo func([]byte) []byte) []byte {
	b := scratch.Get().(*[]byte)
	*b = appendTo((*b)[:0])
	out := slices.Clone(*b)
	scratch.Put(b)
	return out
}

// encodeReport is a report's stored form.
func encodeReport(r *vigil.Report) []byte {
	return encode(func(b []byte) []byte { return storecodec.AppendReport(b, r) })
}

// encodeReports encodes reports as encodeReport stores them, recorded at
// at, without changing them.
func encodeReports(reps []vigil.Report, at time.Time) [][]byte {
	out := make([][]byte, len(reps))
	for j := range reps {
		r := reps[j]
		r.RecordedAt = at
		out[j] = encodeReport(&r)
	}
	return out
}

// decodeReport reads a report back from its columns and stored form.
func decodeReport(id, docID int64, event sql.NullInt64, data string) (vigil.Report, error) {
	var r vigil.Report
	err := decodeReportTo(&r, id, docID, event.Int64, data)
	return r, err
}

// decodeReportTo is decodeReport into r, which it overwrites: a report
// decoded where it is kept is not copied there after.
func decodeReportTo(r *vigil.Report, id, docID, event int64, data string) error {
	*r = vigil.Report{ID: id, DocumentID: docID, EventID: event}
	if err := storecodec.DecodeReport(data, r); err != nil {
		return fmt.Errorf("sqlite: decode report %d: %w", id, err)
	}
	return nil
}

// decodeFusedReportTo is decodeReportTo for a report that is only fused:
// without what fusion does not read (storecodec.DecodeReportValues).
func decodeFusedReportTo(r *vigil.Report, id, docID, event int64, data string) error {
	*r = vigil.Report{ID: id, DocumentID: docID, EventID: event}
	if err := storecodec.DecodeReportValues(data, r); err != nil {
		return fmt.Errorf("sqlite: decode report %d: %w", id, err)
	}
	return nil
}

// encodeDocument is a document's stored form.
func encodeDocument(d *vigil.Document) []byte {
	return encode(func(b []byte) []byte { return storecodec.AppendDocument(b, d) })
}

// decodeDocument reads a document back from its stored form, either one.
func decodeDocument(id int64, data string, d *vigil.Document) error {
	if err := storecodec.DecodeDocument(data, d); err != nil {
		return fmt.Errorf("sqlite: decode document %d: %w", id, err)
	}
	return nil
}

// reportEventKey is the SQL function report_event_key(data): the event key
// of a stored report, in either form, for queries that select reports by
// it.
func reportEventKey(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	var data string
	switch v := args[0].(type) {
	case string:
		data = v
	case []byte:
		data = string(v)
	default:
		return nil, nil
	}
	return storecodec.ReportEventKey(data)
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("report_event_key", 1, reportEventKey)
}
