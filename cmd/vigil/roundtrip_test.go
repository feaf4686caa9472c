package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// wireArticles are two news reports that the text importer makes events
// of: one with no place at all (no point, no country, no precision) and
// no named actor, one with a province and a range of dead.
const wireArticles = `{"id":"w1","source":"Test Wire","published":"2024-05-07T09:00:00Z","title":"Checkpoint attack","text":"Gunmen killed three people and wounded five in an attack on a checkpoint on Tuesday, officials said. No group claimed responsibility."}
{"id":"w2","source":"Test Wire","published":"2024-06-02T09:00:00Z","title":"Blast","text":"Between four and nine people were killed in a blast in Kunduz province on Sunday, police said. The Taliban denied involvement."}
`

// rtEvents returns the store's events as events list --format json
// writes them.
func rtEvents(t *testing.T, db string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	if err := json.Unmarshal([]byte(vigilIn(t, db, "events", "list", "--format", "json")), &evs); err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestExportsReadBack: a mixed store — the demo's UCDP rows, Wikipedia
// incidents (many of no ACLED event type), news and armed-group media
// reports without a point, and a wire report of no place at all — is
// exported as UCDP-like and as ACLED-like CSV, and each export imported
// into a fresh store, as a user runs it: nothing is rejected, every event
// comes back, with its values as far as the format holds them.
func TestExportsReadBack(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "mixed.db")
	vigilIn(t, db, "demo")
	art := filepath.Join(dir, "wire.jsonl")
	if err := os.WriteFile(art, []byte(wireArticles), 0o644); err != nil {
		t.Fatal(err)
	}
	vigilIn(t, db, "import", "text", art, "--source", "Test Wire")
	vigilIn(t, db, "link")
	orig := rtEvents(t, db)

	// The store holds what the old exports lost.
	var noPoint, noType, noCountry, noActor int
	for _, e := range orig {
		if e["latitude"] == nil {
			noPoint++
		}
		if e["event_type"] == nil || e["event_type"] == "" {
			noType++
		}
		if e["country"] == "" {
			noCountry++
		}
		if len(e["actors"].([]any)) == 0 {
			noActor++
		}
	}
	if len(orig) < 1300 || noPoint < 4 || noType < 500 || noCountry < 1 || noActor < 2 {
		t.Fatalf("the mixed store has %d events, %d without a point, %d of no type, %d of no country, %d of no actor", len(orig), noPoint, noType, noCountry, noActor)
	}

	t.Run("ucdp-csv", func(t *testing.T) {
		back := rtExportImport(t, dir, db, "ucdp-csv", "ucdp", len(orig), noPoint)
		byKey := map[string]map[string]any{}
		for _, e := range back {
			byKey[e["key"].(string)] = e
		}
		diffs := 0
		for _, e := range orig {
			key, _ := e["key"].(string)
			fromGED := strings.HasPrefix(key, "ucdp-ged:")
			if !fromGED {
				key = fmt.Sprintf("ucdp-ged:%v", e["id"])
			}
			b := byKey[key]
			if b == nil {
				t.Errorf("event %v (%s) did not come back as %s", e["id"], e["key"], key)
				continue
			}
			// UCDP's scales are vigil's: precisions and date ranges come
			// back as they were; so does every figure the event states.
			d := rtCompare(e, b, "date_start", "date_end", "date_precision", "place", "latitude", "longitude",
				"location_precision", "country", "admin2", "killed.low", "killed.best")
			// A GED row's deaths_a are the attackers killed only in
			// one-sided violence; an event with a GED row keeps GED's
			// type_of_violence.
			if !fromGED {
				d = append(d, rtCompare(e, b, "attackers_killed")...)
			}
			if rtKnown(e, "killed.high") {
				d = append(d, rtCompare(e, b, "killed.high")...)
			}
			if e["admin1_name"] != nil {
				d = append(d, rtCompare(e, b, "admin1_name")...)
			}
			// GED has one actor a side: the actors come back with their
			// roles, all of them when the event has one of each role.
			ea, ba := rtActors(e, "as_written"), rtActors(b, "as_written")
			for _, a := range ba {
				if !slices.Contains(ea, a) {
					d = append(d, fmt.Sprintf("actor %s is new (had %v)", a, ea))
				}
			}
			if rtOnePerRole(e) && !slices.Equal(ea, ba) {
				d = append(d, fmt.Sprintf("actors %v, want %v", ba, ea))
			}
			if len(d) > 0 {
				if diffs++; diffs <= 5 {
					t.Errorf("event %v (%s): %s", e["id"], e["key"], strings.Join(d, "; "))
				}
			}
		}
		if diffs > 0 {
			t.Errorf("%d of %d events differ", diffs, len(orig))
		}
	})

	t.Run("acled-csv", func(t *testing.T) {
		back := rtExportImport(t, dir, db, "acled-csv", "acled", len(orig), noPoint)
		// An event not from ACLED is written as <alpha-3>V<event id>.
		vKey := regexp.MustCompile(`^acled:[A-Z]{3}V(\d+)$`)
		byID := map[string]map[string]any{}
		for _, e := range back {
			if m := vKey.FindStringSubmatch(e["key"].(string)); m != nil {
				byID[m[1]] = e
			}
		}
		diffs := 0
		for _, e := range orig {
			b := byID[fmt.Sprint(e["id"])]
			if b == nil {
				t.Errorf("event %v (%s) did not come back", e["id"], e["key"])
				continue
			}
			d := rtCompare(e, b, "date_start", "event_type", "sub_event_type", "place", "latitude", "longitude", "country", "admin2")
			if e["admin1_name"] != nil {
				d = append(d, rtCompare(e, b, "admin1_name")...)
			}
			// ACLED's scales are coarser: a precision comes back as the
			// one its ACLED code stands for.
			if g, w := rtNum(b, "date_precision"), []int{0, 1, 3, 3, 4, 4}[rtNum(e, "date_precision")]; g != w {
				d = append(d, fmt.Sprintf("date_precision %d, want %d", g, w))
			}
			if g, w := rtNum(b, "location_precision"), []int{0, 1, 2, 4, 4, 4, 4, 4}[rtNum(e, "location_precision")]; g != w {
				d = append(d, fmt.Sprintf("location_precision %d, want %d", g, w))
			}
			// fatalities is the low bound, else the best estimate.
			fat := rtGet(e, "killed.low")
			if fat == nil {
				fat = rtGet(e, "killed.best")
			}
			if g := rtGet(b, "killed.low"); !reflect.DeepEqual(g, fat) || !reflect.DeepEqual(rtGet(b, "killed.best"), fat) {
				d = append(d, fmt.Sprintf("killed %v, want low and best %v", b["killed"], fat))
			}
			// Every actor comes back as it was written (associated actors
			// hold the rest; an actor a dataset's row names on a side is
			// written once), with its role where ACLED's event type gives
			// one: actor1 attacks actor2 in explosions and violence against
			// civilians; an event of another type, or none, holds parties.
			ea, ba := rtWritten(e), rtActors(b, "as_written")
			en, bn, bids := rtNamesOf(ea), rtNamesOf(ba), rtIDs(b)
			attack := e["event_type"] == "Explosions/Remote violence" || e["event_type"] == "Violence against civilians"
			for _, a := range ba {
				if !slices.Contains(en, a[:strings.LastIndex(a, ": ")]) || attack && !slices.Contains(ea, a) {
					d = append(d, fmt.Sprintf("actor %s, want one of %v", a, ea))
				}
			}
			for i, n := range en {
				if !slices.Contains(bn, n) && !slices.Contains(bids, rtIDs(e)[i]) {
					d = append(d, fmt.Sprintf("actor %s did not come back (%v)", n, ba))
				}
			}
			if len(d) > 0 {
				if diffs++; diffs <= 5 {
					t.Errorf("event %v (%s): %s", e["id"], e["key"], strings.Join(d, "; "))
				}
			}
		}
		if diffs > 0 {
			t.Errorf("%d of %d events differ", diffs, len(orig))
		}
	})
}

// rtExportImport exports the store db in format, imports the file into a
// fresh store with the importer of that format, checks that every row was
// read, none rejected, and that each row without a point was warned about
// by file:row: field, and returns the fresh store's events.
func rtExportImport(t *testing.T, dir, db, format, importer string, n, noPoint int) []map[string]any {
	t.Helper()
	out := filepath.Join(dir, format+".csv")
	vigilIn(t, db, "export", format, "--out", out)
	fresh := filepath.Join(dir, format+".db")
	got := vigilIn(t, fresh, "import", importer, out)
	if want := fmt.Sprintf("read %d, new %d, unchanged 0, updated 0, rejected 0", n, n); !strings.Contains(got, want) {
		t.Errorf("import: %s\nwant %q", got, want)
	}
	batches := vigilIn(t, fresh, "imports", "show", "1")
	warned := regexp.MustCompile(`(?m)^warning: `+regexp.QuoteMeta(out)+`:\d+: latitude: latitude and longitude empty: a report with no point$`).FindAllString(batches, -1)
	if len(warned) != noPoint {
		t.Errorf("%d warnings of a row without a point, want %d:\n%s", len(warned), noPoint, batches)
	}
	back := rtEvents(t, fresh)
	if len(back) != n {
		t.Errorf("%d events came back, want %d", len(back), n)
	}
	return back
}

// rtGet returns a value of an event's JSON by a dotted path ("killed.low").
func rtGet(e map[string]any, path string) any {
	var v any = e
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func rtKnown(e map[string]any, path string) bool { return rtGet(e, path) != nil }

func rtNum(e map[string]any, field string) int {
	f, _ := e[field].(float64)
	return int(f)
}

// rtCompare lists the fields whose values differ between want and got.
func rtCompare(want, got map[string]any, fields ...string) []string {
	var d []string
	for _, f := range fields {
		w, g := rtGet(want, f), rtGet(got, f)
		if w == "" {
			w = nil
		}
		if g == "" {
			g = nil
		}
		if !reflect.DeepEqual(w, g) {
			d = append(d, fmt.Sprintf("%s %v, want %v", f, g, w))
		}
	}
	return d
}

// rtActors lists an event's actors as "name: role", sorted; by the name the
// source wrote when nameField is "as_written", else the resolved name.
func rtActors(e map[string]any, nameField string) []string {
	var out []string
	for _, x := range e["actors"].([]any) {
		a := x.(map[string]any)
		name, _ := a[nameField].(string)
		if name == "" {
			name, _ = a["name"].(string)
		}
		out = append(out, fmt.Sprintf("%s: %s", name, a["role"]))
	}
	slices.Sort(out)
	return out
}

// rtWritten lists an event's actors as "name: role", sorted, by the name
// an export writes: as the source wrote it, or the name a dictionary rule
// gave it.
func rtWritten(e map[string]any) []string {
	var out []string
	for _, x := range e["actors"].([]any) {
		a := x.(map[string]any)
		name, _ := a["as_written"].(string)
		if r, _ := a["rule"].(string); name == "" || r != "" {
			name, _ = a["name"].(string)
		}
		out = append(out, fmt.Sprintf("%s: %s", name, a["role"]))
	}
	slices.Sort(out)
	return out
}

// rtIDs lists the actor ids of an event's actors in rtNamesOf(rtWritten)'s
// order ("" for an actor of no id).
func rtIDs(e map[string]any) []string {
	ids := map[string]string{}
	for _, x := range e["actors"].([]any) {
		a := x.(map[string]any)
		name, _ := a["as_written"].(string)
		if r, _ := a["rule"].(string); name == "" || r != "" {
			name, _ = a["name"].(string)
		}
		id, _ := a["actor_id"].(string)
		ids[name] = id
	}
	var out []string
	for _, n := range rtNamesOf(rtWritten(e)) {
		out = append(out, ids[n])
	}
	return out
}

// rtNamesOf drops the roles of rtActors' list.
func rtNamesOf(list []string) []string {
	var out []string
	for _, s := range list {
		out = append(out, s[:strings.LastIndex(s, ": ")])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func rtOnePerRole(e map[string]any) bool {
	seen := map[any]bool{}
	for _, x := range e["actors"].([]any) {
		r := x.(map[string]any)["role"]
		if seen[r] {
			return false
		}
		seen[r] = true
	}
	return true
}

func rtEqualSets(a, b []string) bool {
	return slices.Equal(slices.Compact(slices.Clone(a)), slices.Compact(slices.Clone(b)))
}
