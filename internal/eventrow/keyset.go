package eventrow

import (
	"time"

	"github.com/vigil-osint/vigil"
)

// keysets maps each event order to the condition that starts a page after
// a cursor, matching the ORDER BY both stores give the order, and the
// cursor's values it takes: d date, c country, i id, t updated, k killed
// (its best, -1 when unknown), u whether killed is unknown.
var keysets = map[vigil.EventOrder]struct{ cond, keys string }{
	"":                      {`(e.date_start, e.id) > (?, ?)`, "di"},
	vigil.OrderDate:         {`(e.date_start, e.id) > (?, ?)`, "di"},
	vigil.OrderDateDesc:     {`(e.date_start, e.id) < (?, ?)`, "di"},
	vigil.OrderCountry:      {`(e.country, e.date_start, e.id) > (?, ?, ?)`, "cdi"},
	vigil.OrderCountryDesc:  {`(e.country, e.date_start, e.id) < (?, ?, ?)`, "cdi"},
	vigil.OrderIDAscending:  {`e.id > ?`, "i"},
	vigil.OrderIDDescending: {`e.id < ?`, "i"},
	vigil.OrderUpdated:      {`(e.updated_at, e.id) > (?, ?)`, "ti"},
	vigil.OrderUpdatedDesc:  {`(e.updated_at, e.id) < (?, ?)`, "ti"},
	// Unknown tolls come last either way: ORDER BY e.killed_best < 0,
	// then the toll and the id, ascending or descending.
	vigil.OrderKilled:     {`(e.killed_best < 0, e.killed_best, e.id) > (?, ?, ?)`, "uki"},
	vigil.OrderKilledDesc: {`((e.killed_best < 0) > ? OR ((e.killed_best < 0) = ? AND (e.killed_best, e.id) < (?, ?)))`, "uuki"},
}

// Keyset returns the condition (on the events table as e) that starts a
// page in order after the cursor c, and its arguments; false for an
// unknown order.
func Keyset(order vigil.EventOrder, c *vigil.EventCursor) (string, []any, bool) {
	k, ok := keysets[order]
	if !ok {
		return "", nil, false
	}
	var args []any
	for _, key := range k.keys {
		switch key {
		case 'd':
			args = append(args, c.DateStart.String())
		case 'c':
			args = append(args, c.Country)
		case 'i':
			args = append(args, c.ID)
		case 't':
			args = append(args, c.UpdatedAt.UTC().Format(time.RFC3339Nano))
		case 'k':
			args = append(args, int64(NumCol(c.Killed)))
		case 'u':
			args = append(args, NumCol(c.Killed) < 0)
		}
	}
	return k.cond, args, true
}
