package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
)

var _ vigil.UserService = (*Store)(nil)

const userColumns = `id, name, role, clearance, disabled, password_hash, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (*vigil.User, error) {
	var (
		u                 vigil.User
		role, clr, ca, ua string
	)
	if err := row.Scan(&u.ID, &u.Name, &role, &clr, &u.Disabled, &u.PasswordHash, &ca, &ua); err != nil {
		return nil, err
	}
	u.Role, u.Clearance = vigil.Role(role), vigil.TLP(clr)
	u.CreatedAt, u.UpdatedAt = parseTime(ca), parseTime(ua)
	return &u, nil
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// CreateUser records a new user.
func (s *Store) CreateUser(ctx context.Context, u *vigil.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.Now()
	res, err := s.w.ExecContext(ctx, `INSERT INTO users (name, role, clearance, disabled, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Name, string(u.Role), string(u.Clearance), u.Disabled, u.PasswordHash, timeText(now), timeText(now))
	if isUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "user %q already exists", u.Name)
	} else if err != nil {
		return fmt.Errorf("sqlite: create user %q: %w", u.Name, err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: create user %q: %w", u.Name, err)
	}
	u.CreatedAt, u.UpdatedAt = now, now
	return nil
}

// UpdateUser saves the user's role, clearance, disabled flag and password
// hash.
func (s *Store) UpdateUser(ctx context.Context, u *vigil.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.Now()
	res, err := s.w.ExecContext(ctx, `UPDATE users SET role = ?, clearance = ?, disabled = ?, password_hash = ?, updated_at = ? WHERE id = ?`,
		string(u.Role), string(u.Clearance), u.Disabled, u.PasswordHash, timeText(now), u.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update user %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "user %d", u.ID)
	}
	u.UpdatedAt = now
	return nil
}

// FindUserByID returns the user, or ENOTFOUND.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*vigil.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "user %d", id)
	}
	return u, nil
}

// FindUserByName returns the user, or ENOTFOUND.
func (s *Store) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if err != nil {
		return nil, notFound(err, "user %q", name)
	}
	return u, nil
}

// FindUsers returns every user, by name.
func (s *Store) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	defer rows.Close()
	var out []*vigil.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// fixedTime formats t with a fixed width, so that times compare as text.
func fixedTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timeText(t)
}

// CreateToken records a token.
func (s *Store) CreateToken(ctx context.Context, t *vigil.Token) error {
	if t.Hash == "" || t.Name == "" {
		return vigil.Errorf(vigil.EINVALID, "token: name and hash required")
	}
	if _, err := s.FindUserByID(ctx, t.UserID); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.Now()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.UserID, t.Name, t.Hash, timeText(t.CreatedAt), optTime(t.ExpiresAt))
	if isUnique(err) {
		return vigil.Errorf(vigil.ECONFLICT, "token already recorded")
	} else if err != nil {
		return fmt.Errorf("sqlite: create token: %w", err)
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: create token: %w", err)
	}
	return nil
}

func scanToken(row interface{ Scan(...any) error }) (*vigil.Token, error) {
	var (
		t      vigil.Token
		ca, ea string
	)
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &ca, &ea); err != nil {
		return nil, err
	}
	t.CreatedAt = parseTime(ca)
	if ea != "" {
		t.ExpiresAt = parseTime(ea)
	}
	return &t, nil
}

// FindTokenByHash returns the token with that hash, or ENOTFOUND.
func (s *Store) FindTokenByHash(ctx context.Context, hash string) (*vigil.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT id, user_id, name, hash, created_at, expires_at FROM api_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, notFound(err, "token")
	}
	return t, nil
}

// FindTokens returns a user's tokens, oldest first.
func (s *Store) FindTokens(ctx context.Context, userID int64) ([]*vigil.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, hash, created_at, expires_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tokens: %w", err)
	}
	defer rows.Close()
	var out []*vigil.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken removes a user's token.
func (s *Store) DeleteToken(ctx context.Context, userID, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("sqlite: delete token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "token %d", id)
	}
	return nil
}

// CreateSession records a session.
func (s *Store) CreateSession(ctx context.Context, ss *vigil.Session) error {
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = s.Now()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		ss.Hash, ss.UserID, ss.CSRFToken, timeText(ss.CreatedAt), fixedTime(ss.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	return nil
}

// FindSessionByHash returns the unexpired session with that hash.
func (s *Store) FindSessionByHash(ctx context.Context, hash string, now time.Time) (*vigil.Session, error) {
	var (
		ss     vigil.Session
		ca, ea string
	)
	err := s.db.QueryRowContext(ctx, `SELECT hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE hash = ? AND expires_at > ?`,
		hash, fixedTime(now)).Scan(&ss.Hash, &ss.UserID, &ss.CSRFToken, &ca, &ea)
	if err != nil {
		return nil, notFound(err, "session")
	}
	ss.CreatedAt, ss.ExpiresAt = parseTime(ca), parseTime(ea)
	return &ss, nil
}

// DeleteSession removes the session, if there is one.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of the user, and any expired
// session of anyone.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? OR expires_at <= ?`, userID, fixedTime(s.Now())); err != nil {
		return fmt.Errorf("sqlite: delete sessions of user %d: %w", userID, err)
	}
	return nil
}
