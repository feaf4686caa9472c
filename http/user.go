package http

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vigil-osint/vigil"
)

// Password rules: long enough to resist guessing, short enough to hash.
const (
	MinPassword = 12
	maxPassword = 1024
)

// AddUser creates u with the given password, or a random one when it is
// empty, records the creation in the audit log as actor, and returns the
// password (to show once).
func AddUser(ctx context.Context, us vigil.UserService, as vigil.AuditService, actor string, u *vigil.User, password string) (string, error) {
	if password == "" {
		password = NewPassword()
	}
	if len(password) < MinPassword || len(password) > maxPassword {
		return "", vigil.Errorf(vigil.EINVALID, "password: want %d to %d characters", MinPassword, maxPassword)
	}
	if err := u.Validate(); err != nil {
		return "", err
	}
	h, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	u.PasswordHash = h
	e := &vigil.AuditEntry{Actor: actor, Action: "user.create"}
	err = vigil.Audited(ctx, as, e, func(e *vigil.AuditEntry) { e.Object, e.After = fmt.Sprintf("user/%d", u.ID), vigil.AuditJSON(u) },
		func(ctx context.Context) error { return us.CreateUser(ctx, u) })
	if err != nil {
		return "", err
	}
	return password, nil
}

// SetPassword changes a user's password, ends their sessions, and records
// the change (not the password) in the audit log.
func SetPassword(ctx context.Context, us vigil.UserService, as vigil.AuditService, actor string, u *vigil.User, password string) error {
	if len(password) < MinPassword || len(password) > maxPassword {
		return vigil.Errorf(vigil.EINVALID, "password: want %d to %d characters", MinPassword, maxPassword)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	e := &vigil.AuditEntry{Actor: actor, Action: "user.password", Object: fmt.Sprintf("user/%d", u.ID)}
	if err := vigil.Audited(ctx, as, e, nil, func(ctx context.Context) error { return us.UpdateUser(ctx, u) }); err != nil {
		return err
	}
	return us.DeleteUserSessions(ctx, u.ID)
}

// UpdateUser saves after's role, clearance and disabled flag over before,
// ends the user's sessions when they lose access, and records the change.
func UpdateUser(ctx context.Context, us vigil.UserService, as vigil.AuditService, actor string, before, after *vigil.User) error {
	e := &vigil.AuditEntry{Actor: actor, Action: "user.update", Object: fmt.Sprintf("user/%d", after.ID), Before: vigil.AuditJSON(before)}
	err := vigil.Audited(ctx, as, e, func(e *vigil.AuditEntry) { e.After = vigil.AuditJSON(after) },
		func(ctx context.Context) error { return us.UpdateUser(ctx, after) })
	if err != nil {
		return err
	}
	if after.Disabled || after.Clearance.Rank() < before.Clearance.Rank() || after.Role.Rank() < before.Role.Rank() {
		return us.DeleteUserSessions(ctx, after.ID)
	}
	return nil
}

// IssueToken makes an API token for the user (expiring after ttl, or never
// when ttl is 0), records it in the audit log, and returns it with its
// secret (to show once).
func IssueToken(ctx context.Context, us vigil.UserService, as vigil.AuditService, actor string, userID int64, name string, ttl time.Duration) (*vigil.Token, string, error) {
	if name == "" || len(name) > 100 {
		return nil, "", vigil.Errorf(vigil.EINVALID, "token name: want 1–100 characters")
	}
	if ttl < 0 {
		// A negative lifetime made a token that never expired.
		return nil, "", vigil.Errorf(vigil.EINVALID, "token lifetime %s: want a positive duration such as 720h (or none, never to expire)", ttl)
	}
	secret := NewSecret(TokenPrefix)
	t := &vigil.Token{UserID: userID, Name: name, Hash: HashSecret(secret), CreatedAt: time.Now().UTC()}
	if ttl > 0 {
		t.ExpiresAt = t.CreatedAt.Add(ttl)
	}
	e := &vigil.AuditEntry{Actor: actor, Action: "token.create"}
	err := vigil.Audited(ctx, as, e, func(e *vigil.AuditEntry) { e.Object, e.After = fmt.Sprintf("token/%d", t.ID), vigil.AuditJSON(t) },
		func(ctx context.Context) error { return us.CreateToken(ctx, t) })
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, p *principal) error {
	ts, err := s.Users.FindTokens(r.Context(), p.user.ID)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []*vigil.Token{}
	}
	return writeJSON(w, http.StatusOK, ts)
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	Name      string `json:"name"`
	ExpiresIn string `json:"expires_in,omitempty"` // a Go duration, e.g. "720h"
}

// tokenResponse carries a new token and its secret, shown this once.
type tokenResponse struct {
	Token  *vigil.Token `json:"token"`
	Secret string       `json:"secret"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req tokenRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	var ttl time.Duration
	if req.ExpiresIn != "" {
		var err error
		if ttl, err = time.ParseDuration(req.ExpiresIn); err != nil || ttl <= 0 {
			return errorf(vigil.EINVALID, "expires_in %q: want a positive duration such as 720h", req.ExpiresIn)
		}
	}
	t, secret, err := IssueToken(r.Context(), s.Users, s.Audit, p.actor(), p.user.ID, req.Name, ttl)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, tokenResponse{Token: t, Secret: secret})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e := s.auditEntry(p, "token.delete", "token", id, nil)
	err = vigil.Audited(r.Context(), s.Audit, e, nil, func(ctx context.Context) error { return s.Users.DeleteToken(ctx, p.user.ID, id) })
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, p *principal) error {
	us, err := s.Users.FindUsers(r.Context())
	if err != nil {
		return err
	}
	if us == nil {
		us = []*vigil.User{}
	}
	return writeJSON(w, http.StatusOK, us)
}

// userRequest is the body of POST /api/v1/users.
type userRequest struct {
	Name      string     `json:"name"`
	Role      vigil.Role `json:"role"`
	Clearance vigil.TLP  `json:"clearance"`
}

// userCreated carries a new user and their first password, shown once.
type userCreated struct {
	User     *vigil.User `json:"user"`
	Password string      `json:"password"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req userRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	u := &vigil.User{Name: req.Name, Role: req.Role, Clearance: req.Clearance}
	if c, err := vigil.ParseTLP(string(req.Clearance)); err == nil {
		u.Clearance = c
	}
	pw, err := AddUser(r.Context(), s.Users, s.Audit, p.actor(), u, "")
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%d", u.ID))
	return writeJSON(w, http.StatusCreated, userCreated{User: u, Password: pw})
}

// userPatch is a JSON merge patch of a user.
type userPatch struct {
	Role      *vigil.Role `json:"role"`
	Clearance *vigil.TLP  `json:"clearance"`
	Disabled  *bool       `json:"disabled"`
}

// patchUser changes a user's role, clearance or disabled flag, under
// If-Match like every update. Admins cannot lock themselves out.
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var patch userPatch
	if err := s.decode(w, r, &patch); err != nil {
		return err
	}
	unlock, err := s.lockEdits(r.Context())
	if err != nil {
		return err
	}
	defer unlock()
	before, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, before); err != nil {
		return err
	}
	after := *before
	if patch.Role != nil {
		after.Role = *patch.Role
	}
	if patch.Clearance != nil {
		c, err := vigil.ParseTLP(string(*patch.Clearance))
		if err != nil {
			return err
		}
		after.Clearance = c
	}
	if patch.Disabled != nil {
		after.Disabled = *patch.Disabled
	}
	if id == p.user.ID && (after.Disabled || after.Role != vigil.RoleAdmin) {
		return errorf(vigil.ECONFLICT, "you cannot disable yourself or give up your own admin role")
	}
	if err := UpdateUser(r.Context(), s.Users, s.Audit, p.actor(), before, &after); err != nil {
		return err
	}
	return writeTagged(w, r, &after)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeTagged(w, r, u)
}
