package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"modernc.org/sqlite"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/storecodec"
)

// Reports and documents are stored in storecodec's binary forms, as blobs
// (stores written before hold JSON text, which reads the same); a report's
// columns hold its ids. A dump writes both as JSON (see storedJSON), and
// document history is kept as JSON.

// encodeReport is a report's stored form.
func encodeReport(r *vigil.Report) []byte { return storecodec.AppendReport(nil, r) }

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
	r := vigil.Report{ID: id, DocumentID: docID, EventID: event.Int64}
	if err := storecodec.DecodeReport(data, &r); err != nil {
		return r, fmt.Errorf("sqlite: decode report %d: %w", id, err)
	}
	return r, nil
}

// encodeDocument is a document's stored form.
func encodeDocument(d *vigil.Document) []byte { return storecodec.AppendDocument(nil, d) }

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
