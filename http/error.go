package http

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vigil-osint/vigil"
)

// Error codes of the HTTP layer, beside the domain's (vigil.ENOTFOUND …).
const (
	eUnauthorized         = "unauthorized"          // no valid credentials
	ePreconditionFailed   = "precondition_failed"   // If-Match names an old version
	ePreconditionRequired = "precondition_required" // an update without If-Match
	eTooLarge             = "too_large"             // the body is over the limit
	eRateLimited          = "rate_limited"          // too many requests
	eUnsupportedMedia     = "unsupported_media_type"
	eNotImplemented       = "not_implemented"
	eMethodNotAllowed     = "method_not_allowed"
)

// statuses is the one table from error code to HTTP status.
var statuses = map[string]int{
	vigil.EINVALID:        http.StatusBadRequest,
	vigil.ENOTFOUND:       http.StatusNotFound,
	vigil.ECONFLICT:       http.StatusConflict,
	vigil.EFORBIDDEN:      http.StatusForbidden,
	vigil.EINTERNAL:       http.StatusInternalServerError,
	eUnauthorized:         http.StatusUnauthorized,
	ePreconditionFailed:   http.StatusPreconditionFailed,
	ePreconditionRequired: http.StatusPreconditionRequired,
	eTooLarge:             http.StatusRequestEntityTooLarge,
	eRateLimited:          http.StatusTooManyRequests,
	eUnsupportedMedia:     http.StatusUnsupportedMediaType,
	eNotImplemented:       http.StatusNotImplemented,
	eMethodNotAllowed:     http.StatusMethodNotAllowed,
}

// Problem is an RFC 9457 problem details object, with the error's code.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
}

// problemType is the URI that names a kind of problem.
func problemType(code string) string { return "urn:vigil:problem:" + code }

// Error writes err as problem+json with the status its code maps to.
// Internal errors are logged and shown only as "internal error".
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := vigil.ErrorCode(err), vigil.ErrorMessage(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, msg = eTooLarge, "the request body is larger than the limit"
	}
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		s.Logger.Error("http: internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		code, msg = vigil.EINTERNAL, "internal error"
	}
	writeProblem(w, r, status, code, msg)
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("ETag")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Problem{Type: problemType(code), Title: http.StatusText(status), Status: status,
		Detail: detail, Instance: r.URL.Path, Code: code})
}

// errorf returns a *vigil.Error with an HTTP-layer or domain code.
func errorf(code, format string, args ...any) error { return vigil.Errorf(code, format, args...) }
