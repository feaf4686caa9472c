package vigil

import (
	"context"
	"strings"
	"time"
)

// Role says what a user may do. Roles are ordered: each may do what the
// roles below it may.
type Role string

// The roles, from least to most powerful.
const (
	RoleViewer  Role = "viewer"  // reads what their clearance allows
	RoleAnalyst Role = "analyst" // also edits grades and imports files
	RoleAdmin   Role = "admin"   // also manages users and reads the audit log
)

// Roles lists the roles from least to most powerful.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleAdmin}

// Rank returns the role's order (viewer 0 … admin 2), or -1 when invalid.
func (r Role) Rank() int {
	for i, x := range Roles {
		if x == r {
			return i
		}
	}
	return -1
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Rank() >= 0 }

// Allows reports whether a user with role r may do what role need may.
func (r Role) Allows(need Role) bool { return r.Valid() && need.Valid() && r.Rank() >= need.Rank() }

// ParseRole parses a role such as "Analyst".
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", Errorf(EINVALID, "role %q: want one of viewer, analyst, admin", s)
	}
	return r, nil
}

// User is a person who signs in to the server. What they may see is
// bounded by Clearance on the TLP 2.0 scale; what they may do, by Role.
type User struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Role      Role   `json:"role"`
	Clearance TLP    `json:"clearance"`
	Disabled  bool   `json:"disabled"`
	// PasswordHash is an encoded password hash (argon2id), never shown.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the user's fields. Names are 1–64 characters of letters,
// digits, '.', '_', '-' and '@'.
func (u *User) Validate() error {
	switch {
	case u.Name == "" || len(u.Name) > 64 || strings.IndexFunc(u.Name, badNameRune) >= 0:
		return Errorf(EINVALID, "user name %q: want 1–64 letters, digits, '.', '_', '-' or '@'", u.Name)
	case !u.Role.Valid():
		return Errorf(EINVALID, "user %q: role %q: want one of viewer, analyst, admin", u.Name, u.Role)
	case !u.Clearance.Valid():
		return Errorf(EINVALID, "user %q: clearance %q: want a TLP 2.0 level", u.Name, u.Clearance)
	}
	return nil
}

func badNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	case r == '.' || r == '_' || r == '-' || r == '@':
		return false
	}
	return true
}

// Token is an API token for scripts. Only its hash is kept: the secret is
// shown once, when it is made. A token acts as its user, with the user's
// role and clearance as they stand at each request.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Hash      string    `json:"-"` // hex SHA-256 of the secret
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never
}

// Session is a signed-in browser. Only the hash of its cookie is kept.
type Session struct {
	Hash      string    `json:"-"` // hex SHA-256 of the cookie value
	UserID    int64     `json:"user_id"`
	CSRFToken string    `json:"-"` // sent back in X-CSRF-Token on writes
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserService keeps users, their API tokens and their sessions.
type UserService interface {
	// CreateUser records a new user and sets u.ID and its times. EINVALID
	// when it does not validate, ECONFLICT when the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser saves u's role, clearance, disabled flag and password
	// hash. ENOTFOUND when there is no such user, EINVALID as CreateUser.
	UpdateUser(ctx context.Context, u *User) error
	// FindUserByID returns the user, or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUserByName returns the user, or ENOTFOUND.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers returns every user, by name.
	FindUsers(ctx context.Context) ([]*User, error)

	// CreateToken records a token and sets t.ID. ENOTFOUND when the user
	// is unknown, ECONFLICT when the hash is already recorded.
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns the token with that hash, or ENOTFOUND.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// FindTokens returns a user's tokens, oldest first.
	FindTokens(ctx context.Context, userID int64) ([]*Token, error)
	// DeleteToken removes a user's token, or returns ENOTFOUND.
	DeleteToken(ctx context.Context, userID, id int64) error

	// CreateSession records a session.
	CreateSession(ctx context.Context, s *Session) error
	// FindSessionByHash returns the session with that hash, or ENOTFOUND;
	// expired sessions are not found.
	FindSessionByHash(ctx context.Context, hash string, now time.Time) (*Session, error)
	// DeleteSession removes the session, if there is one.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions removes every session of the user (on disabling
	// them or changing their password).
	DeleteUserSessions(ctx context.Context, userID int64) error
}
