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

// blockDecoder decodes the facts of the blocks that m matches, in block
// order, on as many goroutines as there are processors, as the blocks are
// read from the store, into columns that hold no pointers: neither the
// garbage collector's scans nor its write barriers cost anything per
// fact. Each worker decodes a block into columns of its own, reused block
// after block, then copies the block's facts into the next rows of the
// output in block order.
type blockDecoder struct {
	shared *sharedTables
	out    *vigil.Facts
	jobs   chan blockJob
	// buffers are the blocks' bytes that the workers are done with.
	buffers chan []byte
	errs    []error
	wg      sync.WaitGroup
	added   int
	// The placing of blocks in order: next is the block whose facts go
	// in next, at row at.
	mu       sync.Mutex
	placed   *sync.Cond
	next, at int
}

type blockJob struct {
	i int
	b factBlock
}

// newBlockDecoder returns a decoder into columns of room rows, at least
// as many as the blocks will hold.
func newBlockDecoder(m *factMatcher, asOf time.Time, room int) *blockDecoder {
	workers := runtime.GOMAXPROCS(0)
	d := &blockDecoder{shared: &sharedTables{fs: vigil.NewFacts(0), strs: map[string]int32{}}, jobs: make(chan blockJob, 8),
		buffers: make(chan []byte, 8+2*workers), errs: make([]error, workers)}
	for range cap(d.buffers) {
		d.buffers <- nil
	}
	d.placed = sync.NewCond(&d.mu)
	d.out = d.shared.fs
	makeColumns(d.out, room)
	for w := range workers {
		mm := *m
		mm.memo = map[[4]string]bool{}
		r := &blockReader{shared: d.shared, times: map[string]time.Time{}, recorded: map[int32]int64{},
			lists: map[string]int32{}, match: &mm, asOf: asOf}
		own := &vigil.Facts{}
		makeColumns(own, 1<<blockShift)
		d.wg.Go(func() {
			for job := range d.jobs {
				var n int
				if d.errs[w] == nil {
					n, d.errs[w] = r.decode(job.b.id, job.b.data, own, 0)
				}
				d.mu.Lock()
				for d.next != job.i {
					d.placed.Wait()
				}
				if d.errs[w] != nil || d.at+n > len(d.out.ID) {
					if d.errs[w] == nil {
						d.errs[w] = fmt.Errorf("sqlite: fact blocks: more facts than the %d blocks hold", room>>blockShift)
					}
					n = 0
				}
				at := d.at
				d.next, d.at = d.next+1, d.at+n
				d.placed.Broadcast()
				d.mu.Unlock()
				if n > 0 {
					d.out.CopyRows(at, own.Slice(0, n))
				}
				d.buffers <- job.b.data
			}
		})
	}
	return d
}

// add hands a block to the workers, in a copy of its bytes: buffers go
// round between the reader and the workers, so that a million facts'
// blocks are not fifty megabytes more to allocate.
func (d *blockDecoder) add(id int64, data []byte) {
	d.jobs <- blockJob{d.added, factBlock{id, append((<-d.buffers)[:0], data...)}}
	d.added++
}

// finish waits for the workers and returns the facts. It must be called
// once, after the last add.
func (d *blockDecoder) finish() (*vigil.Facts, error) {
	close(d.jobs)
	d.wg.Wait()
	if err := errors.Join(d.errs...); err != nil {
		return nil, err
	}
	out := d.out
	if d.at < len(out.ID)/2 {
		// Far fewer facts than room: columns of their size, so that the
		// room is given back.
		exact := &vigil.Facts{Strings: out.Strings, Lists: out.Lists}
		makeColumns(exact, d.at)
		exact.CopyRows(0, out.Slice(0, d.at))
		return exact, nil
	}
	out.Resize(d.at)
	return out, nil
}

// makeColumns gives every column of out n rows, made on two goroutines:
// for a million facts, a hundred megabytes to be cleared or fetched from
// the system page by page.
func makeColumns(out *vigil.Facts, n int) {
	var wg sync.WaitGroup
	wg.Go(func() {
		out.ID, out.RecordedAt = make([]int64, n), make([]int64, n)
		out.Latitude, out.Longitude = make([]float64, n), make([]float64, n)
		out.Killed = make([]vigil.Range32, n)
		out.Located, out.Precision, out.Credibility = make([]bool, n), make([]int8, n), make([]int8, n)
	})
	wg.Go(func() {
		out.DateStart, out.DateEnd = make([]vigil.Date, n), make([]vigil.Date, n)
		out.Country, out.Admin1, out.Admin1Name, out.EventType = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
		out.Wounded = make([]vigil.Range32, n)
		out.TargetTypes, out.Sources = make([]int32, n), make([]int32, n)
	})
	wg.Wait()
}

// sharedTables are the tables of strings and lists that all the workers
// index.
type sharedTables struct {
	mu   sync.Mutex
	fs   *vigil.Facts
	strs map[string]int32 // the index of each of fs.Strings
}

// intern returns the index of a string given by its bytes; the caller
// holds mu.
func (t *sharedTables) intern(raw []byte) int32 {
	if id, ok := t.strs[string(raw)]; ok {
		return id
	}
	id := t.fs.Intern(string(raw))
	t.strs[t.fs.Strings[id]] = id
	return id
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
	// Scratch of the block being read: its strings, their indexes in the
	// shared table, their bytes, and whether each names the filter's
	// actor (by id, by name).
	strs               []string
	gids               []int32
	raws               [][]byte
	actorID, actorNorm []bool
}

// decode writes the block's facts that match into out from row at on,
// indexing the shared tables, and returns how many match; with out nil it
// only counts them.
func (r *blockReader) decode(block int64, b []byte, out *vigil.Facts, at int) (n int, err error) {
	if len(b) == 0 || b[0] != blockVersion {
		return 0, fmt.Errorf("%w %d: version", errBlock, block)
	}
	d := &varints{b: b, p: 1}
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("%w %d: %v", errBlock, block, e)
		}
	}()
	ns := int(d.uv())
	if ns > len(b) {
		return 0, fmt.Errorf("%w %d: %d strings", errBlock, block, ns)
	}
	// The block's strings, and what the filter asks of an actor, decided
	// once a string; the slices are the reader's, for block after block.
	r.strs, r.gids, r.raws = grow(r.strs, ns), grow(r.gids, ns), grow(r.raws, ns)
	r.actorID, r.actorNorm = grow(r.actorID, ns), grow(r.actorNorm, ns)
	strs, gids, raws, actorID, actorNorm := r.strs, r.gids, r.raws, r.actorID, r.actorNorm
	for i := range raws {
		l := int(d.uv())
		raws[i] = b[d.p : d.p+l]
		d.p += l
	}
	r.shared.mu.Lock()
	for i, raw := range raws {
		gids[i] = r.shared.intern(raw)
		strs[i] = r.shared.fs.Strings[gids[i]]
		actorID[i], actorNorm[i] = r.match.actorIDs[strs[i]], strs[i] == r.match.actor
	}
	r.shared.mu.Unlock()
	clear(r.lists)
	// list reads a list of strings and returns its index in the shared
	// table; the lists of a block are few, and often the same as the
	// last fact's.
	var last [2]struct {
		raw []byte
		id  int32
	}
	list := func(which int) int32 {
		start := d.p
		k := int(d.uv())
		if k == 0 {
			return 0
		}
		for range k {
			d.uv()
		}
		if out == nil {
			return 0
		}
		raw := b[start:d.p]
		if l := &last[which]; l.raw != nil && string(l.raw) == string(raw) {
			return l.id
		}
		id, ok := r.lists[string(raw)]
		if !ok {
			q := &varints{b: raw}
			q.uv()
			ss := make([]string, k)
			for i := range ss {
				ss[i] = strs[q.uv()]
			}
			r.shared.mu.Lock()
			id = r.shared.fs.InternList(ss)
			r.shared.mu.Unlock()
			r.lists[string(raw)] = id
		}
		last[which].raw, last[which].id = raw, id
		return id
	}
	nf := int(d.uv())
	id := block << blockShift
	lastRec, lastAt := uint64(math.MaxUint64), int64(0) // the last fact's recorded_at
	for range nf {
		id += int64(d.uv())
		ds := d.varint()
		span := int64(d.uv())
		prec, tlp, cred := b[d.p], b[d.p+1], vigil.Credibility(b[d.p+2])
		d.p += 3
		etype, country, unit, unitName, a1, a1n, recorded, updated := d.uv(), d.uv(), d.uv(), d.uv(), d.uv(), d.uv(), d.uv(), d.uv()
		located := b[d.p] == 1
		d.p++
		var lat, lon float64
		if located {
			lat = math.Float64frombits(binary.LittleEndian.Uint64(b[d.p:]))
			lon = math.Float64frombits(binary.LittleEndian.Uint64(b[d.p+8:]))
			d.p += 16
		}
		var nums [6]int32
		for i := range nums {
			nums[i] = int32(d.uv()) - 1 // 0, unknown, is -1
		}
		targets, sources := list(0), list(1)
		na := int(d.uv())
		actorOK := r.match.actor == ""
		for range na {
			aid, norm := d.uv(), d.uv()
			if !actorOK && (actorID[aid] || (strs[aid] == "" && actorNorm[norm])) {
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
		if recorded != lastRec {
			lastRec, lastAt = recorded, r.recordedAt(gids[recorded], strs[recorded])
		}
		out.RecordedAt[k] = lastAt
	}
	return n, nil
}

// grow returns s with length n, reusing its array when it is long enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// varints reads a block: it panics with errBlock past the end.
type varints struct {
	b []byte
	p int
}

func (d *varints) uv() uint64 {
	if d.p < len(d.b) && d.b[d.p] < 0x80 {
		d.p++
		return uint64(d.b[d.p-1])
	}
	v, n := binary.Uvarint(d.b[d.p:])
	if n <= 0 {
		panic(errBlock)
	}
	d.p += n
	return v
}

func (d *varints) varint() int64 {
	v, n := binary.Varint(d.b[d.p:])
	if n <= 0 {
		panic(errBlock)
	}
	d.p += n
	return v
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
		names, nameArgs := actorNamesSQL(m.actor, f.Clearance)
		rows, err := q.QueryContext(ctx, `SELECT DISTINCT actor_id FROM (`+names+`)`, nameArgs...)
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
