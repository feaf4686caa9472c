package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/vigil-osint/vigil/geo"
)

// ploverRecord is one PLOVER gold-standard record (openeventdata/PLOVER),
// as far as the evaluation reads it.
type ploverRecord struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Event    string `json:"event"`
	Location *struct {
		Name        string `json:"name"`
		CountryCode string `json:"country_code"`
	} `json:"location"`
	Dead     *int   `json:"dead"`
	Injured  *int   `json:"injured"`
	Version  string `json:"plover_version"`
	EventTxt string `json:"event_text"`
}

// isPlover reports whether the first line of a JSON Lines file is a
// PLOVER record: it has an event class and PLOVER's event_text or
// plover_version, and no gold incidents of its own.
func isPlover(first []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(first, &m) != nil {
		return false
	}
	_, ev := m["event"]
	_, et := m["event_text"]
	_, pv := m["plover_version"]
	_, inc := m["incidents"]
	return ev && (et || pv) && !inc
}

// ploverIncident is the detection rule for PLOVER records. vigil reads
// violent incidents with casualties, so a record is a gold incident when
// its event class is ASSAULT or FIGHT and it counts dead or injured (more
// than none); every other class (PROTEST, THREATEN, COERCE, AGREE…) is a
// text that tells of no incident, and any report from it is a false
// alarm. An ASSAULT or FIGHT with no count (an attack, a clash, a torture
// told without casualties) is a violent event vigil may rightly report or
// pass over: it is left out of detection and counted apart
// (Result.Uncounted), with the figure that would follow if it were an
// incident.
func ploverIncident(r ploverRecord) (attack, counted bool) {
	switch strings.ToUpper(r.Event) {
	case "ASSAULT", "FIGHT":
		attack = true
	}
	counted = r.Dead != nil && *r.Dead > 0 || r.Injured != nil && *r.Injured > 0
	return attack, attack && counted
}

// loadPlover reads PLOVER gold records as gold documents. The country is
// the record's country_code, or its location name where that is itself
// a country ("Iraq"); a town is never geocoded into gold. PLOVER's dead
// are everyone the event killed, so they are compared with the killed
// and the attackers killed together (AllDead). The records carry no
// publication date, so dates are not scored.
func loadPlover(r io.Reader, path string, gaz *geo.Gazetteer) ([]GoldDoc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxText+1<<20)
	var out []GoldDoc
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec ploverRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("extract: gold %s: line %d: %w", path, line, err)
		}
		if rec.Text == "" || rec.Event == "" {
			return nil, fmt.Errorf("extract: gold %s: line %d (%s): PLOVER record without text or event", path, line, rec.ID)
		}
		id := rec.ID
		if id == "" {
			id = fmt.Sprint(line)
		}
		g := GoldDoc{ID: filepath.Base(path) + ":" + id, Text: rec.Text, Source: "PLOVER"}
		attack, counted := ploverIncident(rec)
		switch {
		case counted:
			inc := GoldIncident{Killed: rec.Dead, Wounded: rec.Injured, AllDead: true}
			if l := rec.Location; l != nil {
				inc.Location = l.Name
				if c := strings.ToUpper(strings.TrimSpace(l.CountryCode)); len(c) == 2 {
					inc.Country = c
				} else if gaz != nil {
					if c, ok := gaz.CountryCode(l.Name); ok {
						inc.Country = c
					}
				}
			}
			g.Incidents = []GoldIncident{inc}
		case attack:
			g.Uncounted = true
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("extract: gold %s: line %d: %w", path, line+1, err)
	}
	return out, nil
}
