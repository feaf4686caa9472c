package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/eventrow"
)

// Fact blocks: the facts of up to 4,096 events (ids b<<12 … b<<12+4095)
// packed into one binary value, so that a million facts are read as 245
// rows instead of a million: through database/sql, each row costs
// microseconds, a block's bytes nanoseconds per fact. Triggers on events
// mark a block dirty when a row of it is updated or deleted (an event's
// actors change only when the event is fused again, which rewrites its
// row); whoever inserts events marks their blocks (see insertEvents).
// Readers rebuild the dirty blocks first.

const blockShift = 12

// blockSchema creates the block tables and the triggers that keep them
// honest. A block stored clears its dirty mark, so that a dump restored
// (rows of every table, in any order) comes back as it was: blocks dirty
// in the dump stay dirty, the others clean. Migrations 00003 and 00008 hold the same statements; they run again on
// first use (all IF NOT EXISTS) for stores migrated before the blocks
// existed, marking every block dirty then.
const blockSchema = `
CREATE TABLE IF NOT EXISTS fact_blocks (block INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fact_dirty (block INTEGER PRIMARY KEY ON CONFLICT IGNORE);
CREATE TRIGGER IF NOT EXISTS events_block_upd AFTER UPDATE ON events
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12), (NEW.id >> 12); END;
CREATE TRIGGER IF NOT EXISTS events_block_del AFTER DELETE ON events
	BEGIN INSERT INTO fact_dirty (block) VALUES (OLD.id >> 12); END;
CREATE TRIGGER IF NOT EXISTS fact_blocks_clean AFTER INSERT ON fact_blocks
	BEGIN DELETE FROM fact_dirty WHERE block = NEW.block; END;
`

// refreshBlocks rebuilds the dirty blocks in one write transaction.
func (s *Store) refreshBlocks(ctx context.Context) error {
	var ok int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'fact_blocks_clean'`).Scan(&ok)
	if err != nil {
		return fmt.Errorf("sqlite: fact blocks: %w", err)
	}
	if ok == 0 {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, blockSchema); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO fact_dirty (block) SELECT DISTINCT id >> 12 FROM events`)
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: fact blocks: %w", err)
		}
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM fact_dirty`).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: fact blocks: %w", err)
	}
	if n == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT block FROM fact_dirty ORDER BY block`)
		if err != nil {
			return fmt.Errorf("sqlite: fact blocks: %w", err)
		}
		var dirty []int64
		for rows.Next() {
			var b int64
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: fact blocks: %w", err)
			}
			dirty = append(dirty, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: fact blocks: %w", err)
		}
		for _, b := range dirty {
			if err := buildBlock(ctx, tx, b); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM fact_dirty`)
		return err
	})
}

// buildBlock encodes the facts of one block from events and
// event_actors and stores it, or deletes it when it holds no event.
func buildBlock(ctx context.Context, tx *sql.Tx, block int64) error {
	lo, hi := block<<blockShift, (block+1)<<blockShift-1
	actorRows, err := tx.QueryContext(ctx, `SELECT event_id, actor_id, name_norm FROM event_actors WHERE event_id BETWEEN ? AND ? ORDER BY event_id`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: fact block %d: %w", block, err)
	}
	type actor struct{ id, norm string }
	acts := map[int64][]actor{}
	for actorRows.Next() {
		var id int64
		var a actor
		if err := actorRows.Scan(&id, &a.id, &a.norm); err != nil {
			actorRows.Close()
			return fmt.Errorf("sqlite: fact block %d: %w", block, err)
		}
		acts[id] = append(acts[id], a)
	}
	actorRows.Close()
	rows, err := tx.QueryContext(ctx, `SELECT id, date_start, date_end, date_precision, country, admin1, admin1_name, unit, unit_name,
		lat, lon, event_type, tlp_rank, credibility, killed_low, killed_best, killed_high, wounded_low, wounded_best, wounded_high,
		target_types, sources, recorded_at, updated_at FROM events WHERE id BETWEEN ? AND ? ORDER BY id`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: fact block %d: %w", block, err)
	}
	defer rows.Close()
	enc := newBlockEncoder(lo)
	for rows.Next() {
		var (
			id                                                  int64
			start, end, country, a1, a1n, unit, unitName, etype string
			targets, sources, recorded, updated                 string
			lat, lon                                            sql.NullFloat64
			prec, tlp, cred, kl, kb, kh, wl, wb, wh             int64
		)
		if err := rows.Scan(&id, &start, &end, &prec, &country, &a1, &a1n, &unit, &unitName, &lat, &lon, &etype, &tlp, &cred,
			&kl, &kb, &kh, &wl, &wb, &wh, &targets, &sources, &recorded, &updated); err != nil {
			return fmt.Errorf("sqlite: fact block %d: %w", block, err)
		}
		ds, err1 := vigil.ParseDate(start)
		de, err2 := vigil.ParseDate(end)
		if err1 != nil || err2 != nil {
			continue // an event still being made
		}
		enc.uvarint(uint64(id - enc.last))
		enc.last = id
		enc.varint(days(ds))
		enc.uvarint(uint64(max(0, days(de)-days(ds))))
		enc.b = append(enc.b, byte(prec), byte(tlp), byte(cred))
		for _, s := range []string{etype, country, unit, unitName, a1, a1n, recorded, updated} {
			enc.str(s)
		}
		if lat.Valid && lon.Valid {
			enc.b = append(enc.b, 1)
			enc.b = binary.LittleEndian.AppendUint64(enc.b, math.Float64bits(lat.Float64))
			enc.b = binary.LittleEndian.AppendUint64(enc.b, math.Float64bits(lon.Float64))
		} else {
			enc.b = append(enc.b, 0)
		}
		for _, v := range []int64{kl, kb, kh, wl, wb, wh} {
			enc.uvarint(uint64(v + 1)) // -1, unknown, is 0
		}
		enc.list(targets)
		enc.list(sources)
		as := acts[id]
		enc.uvarint(uint64(len(as)))
		for _, a := range as {
			enc.str(a.id)
			enc.str(a.norm)
		}
		enc.n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: fact block %d: %w", block, err)
	}
	if enc.n == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM fact_blocks WHERE block = ?`, block)
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO fact_blocks (block, data) VALUES (?, ?)`, block, enc.bytes()); err != nil {
		return fmt.Errorf("sqlite: fact block %d: %w", block, err)
	}
	return nil
}

var epoch = vigil.NewDate(1970, 1, 1)

func days(d vigil.Date) int64 { return int64(epoch.DaysUntil(d)) }

// blockEncoder writes a block: a version byte, the strings, the number
// of facts, then the facts, strings given by their index.
type blockEncoder struct {
	strs  map[string]uint64
	order []string
	b     []byte
	n     int
	last  int64
}

func newBlockEncoder(base int64) *blockEncoder {
	return &blockEncoder{strs: map[string]uint64{}, last: base}
}

func (e *blockEncoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *blockEncoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *blockEncoder) str(s string) {
	i, ok := e.strs[s]
	if !ok {
		i = uint64(len(e.order))
		e.strs[s] = i
		e.order = append(e.order, s)
	}
	e.uvarint(i)
}

func (e *blockEncoder) list(joined string) {
	if joined == "" {
		e.uvarint(0)
		return
	}
	parts := strings.Split(joined, eventrow.ListSep)
	e.uvarint(uint64(len(parts)))
	for _, p := range parts {
		e.str(p)
	}
}

const blockVersion = 2 // 2: with each event's credibility

func (e *blockEncoder) bytes() []byte {
	out := []byte{blockVersion}
	out = binary.AppendUvarint(out, uint64(len(e.order)))
	for _, s := range e.order {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.AppendUvarint(out, uint64(e.n))
	return append(out, e.b...)
}

var errBlock = errors.New("sqlite: corrupt fact block")

// factBlock is a stored block: its number and its encoded facts.
type factBlock struct {
	id   int64
	data []byte
}

// decodeBlocks decodes the facts of the blocks that m matches, in block
// order, on as many goroutines as there are processors, into columns:
// each block into its own, then all copied into one set of columns of the
// total's size. The columns hold no pointers, so that neither the copies
// nor the garbage collector's scans cost anything per fact.
func decodeBlocks(blocks []factBlock, m *factMatcher, asOf time.Time) (*vigil.Facts, error) {
	workers := min(runtime.GOMAXPROCS(0), len(blocks)/16+1)
	shared := &sharedTables{fs: vigil.NewFacts(0)}
	readers := make([]*blockReader, workers)
	for i := range readers {
		mm := *m
		mm.memo = map[[4]string]bool{}
		readers[i] = &blockReader{shared: shared, times: map[string]time.Time{}, recorded: map[int32]int64{},
			lists: map[string]int32{}, match: &mm, asOf: asOf}
	}
	// each runs fn on every block, the blocks shared out among the
	// workers, and returns the first error.
	each := func(fn func(r *blockReader, i int) error) error {
		var next atomic.Int64
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for w, r := range readers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(blocks); i = int(next.Add(1) - 1) {
					if errs[w] = fn(r, i); errs[w] != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	// First each block's matches are counted, then written into their
	// place in columns of the total's size: decoding a block costs less
	// than the memory a copy of its facts would take.
	counts := make([]int, len(blocks))
	err := each(func(r *blockReader, i int) (err error) {
		counts[i], err = r.decode(blocks[i].id, blocks[i].data, nil, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	offs := make([]int, len(blocks)+1)
	for i, c := range counts {
		offs[i+1] = offs[i] + c
	}
	out := shared.fs
	out.Resize(offs[len(blocks)])
	err = each(func(r *blockReader, i int) error {
		_, err := r.decode(blocks[i].id, blocks[i].data, out, offs[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sharedTables are the tables of strings and lists that all the workers
// index.
type sharedTables struct {
	mu sync.Mutex
	fs *vigil.Facts
}

// blockReader decodes blocks, sharing its caches across them.
type blockReader struct {
	shared   *sharedTables
	times    map[string]time.Time
	recorded map[int32]int64 // by string index: Unix nanoseconds
	// lists maps the bytes of a list in the block being read to its index
	// in the shared table; cleared at each block, whose string numbers
	// are its own.
	lists map[string]int32
	match *factMatcher
	asOf  time.Time
}

// decode writes the block's facts that match into out from row at on,
// indexing the shared tables, and returns how many match; with out nil it
// only counts them.
func (r *blockReader) decode(block int64, b []byte, out *vigil.Facts, at int) (n int, err error) {
	if len(b) == 0 || b[0] != blockVersion {
		return 0, fmt.Errorf("%w %d: version", errBlock, block)
	}
	p := 1
	uv := func() uint64 {
		v, n := binary.Uvarint(b[p:])
		if n <= 0 {
			panic(errBlock)
		}
		p += n
		return v
	}
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("%w %d: %v", errBlock, block, e)
		}
	}()
	ns := int(uv())
	strs := make([]string, ns)
	gids := make([]int32, ns)
	raws := make([][]byte, ns)
	for i := range raws {
		l := int(uv())
		raws[i] = b[p : p+l]
		p += l
	}
	r.shared.mu.Lock()
	for i, raw := range raws {
		gids[i] = r.shared.fs.Intern(string(raw))
		strs[i] = r.shared.fs.Strings[gids[i]]
	}
	r.shared.mu.Unlock()
	clear(r.lists)
	// list reads a list of strings and returns its index in the shared
	// table.
	list := func() int32 {
		start := p
		k := int(uv())
		for range k {
			uv()
		}
		if k == 0 {
			return 0
		}
		if id, ok := r.lists[string(b[start:p])]; ok {
			return id
		}
		q := start
		next := func() uint64 {
			v, n := binary.Uvarint(b[q:])
			q += n
			return v
		}
		next()
		ss := make([]string, k)
		for i := range ss {
			ss[i] = strs[next()]
		}
		r.shared.mu.Lock()
		id := r.shared.fs.InternList(ss)
		r.shared.mu.Unlock()
		r.lists[string(b[start:p])] = id
		return id
	}
	nf := int(uv())
	id := block << blockShift
	for range nf {
		id += int64(uv())
		ds, w := binary.Varint(b[p:])
		if w <= 0 {
			return n, fmt.Errorf("%w %d", errBlock, block)
		}
		p += w
		span := int64(uv())
		prec, tlp, cred := b[p], b[p+1], vigil.Credibility(b[p+2])
		p += 3
		etype, country, unit, unitName, a1, a1n, recorded, updated := uv(), uv(), uv(), uv(), uv(), uv(), uv(), uv()
		located := b[p] == 1
		p++
		var lat, lon float64
		if located {
			lat = math.Float64frombits(binary.LittleEndian.Uint64(b[p:]))
			lon = math.Float64frombits(binary.LittleEndian.Uint64(b[p+8:]))
			p += 16
		}
		var nums [6]int32
		for i := range nums {
			nums[i] = int32(uv()) - 1 // 0, unknown, is -1
		}
		targets, sources := list(), list()
		na := int(uv())
		actorOK := r.match.actor == ""
		for range na {
			aid, norm := strs[uv()], strs[uv()]
			if !actorOK && r.match.actorMatches(aid, norm) {
				actorOK = true
			}
		}
		if !actorOK || !r.match.place(strs[country], strs[a1], strs[a1n], strs[etype], int(tlp)) || !r.match.dates(ds, ds+span) || !r.match.credible(cred) {
			continue
		}
		if !r.asOf.IsZero() && r.time(strs[updated]).After(r.asOf) {
			continue
		}
		n++
		if out == nil {
			continue
		}
		k := at + n - 1
		out.ID[k] = id
		out.DateStart[k], out.DateEnd[k] = epoch.AddDays(int(ds)), epoch.AddDays(int(ds+span))
		out.Precision[k] = int8(prec)
		out.Country[k], out.Admin1[k], out.Admin1Name[k] = gids[country], gids[unit], gids[unitName]
		out.EventType[k] = gids[etype]
		out.Located[k], out.Latitude[k], out.Longitude[k] = located, lat, lon
		out.Killed[k] = vigil.Range32{Low: nums[0], Best: nums[1], High: nums[2]}
		out.Wounded[k] = vigil.Range32{Low: nums[3], Best: nums[4], High: nums[5]}
		out.Credibility[k] = int8(cred)
		out.TargetTypes[k], out.Sources[k] = targets, sources
		out.RecordedAt[k] = r.recordedAt(gids[recorded], strs[recorded])
	}
	return n, nil
}

func (r *blockReader) time(s string) time.Time {
	if t, ok := r.times[s]; ok {
		return t
	}
	t := parseTime(s)
	r.times[s] = t
	return t
}

// recordedAt returns a time as a fact's RecordedAt: Unix nanoseconds.
func (r *blockReader) recordedAt(id int32, s string) int64 {
	if v, ok := r.recorded[id]; ok {
		return v
	}
	v := int64(vigil.NoTime)
	if t := r.time(s); !t.IsZero() {
		v = t.UnixNano()
	}
	r.recorded[id] = v
	return v
}

// factMatcher applies an event filter as eventWhere does in SQL.
type factMatcher struct {
	actor     string          // folded name; "" for any
	actorIDs  map[string]bool // actors with that name
	countries map[string]bool
	admin1    [][2]string // folded code or name, folded name
	from, to  int64       // days; math.MinInt64/MaxInt64 when open
	types     map[string]bool
	clearance int // -1 for none
	minCred   vigil.Credibility
	// memo caches place decisions: few distinct places, many facts.
	memo map[[4]string]bool
}

func newFactMatcher(ctx context.Context, q querier, f vigil.EventFilter) (*factMatcher, error) {
	m := &factMatcher{from: math.MinInt64, to: math.MaxInt64, clearance: -1, memo: map[[4]string]bool{}}
	if f.Actor != "" {
		m.actor = actors.Normalize(f.Actor)
		m.actorIDs = map[string]bool{}
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT actor_id FROM actor_names WHERE norm = ?`, m.actor)
		if err != nil {
			return nil, fmt.Errorf("sqlite: actor %q: %w", f.Actor, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: actor %q: %w", f.Actor, err)
			}
			m.actorIDs[id] = true
		}
		rows.Close()
	}
	if len(f.Countries) > 0 {
		m.countries = map[string]bool{}
		for _, c := range f.Countries {
			m.countries[strings.ToUpper(strings.TrimSpace(c))] = true
		}
	}
	for _, a := range f.Admin1 {
		m.admin1 = append(m.admin1, [2]string{actors.Normalize(a), eventrow.Admin1Norm(a)})
	}
	if !f.From.IsZero() {
		m.from = days(f.From)
	}
	if !f.To.IsZero() {
		m.to = days(f.To)
	}
	if len(f.Types) > 0 {
		m.types = map[string]bool{}
		for _, t := range f.Types {
			m.types[string(t)] = true
		}
	}
	if f.Clearance != "" {
		m.clearance = f.Clearance.Rank()
	}
	m.minCred = f.MinCredibility
	return m, nil
}

func (m *factMatcher) actorMatches(id, norm string) bool {
	return m.actorIDs[id] || (id == "" && norm == m.actor)
}

// credible reports whether a grade is at least the filter's minimum; an
// ungraded event (0) counts as 6, truth cannot be judged.
func (m *factMatcher) credible(c vigil.Credibility) bool { return credibleEnough(c, m.minCred) }

func credibleEnough(c, min vigil.Credibility) bool {
	if min == 0 {
		return true
	}
	if c == 0 {
		c = vigil.CredibilityUnknown
	}
	return c <= min
}

func (m *factMatcher) dates(start, end int64) bool { return end >= m.from && start <= m.to }

func (m *factMatcher) place(country, a1, a1n, etype string, tlp int) bool {
	if m.clearance >= 0 && tlp > m.clearance {
		return false
	}
	if m.countries == nil && m.admin1 == nil && m.types == nil {
		return true
	}
	k := [4]string{country, a1, a1n, etype}
	if v, ok := m.memo[k]; ok {
		return v
	}
	v := (m.countries == nil || m.countries[country]) && (m.types == nil || m.types[etype])
	if v && m.admin1 != nil {
		v = false
		for _, a := range m.admin1 {
			if a[0] == a1 || a[1] == a1n {
				v = true
				break
			}
		}
	}
	m.memo[k] = v
	return v
}
