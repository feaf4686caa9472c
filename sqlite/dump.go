package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/storecodec"
)

var _ vigil.DumpService = (*Store)(nil)

// dumpLine is one row of one table in a dump. Values are JSON: integers as
// integers, reals with a decimal point or exponent, text as strings, blobs
// as {"base64": "..."}, NULL as null.
type dumpLine struct {
	Table string                     `json:"table"`
	Row   map[string]json.RawMessage `json:"row"`
}

// tables returns the store's own tables, by name: every table but SQLite's
// and the migrations' bookkeeping.
func tables(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: tables: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// schemaVersion returns the highest migration applied.
func schemaVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqlite: schema version: %w", err)
	}
	return v, nil
}

// Dump writes every table's rows, in one read transaction so that the dump
// is one consistent state.
func (s *Store) Dump(ctx context.Context, w io.Writer) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: dump: %w", err)
	}
	defer tx.Rollback()
	bw := bufio.NewWriterSize(w, 1<<16)
	v, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	head, _ := json.Marshal(vigil.DumpHeader{Vigil: "1", Schema: v})
	bw.Write(append(head, '\n'))
	names, err := tables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range names {
		if err := dumpTable(ctx, tx, t, bw); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sqlite: dump: %w", err)
	}
	return nil
}

func dumpTable(ctx context.Context, tx *sql.Tx, table string, w *bufio.Writer) error {
	// Rows in the order of their key: the rowid, or every column for the
	// tables that have none.
	order := "rowid"
	var withoutRowid int
	tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'`, table).Scan(&withoutRowid)
	rows, err := tx.QueryContext(ctx, `SELECT * FROM "`+table+`" LIMIT 0`)
	if err != nil {
		return fmt.Errorf("sqlite: dump %s: %w", table, err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return fmt.Errorf("sqlite: dump %s: %w", table, err)
	}
	if withoutRowid > 0 {
		order = `"` + strings.Join(cols, `", "`) + `"`
	}
	rows, err = tx.QueryContext(ctx, `SELECT * FROM "`+table+`" ORDER BY `+order)
	if err != nil {
		return fmt.Errorf("sqlite: dump %s: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("sqlite: dump %s: %w", table, err)
		}
		line := dumpLine{Table: table, Row: make(map[string]json.RawMessage, len(cols))}
		for i, c := range cols {
			if form := storedForm(table, c); form != "" {
				if vals[i], err = storedJSON(form, vals[i]); err != nil {
					return fmt.Errorf("sqlite: dump %s.%s: %w", table, c, err)
				}
			}
			raw, err := encodeValue(vals[i])
			if err != nil {
				return fmt.Errorf("sqlite: dump %s.%s: %w", table, c, err)
			}
			line.Row[c] = raw
		}
		b, err := json.Marshal(line) // map keys come out sorted
		if err != nil {
			return fmt.Errorf("sqlite: dump %s: %w", table, err)
		}
		w.Write(append(b, '\n'))
	}
	return rows.Err()
}

// storedForm says which binary form a column holds ("" for none): a dump
// writes reports and documents as their JSON, as the PostgreSQL store
// keeps them, so that a dump reads the same whichever store wrote it.
// Document history is kept as JSON already.
func storedForm(table, column string) string {
	switch {
	case column != "data":
		return ""
	case table == "reports" || table == "report_history":
		return "report"
	case table == "documents":
		return "document"
	}
	return ""
}

// storedJSON turns a stored report or document, in either form, into its
// JSON text.
func storedJSON(form string, v any) (any, error) {
	var s string
	switch x := v.(type) {
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		return v, nil
	}
	if form == "document" {
		return storecodec.DocumentJSON(s)
	}
	return storecodec.ReportJSON(s)
}

// storedBinary turns a report's or a document's JSON text from a dump into
// its stored form.
func storedBinary(form string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	if form == "document" {
		var d vigil.Document
		if err := storecodec.DecodeDocument(s, &d); err != nil {
			return nil, err
		}
		return encodeDocument(&d), nil
	}
	var r vigil.Report
	if err := storecodec.DecodeReport(s, &r); err != nil {
		return nil, err
	}
	return encodeReport(&r), nil
}

func encodeValue(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case int64:
		return json.RawMessage(strconv.FormatInt(x, 10)), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errors.New("not a finite number")
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return json.RawMessage(s), nil
	case string:
		return json.Marshal(x)
	case []byte:
		return json.Marshal(map[string]string{"base64": base64.StdEncoding.EncodeToString(x)})
	case bool:
		if x {
			return json.RawMessage("1"), nil
		}
		return json.RawMessage("0"), nil
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}

func decodeValue(raw json.RawMessage) (any, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return nil, nil
	case strings.HasPrefix(s, `"`):
		var v string
		err := json.Unmarshal(raw, &v)
		return v, err
	case strings.HasPrefix(s, "{"):
		var b struct {
			Base64 string `json:"base64"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		return base64.StdEncoding.DecodeString(b.Base64)
	case strings.ContainsAny(s, ".eE"):
		return strconv.ParseFloat(s, 64)
	}
	return strconv.ParseInt(s, 10, 64)
}

// Restore reads a dump into an empty store in one transaction.
func (s *Store) Restore(ctx context.Context, r io.Reader) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		names, err := tables(ctx, tx)
		if err != nil {
			return err
		}
		known := map[string]map[string]bool{}
		for _, t := range names {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&n); err != nil {
				return fmt.Errorf("sqlite: restore: %w", err)
			}
			if n > 0 {
				return vigil.Errorf(vigil.ECONFLICT, "restore needs an empty store; table %s is not empty", t)
			}
			cols := map[string]bool{}
			rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, t)
			if err != nil {
				return fmt.Errorf("sqlite: restore: %w", err)
			}
			for rows.Next() {
				var c string
				rows.Scan(&c)
				cols[c] = true
			}
			rows.Close()
			known[t] = cols
		}
		// References are checked at commit, so rows may come in any order.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return fmt.Errorf("sqlite: restore: %w", err)
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<30)
		if !sc.Scan() {
			return vigil.Errorf(vigil.EINVALID, "restore: empty input: not a vigil dump")
		}
		var head vigil.DumpHeader
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil || head.Vigil != "1" {
			return vigil.Errorf(vigil.EINVALID, "restore: line 1: not a vigil dump header")
		}
		have, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if head.Schema > have {
			return vigil.Errorf(vigil.EINVALID, "restore: the dump was made by schema %d; this vigil knows %d: upgrade vigil", head.Schema, have)
		}
		stmts := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		for line := 2; sc.Scan(); line++ {
			var dl dumpLine
			if err := json.Unmarshal(sc.Bytes(), &dl); err != nil {
				return vigil.Errorf(vigil.EINVALID, "restore: line %d: %v", line, err)
			}
			cols := known[dl.Table]
			if cols == nil {
				return vigil.Errorf(vigil.EINVALID, "restore: line %d: unknown table %q", line, dl.Table)
			}
			names := make([]string, 0, len(dl.Row))
			for c := range dl.Row {
				if !cols[c] {
					return vigil.Errorf(vigil.EINVALID, "restore: line %d: table %s has no column %q", line, dl.Table, c)
				}
				names = append(names, c)
			}
			sort.Strings(names)
			args := make([]any, len(names))
			for i, c := range names {
				if args[i], err = decodeValue(dl.Row[c]); err == nil && storedForm(dl.Table, c) != "" {
					args[i], err = storedBinary(storedForm(dl.Table, c), args[i])
				}
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "restore: line %d: %s.%s: %v", line, dl.Table, c, err)
				}
			}
			key := dl.Table + "(" + strings.Join(names, ",") + ")"
			st := stmts[key]
			if st == nil {
				q := `INSERT INTO "` + dl.Table + `" ("` + strings.Join(names, `", "`) + `") VALUES (` + placeholders(len(names)) + `)`
				if st, err = tx.PrepareContext(ctx, q); err != nil {
					return fmt.Errorf("sqlite: restore %s: %w", dl.Table, err)
				}
				stmts[key] = st
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return vigil.Errorf(vigil.EINVALID, "restore: line %d: %s: %v", line, dl.Table, err)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("sqlite: restore: %w", err)
		}
		return nil
	})
}
