package sqlstore

import (
	"context"
	"time"

	"github.com/vigil-osint/vigil"
)

// Users is vigil.UserService on a DB.
type Users struct{ DB *DB }

var _ vigil.UserService = Users{}

const userColumns = `id, name, role, clearance, disabled, password_hash, created_at, updated_at`

func scanUser(row Row) (*vigil.User, error) {
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

// CreateUser records a new user.
func (s Users) CreateUser(ctx context.Context, u *vigil.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.DB.Now()
	// In a transaction, so that the change's audit entry goes with it
	// (vigil.WithAudit); so for the other writes here.
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := tx.Insert(ctx, `INSERT INTO users (name, role, clearance, disabled, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Name, string(u.Role), string(u.Clearance), u.Disabled, u.PasswordHash, timeText(now), timeText(now))
		if s.DB.IsUnique(err) {
			return vigil.Errorf(vigil.ECONFLICT, "user %q already exists", u.Name)
		} else if err != nil {
			return s.DB.errorf(err, "create user %q", u.Name)
		}
		u.ID, u.CreatedAt, u.UpdatedAt = id, now, now
		return nil
	})
}

// UpdateUser saves the user's role, clearance, disabled flag and password
// hash.
func (s Users) UpdateUser(ctx context.Context, u *vigil.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.DB.Now()
	return s.DB.InTx(ctx, func(tx Conn) error {
		n, err := tx.Exec(ctx, `UPDATE users SET role = ?, clearance = ?, disabled = ?, password_hash = ?, updated_at = ? WHERE id = ?`,
			string(u.Role), string(u.Clearance), u.Disabled, u.PasswordHash, timeText(now), u.ID)
		if err != nil {
			return s.DB.errorf(err, "update user %d", u.ID)
		}
		if n == 0 {
			return vigil.Errorf(vigil.ENOTFOUND, "user %d", u.ID)
		}
		u.UpdatedAt = now
		return nil
	})
}

// FindUserByID returns the user, or ENOTFOUND.
func (s Users) FindUserByID(ctx context.Context, id int64) (*vigil.User, error) {
	u, err := scanUser(s.DB.Read.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return nil, s.DB.notFound(err, "user %d", id)
	}
	return u, nil
}

// FindUserByName returns the user, or ENOTFOUND.
func (s Users) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	u, err := scanUser(s.DB.Read.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if err != nil {
		return nil, s.DB.notFound(err, "user %q", name)
	}
	return u, nil
}

// FindUsers returns every user, by name.
func (s Users) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	return all(ctx, s.DB, "users", scanUser, `SELECT `+userColumns+` FROM users ORDER BY name`)
}

// CreateToken records a token.
func (s Users) CreateToken(ctx context.Context, t *vigil.Token) error {
	if t.Hash == "" || t.Name == "" {
		return vigil.Errorf(vigil.EINVALID, "token: name and hash required")
	}
	if _, err := s.FindUserByID(ctx, t.UserID); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.DB.Now()
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		id, err := tx.Insert(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			t.UserID, t.Name, t.Hash, timeText(t.CreatedAt), optTime(t.ExpiresAt))
		if s.DB.IsUnique(err) {
			return vigil.Errorf(vigil.ECONFLICT, "token already recorded")
		} else if err != nil {
			return s.DB.errorf(err, "create token")
		}
		t.ID = id
		return nil
	})
}

func scanToken(row Row) (*vigil.Token, error) {
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
func (s Users) FindTokenByHash(ctx context.Context, hash string) (*vigil.Token, error) {
	t, err := scanToken(s.DB.Read.QueryRow(ctx, `SELECT id, user_id, name, hash, created_at, expires_at FROM api_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, s.DB.notFound(err, "token")
	}
	return t, nil
}

// FindTokens returns a user's tokens, oldest first.
func (s Users) FindTokens(ctx context.Context, userID int64) ([]*vigil.Token, error) {
	return all(ctx, s.DB, "tokens", scanToken, `SELECT id, user_id, name, hash, created_at, expires_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
}

// DeleteToken removes a user's token.
func (s Users) DeleteToken(ctx context.Context, userID, id int64) error {
	return s.DB.InTx(ctx, func(tx Conn) error {
		n, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return s.DB.errorf(err, "delete token %d", id)
		}
		if n == 0 {
			return vigil.Errorf(vigil.ENOTFOUND, "token %d", id)
		}
		return nil
	})
}

// CreateSession records a session.
func (s Users) CreateSession(ctx context.Context, ss *vigil.Session) error {
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = s.DB.Now()
	}
	_, err := s.DB.Write.Exec(ctx, `INSERT INTO sessions (hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		ss.Hash, ss.UserID, ss.CSRFToken, timeText(ss.CreatedAt), fixedTime(ss.ExpiresAt))
	if err != nil {
		return s.DB.errorf(err, "create session")
	}
	return nil
}

// FindSessionByHash returns the unexpired session with that hash.
func (s Users) FindSessionByHash(ctx context.Context, hash string, now time.Time) (*vigil.Session, error) {
	var (
		ss     vigil.Session
		ca, ea string
	)
	err := s.DB.Read.QueryRow(ctx, `SELECT hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE hash = ? AND expires_at > ?`,
		hash, fixedTime(now)).Scan(&ss.Hash, &ss.UserID, &ss.CSRFToken, &ca, &ea)
	if err != nil {
		return nil, s.DB.notFound(err, "session")
	}
	ss.CreatedAt, ss.ExpiresAt = parseTime(ca), parseTime(ea)
	return &ss, nil
}

// DeleteSession removes the session, if there is one.
func (s Users) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.DB.Write.Exec(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
		return s.DB.errorf(err, "delete session")
	}
	return nil
}

// DeleteUserSessions removes every session of the user, and any expired
// session of anyone.
func (s Users) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.DB.Write.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? OR expires_at <= ?`, userID, fixedTime(s.DB.Now())); err != nil {
		return s.DB.errorf(err, "delete sessions of user %d", userID)
	}
	return nil
}
