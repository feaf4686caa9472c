package vigil

import (
	"context"
	"time"
)

// AnalysisService reads what the analyses need of many events, fast: lean
// facts instead of whole events, so that indicators over a million events
// need not decode a million event documents.
type AnalysisService interface {
	// FindEventFacts returns the facts of the events that match the
	// filter, by id; Limit and Offset are ignored. With
	// AsOf set, it returns the events as they were known at that instant:
	// only events recorded by then, each with the values fused from the
	// reports and documents as they stood then (the history tables keep
	// the superseded versions). The filter's actor applies to the events'
	// current attribution.
	FindEventFacts(ctx context.Context, f FactFilter) ([]EventFact, error)
}

// FactFilter selects event facts: an event filter, and optionally the
// instant whose knowledge to reconstruct.
type FactFilter struct {
	EventFilter
	// AsOf, when not zero, limits the facts to what had been recorded by
	// then.
	AsOf time.Time
}

// EventFact is the part of an event that indicators use.
type EventFact struct {
	ID        int64         `json:"id"`
	DateStart Date          `json:"date_start"`
	DateEnd   Date          `json:"date_end"`
	Precision DatePrecision `json:"date_precision"`
	Country   string        `json:"country"`
	// Admin1 is the ISO 3166-2 code where known, else the name, as the
	// event holds it (not folded).
	Admin1     string `json:"admin1"`
	Admin1Name string `json:"admin1_name,omitempty"`
	// Located says whether Latitude and Longitude are known.
	Located     bool         `json:"located"`
	Latitude    float64      `json:"latitude"`
	Longitude   float64      `json:"longitude"`
	EventType   EventType    `json:"event_type"`
	TargetTypes []TargetType `json:"target_types,omitempty"`
	Killed      Range        `json:"killed"`
	Wounded     Range        `json:"wounded"`
	// Credibility is the event's fused grade (0: ungraded).
	Credibility Credibility `json:"credibility,omitempty"`
	// Sources names the event's sources.
	Sources    []string  `json:"sources,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// FactOf returns the facts of an event.
func FactOf(e *Event) EventFact {
	f := EventFact{
		ID: e.ID, DateStart: e.DateStart, DateEnd: e.DateEnd, Precision: e.DatePrecision,
		Country: e.Country, Admin1: e.Admin1, Admin1Name: e.Admin1Name,
		EventType: e.EventType, TargetTypes: e.TargetTypes, Killed: e.Killed, Wounded: e.Wounded,
		Credibility: e.Credibility, RecordedAt: e.RecordedAt,
	}
	if p, ok := e.Point(); ok {
		f.Located, f.Latitude, f.Longitude = true, p.Lat, p.Lon
	}
	for _, s := range e.Sources {
		f.Sources = append(f.Sources, s.Name)
	}
	return f
}
