package http

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route of the API (checked by
// TestOpenAPIMatchesRoutes).
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request, _ *principal) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(openAPIDocument)
	return err
}
