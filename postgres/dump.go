package postgres

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil"
)

var _ vigil.DumpService = (*Store)(nil)

// dumpLine is one row of one table in a dump, in the SQLite store's
// format: integers as integers, reals with a decimal point or exponent,
// text (json included) as strings, bytea as {"base64": "..."}, booleans as
// 1 and 0, NULL as null.
type dumpLine struct {
	Table string                     `json:"table"`
	Row   map[string]json.RawMessage `json:"row"`
}

// column is a column of a store table.
type column struct {
	name, typ string // typ: information_schema's data_type
}

// table is a store table: its columns (without _ord) and the order its
// rows are dumped in.
type table struct {
	name    string
	cols    []column
	order   string
	hasOrd  bool
	identOf string // the identity column whose sequence follows restored ids
}

// ordCol keeps the insertion order of tables whose SQLite rows have no
// integer key; dumps follow it and leave it out.
const ordCol = "_ord"

// tables returns the store's tables in the current schema, by name (in
// byte order, as SQLite sorts them), leaving out goose's and those of
// extensions (PostGIS's spatial_ref_sys).
func tables(ctx context.Context, q querier) ([]*table, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname::text FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname <> 'goose_db_version'
		  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
		ORDER BY c.relname::text COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: tables: %w", err)
	}
	var out []*table
	for _, n := range names {
		t := &table{name: n}
		rows, err := q.QueryContext(ctx, `SELECT column_name::text, data_type::text, is_identity = 'YES'
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, n)
		if err != nil {
			return nil, fmt.Errorf("postgres: columns of %s: %w", n, err)
		}
		for rows.Next() {
			var c column
			var ident bool
			if err := rows.Scan(&c.name, &c.typ, &ident); err != nil {
				rows.Close()
				return nil, fmt.Errorf("postgres: columns of %s: %w", n, err)
			}
			if c.name == ordCol {
				t.hasOrd = true
				continue
			}
			if ident {
				t.identOf = c.name
			}
			t.cols = append(t.cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("postgres: columns of %s: %w", n, err)
		}
		if t.hasOrd {
			t.order = quote(ordCol)
		} else {
			var pk []string
			rows, err := q.QueryContext(ctx, `SELECT a.attname::text FROM pg_index i
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
				WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND i.indisprimary
				ORDER BY array_position(i.indkey, a.attnum)`, n)
			if err != nil {
				return nil, fmt.Errorf("postgres: key of %s: %w", n, err)
			}
			if pk, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				return nil, fmt.Errorf("postgres: key of %s: %w", n, err)
			}
			if len(pk) == 0 {
				return nil, fmt.Errorf("postgres: table %s has neither a primary key nor %s", n, ordCol)
			}
			for i := range pk {
				// Text keys in byte order, as SQLite orders them,
				// whatever the database's collation.
				pk[i] = quote(pk[i])
				for _, c := range t.cols {
					if c.name == pk[i][1:len(pk[i])-1] && c.typ == "text" {
						pk[i] += ` COLLATE "C"`
					}
				}
			}
			t.order = strings.Join(pk, ", ")
		}
		out = append(out, t)
	}
	return out, nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// schemaVersion returns the highest migration applied.
func schemaVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

// Dump writes every table's rows, in one repeatable-read transaction so
// that the dump is one consistent state while writers go on.
func (s *Store) Dump(ctx context.Context, w io.Writer) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: dump: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	q := conn{tx}
	bw := bufio.NewWriterSize(w, 1<<16)
	v, err := schemaVersion(ctx, q)
	if err != nil {
		return err
	}
	head, _ := json.Marshal(vigil.DumpHeader{Vigil: "1", Schema: v})
	bw.Write(append(head, '\n'))
	ts, err := tables(ctx, q)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if err := dumpTable(ctx, q, t, bw); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("postgres: dump: %w", err)
	}
	return nil
}

func dumpTable(ctx context.Context, q querier, t *table, w *bufio.Writer) error {
	sel := make([]string, len(t.cols))
	for i, c := range t.cols {
		sel[i] = quote(c.name)
		if c.typ == "json" || c.typ == "jsonb" {
			sel[i] += "::text"
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM `+quote(t.name)+` ORDER BY `+t.order)
	if err != nil {
		return fmt.Errorf("postgres: dump %s: %w", t.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("postgres: dump %s: %w", t.name, err)
		}
		line := dumpLine{Table: t.name, Row: make(map[string]json.RawMessage, len(t.cols))}
		for i, c := range t.cols {
			raw, err := encodeValue(vals[i])
			if err != nil {
				return fmt.Errorf("postgres: dump %s.%s: %w", t.name, c.name, err)
			}
			line.Row[c.name] = raw
		}
		b, err := json.Marshal(line) // map keys come out sorted
		if err != nil {
			return fmt.Errorf("postgres: dump %s: %w", t.name, err)
		}
		w.Write(append(b, '\n'))
	}
	return rows.Err()
}

func encodeValue(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case int64:
		return json.RawMessage(strconv.FormatInt(x, 10)), nil
	case int32:
		return json.RawMessage(strconv.FormatInt(int64(x), 10)), nil
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

// decodeValue reads a dump value for a column of type typ.
func decodeValue(raw json.RawMessage, typ string) (any, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return nil, nil
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		if typ == "json" || typ == "jsonb" {
			if !json.Valid([]byte(v)) {
				return nil, errors.New("not JSON")
			}
		} else if typ != "text" {
			return nil, fmt.Errorf("text for a %s column", typ)
		}
		return v, nil
	case strings.HasPrefix(s, "{"):
		var b struct {
			Base64 string `json:"base64"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		if typ != "bytea" {
			return nil, fmt.Errorf("bytes for a %s column", typ)
		}
		return base64.StdEncoding.DecodeString(b.Base64)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "double precision", "real":
		return f, nil
	case "boolean":
		return f != 0, nil
	case "bigint", "integer", "smallint":
		if strings.ContainsAny(s, ".eE") {
			return nil, fmt.Errorf("%s for an integer column", s)
		}
		return strconv.ParseInt(s, 10, 64)
	}
	return nil, fmt.Errorf("a number for a %s column", typ)
}

// restoreChunk is how many rows go in one COPY.
const restoreChunk = 10000

// Restore reads a dump into an empty store in one transaction, each
// table's rows through COPY; sequences then follow the restored ids.
func (s *Store) Restore(ctx context.Context, r io.Reader) error {
	return s.inWriteTx(ctx, func(tx *txn) error {
		ts, err := tables(ctx, tx)
		if err != nil {
			return err
		}
		known := map[string]*table{}
		types := map[string]map[string]string{}
		for _, t := range ts {
			var any bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+quote(t.name)+`)`).Scan(&any); err != nil {
				return fmt.Errorf("postgres: restore: %w", err)
			}
			if any {
				return vigil.Errorf(vigil.ECONFLICT, "restore needs an empty store; table %s is not empty", t.name)
			}
			known[t.name] = t
			types[t.name] = map[string]string{}
			for _, c := range t.cols {
				types[t.name][c.name] = c.typ
			}
		}
		// References are checked at commit, so rows may come in any order.
		if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS ALL DEFERRED`); err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
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
		var (
			cur     string   // the table and columns being copied
			curCols []string // sorted
			buf     [][]any
			first   int // the dump line of buf[0]
		)
		flush := func() error {
			if len(buf) == 0 {
				return nil
			}
			defer func() { buf = buf[:0] }()
			table := strings.SplitN(cur, "(", 2)[0]
			if table == "fact_dirty" {
				// SQLite ignores a block marked twice; so does this.
				blocks := make([]any, len(buf))
				for i, r := range buf {
					blocks[i] = r[0]
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO fact_dirty (block) SELECT unnest(?::bigint[]) ON CONFLICT DO NOTHING`, blocks)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "restore: lines %d–%d: fact_dirty: %v", first, first+len(buf)-1, err)
				}
				return nil
			}
			if _, err := tx.tx.CopyFrom(ctx, pgx.Identifier{table}, curCols, pgx.CopyFromRows(buf)); err != nil {
				return vigil.Errorf(vigil.EINVALID, "restore: lines %d–%d: %s: %v", first, first+len(buf)-1, table, err)
			}
			return nil
		}
		for line := 2; sc.Scan(); line++ {
			var dl dumpLine
			if err := json.Unmarshal(sc.Bytes(), &dl); err != nil {
				return vigil.Errorf(vigil.EINVALID, "restore: line %d: %v", line, err)
			}
			cols := types[dl.Table]
			if cols == nil {
				return vigil.Errorf(vigil.EINVALID, "restore: line %d: unknown table %q", line, dl.Table)
			}
			names := make([]string, 0, len(dl.Row))
			for c := range dl.Row {
				if cols[c] == "" {
					return vigil.Errorf(vigil.EINVALID, "restore: line %d: table %s has no column %q", line, dl.Table, c)
				}
				names = append(names, c)
			}
			slices.Sort(names)
			key := dl.Table + "(" + strings.Join(names, ",") + ")"
			if key != cur || len(buf) >= restoreChunk {
				if err := flush(); err != nil {
					return err
				}
				cur, curCols, first = key, names, line
			}
			row := make([]any, len(names))
			for i, c := range names {
				if row[i], err = decodeValue(dl.Row[c], cols[c]); err != nil {
					return vigil.Errorf(vigil.EINVALID, "restore: line %d: %s.%s: %v", line, dl.Table, c, err)
				}
			}
			buf = append(buf, row)
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		if err := flush(); err != nil {
			return err
		}
		for _, t := range ts {
			if t.identOf == "" {
				continue
			}
			_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(`+quote(t.identOf)+`) FROM `+quote(t.name)+`), 0) + 1, false)`,
				t.name, t.identOf)
			if err != nil {
				return fmt.Errorf("postgres: restore: sequence of %s: %w", t.name, err)
			}
		}
		// The deferred references are checked here, inside the
		// transaction, so that a broken dump is an invalid one.
		if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
			return vigil.Errorf(vigil.EINVALID, "restore: %v", err)
		}
		return nil
	})
}
