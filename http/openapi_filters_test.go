package http

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestOpenAPIEventFilters: every endpoint that takes the event filters
// documents all of them (the export's min_credibility, which the server
// honours, was missing from the document).
func TestOpenAPIEventFilters(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	filters := []string{"actor", "country", "admin1", "from", "to", "type", "min_credibility"}
	for _, path := range []string{"/api/v1/events", "/api/v1/event-summary", "/api/v1/export/{format}", "/api/v1/indicators", "/api/v1/indicators/events"} {
		var names []string
		for _, p := range doc.Paths[path]["get"].Parameters {
			names = append(names, p.Name)
		}
		for _, f := range filters {
			if !slices.Contains(names, f) {
				t.Errorf("GET %s does not document the event filter %s (it documents %v)", path, f, names)
			}
		}
	}
}
