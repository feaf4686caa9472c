package http

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
)

// queryParams returns, for each route pattern ("GET /api/v1/events"), the
// query parameters its operation in the OpenAPI document takes. The
// document is the one list of what each endpoint takes: endpoint refuses
// any other parameter, so that a misspelt filter (actors=ISKP,
// countries=AF) is a 400 rather than dropped, with every event the reader
// may see returned as if it had matched.
func queryParams(doc []byte) (map[string][]string, error) {
	type param struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	}
	var d struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]param `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("http: openapi.json: %w", err)
	}
	out := map[string][]string{}
	for path, ops := range d.Paths {
		for method, raw := range ops {
			var op struct {
				Parameters []param `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("http: openapi.json: %s %s: %w", method, path, err)
			}
			names := []string{}
			for _, p := range op.Parameters {
				if p.Ref != "" {
					name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
					if !ok {
						return nil, fmt.Errorf("http: openapi.json: %s %s: parameter %s", method, path, p.Ref)
					}
					p = d.Components.Parameters[name]
				}
				if p.In == "query" {
					names = append(names, p.Name)
				}
			}
			slices.Sort(names)
			out[strings.ToUpper(method)+" "+path] = names
		}
	}
	return out, nil
}

// checkParams refuses a query parameter that is not one of params.
func checkParams(query map[string][]string, params []string) error {
	for k := range query {
		if slices.Contains(params, k) {
			continue
		}
		if len(params) == 0 {
			return errorf(vigil.EINVALID, "unknown parameter %q: this endpoint takes none", k)
		}
		return errorf(vigil.EINVALID, "unknown parameter %q: want one of %s", k, strings.Join(params, ", "))
	}
	return nil
}
