package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"modernc.org/sqlite"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/reportcodec"
)

// Reports are stored in reportcodec's binary form, a blob (stores written
// before it hold JSON text, which reads the same); the columns hold the
// ids. A dump writes them as JSON (see dumpValue).

// encodeReport is a report's stored form.
func encodeReport(r *vigil.Report) []byte { return reportcodec.Append(nil, r) }

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
	if err := reportcodec.Decode(data, &r); err != nil {
		return r, fmt.Errorf("sqlite: decode report %d: %w", id, err)
	}
	return r, nil
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
	return reportcodec.EventKey(data)
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("report_event_key", 1, reportEventKey)
}
