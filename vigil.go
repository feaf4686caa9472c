// Package vigil holds the domain model of vigil, an evidence-graded monitor
// of violent non-state armed groups: sources and the documents they publish,
// the reports those documents make of incidents, the events that reports are
// linked into, the actors involved and the relationships between them, and
// the service interfaces that stores implement.
//
// The package imports only the standard library. Each dependency (SQLite,
// PostgreSQL, HTTP, file formats) lives in a subpackage that implements or
// uses these types.
package vigil

import (
	"errors"
	"fmt"
)

// Error codes that callers branch on. Stores, importers and the API return
// errors that carry one of these codes; everything else is internal.
const (
	ECONFLICT  = "conflict" // the write conflicts with the stored state
	EINTERNAL  = "internal" // an unexpected failure
	EINVALID   = "invalid"  // the input breaks a rule of the model
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
)

// Error is a domain error with a code and a message meant for users.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("vigil: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or a generic message for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
