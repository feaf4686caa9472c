package http

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "vigil_session"

// TokenPrefix starts every API token, so that leaked tokens are easy to
// find in logs and code.
const TokenPrefix = "vgl_"

// principal is who makes a request: a user, through a session or a token.
type principal struct {
	user    *vigil.User
	session *vigil.Session
	token   *vigil.Token
}

// actor names the principal in the audit log.
func (p *principal) actor() string {
	if p.token != nil {
		return fmt.Sprintf("user:%s (token %d)", p.user.Name, p.token.ID)
	}
	return "user:" + p.user.Name
}

func (p *principal) limitKey() string {
	if p.token != nil {
		return fmt.Sprintf("token:%d", p.token.ID)
	}
	return fmt.Sprintf("user:%d", p.user.ID)
}

// clearance is what the principal may see.
func (p *principal) clearance() vigil.TLP { return p.user.Clearance }

// allows reports whether the principal may see material marked m.
func (p *principal) allows(m vigil.TLP) bool {
	if m == "" {
		m = vigil.TLPClear
	}
	return p.user.Clearance.Allows(m)
}

func (p *principal) csrfOK(r *http.Request) bool {
	got := r.Header.Get("X-CSRF-Token")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.session.CSRFToken)) == 1
}

// authenticate finds the principal of a request from its bearer token or
// session cookie. No credentials give nil; bad ones give eUnauthorized.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !strings.HasPrefix(secret, TokenPrefix) {
			return nil, errorf(eUnauthorized, "the Authorization header must be Bearer %s…", TokenPrefix)
		}
		t, err := s.Users.FindTokenByHash(ctx, HashSecret(secret))
		if vigil.ErrorCode(err) == vigil.ENOTFOUND || (err == nil && !t.ExpiresAt.IsZero() && s.Now().After(t.ExpiresAt)) {
			return nil, errorf(eUnauthorized, "unknown or expired token")
		} else if err != nil {
			return nil, err
		}
		u, err := s.activeUser(r, t.UserID)
		if err != nil {
			return nil, err
		}
		return &principal{user: u, token: t}, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ss, err := s.Users.FindSessionByHash(ctx, HashSecret(c.Value), s.Now())
	if vigil.ErrorCode(err) == vigil.ENOTFOUND {
		return nil, errorf(eUnauthorized, "the session has ended; sign in again")
	} else if err != nil {
		return nil, err
	}
	u, err := s.activeUser(r, ss.UserID)
	if err != nil {
		return nil, err
	}
	return &principal{user: u, session: ss}, nil
}

func (s *Server) activeUser(r *http.Request, id int64) (*vigil.User, error) {
	u, err := s.Users.FindUserByID(r.Context(), id)
	if vigil.ErrorCode(err) == vigil.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, errorf(eUnauthorized, "the account is disabled or gone")
	}
	return u, err
}

// loginRequest is the body of POST /api/v1/session.
type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// sessionResponse describes the signed-in user and the token to send in
// X-CSRF-Token on writes.
type sessionResponse struct {
	User      *vigil.User `json:"user"`
	CSRFToken string      `json:"csrf_token,omitempty"`
	ExpiresAt time.Time   `json:"expires_at,omitzero"`
}

// dummyHash is checked against when the user is unknown, so that the
// answer takes as long as for a wrong password.
var dummyHash = sync.OnceValue(func() string { h, _ := HashPassword("not a real password"); return h })

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if !s.logins.allow("login:" + clientIP(r)) {
		w.Header().Set("Retry-After", "2")
		return errorf(eRateLimited, "too many sign-in attempts; wait a little")
	}
	var req loginRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	u, err := s.Users.FindUserByName(ctx, req.Name)
	if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
		return err
	}
	if u == nil || u.Disabled || u.PasswordHash == "" {
		CheckPassword(dummyHash(), req.Password)
		return errorf(eUnauthorized, "wrong name or password")
	}
	if !CheckPassword(u.PasswordHash, req.Password) {
		return errorf(eUnauthorized, "wrong name or password")
	}
	return s.startSession(w, r, u)
}

// startSession signs u in: a new session, its cookie, and the session's
// description with its CSRF token.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *vigil.User) error {
	secret := NewSecret("")
	now := s.Now().UTC()
	ss := &vigil.Session{Hash: HashSecret(secret), UserID: u.ID, CSRFToken: NewSecret(""), CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL)}
	if err := s.Users.CreateSession(r.Context(), ss); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", Expires: ss.ExpiresAt,
		HttpOnly: true, Secure: !s.InsecureCookies, SameSite: http.SameSiteStrictMode})
	return writeJSON(w, http.StatusOK, sessionResponse{User: u, CSRFToken: ss.CSRFToken, ExpiresAt: ss.ExpiresAt})
}

// passwordChange is the body of PUT /api/v1/session/password.
type passwordChange struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

// changePassword lets the signed-in user replace their own password
// (which whoever made the account was shown) after giving the current
// one: every session of theirs ends, and a browser that asked gets a new
// one. Attempts count against the sign-in rate limit, so that the current
// password cannot be guessed through here faster than by signing in.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p *principal) error {
	if !s.logins.allow("login:" + clientIP(r)) {
		w.Header().Set("Retry-After", "2")
		return errorf(eRateLimited, "too many password attempts; wait a little")
	}
	var req passwordChange
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	u := p.user
	if u.PasswordHash == "" || !CheckPassword(u.PasswordHash, req.Current) {
		return errorf(vigil.EFORBIDDEN, "the current password is wrong")
	}
	if req.Password == req.Current {
		return errorf(vigil.EINVALID, "password: the new password is the current one")
	}
	if err := SetPassword(r.Context(), s.Users, s.Audit, p.actor(), u, req.Password); err != nil {
		return err
	}
	if p.session == nil {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return s.startSession(w, r, u)
}

func (s *Server) session(w http.ResponseWriter, r *http.Request, p *principal) error {
	resp := sessionResponse{User: p.user}
	if p.session != nil {
		resp.CSRFToken, resp.ExpiresAt = p.session.CSRFToken, p.session.ExpiresAt
	}
	return writeJSON(w, http.StatusOK, resp)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.session != nil {
		if err := s.Users.DeleteSession(r.Context(), p.session.Hash); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: !s.InsecureCookies, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// argon2id parameters: OWASP's minimum (19 MiB, two passes, one lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of a password in the PHC string
// format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("http: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches an encoded hash, in time
// that does not depend on where they differ.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewSecret returns prefix followed by 32 random bytes in URL-safe base64.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// NewPassword returns a random password of 24 characters.
func NewPassword() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a token or cookie secret: they are
// random and long, so a fast hash is enough to keep them out of the store.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// limiter is a token bucket per key.
type limiter struct {
	mu    sync.Mutex
	r     rate.Limit
	b     int
	m     map[string]*bucket
	sweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(r rate.Limit, b int) *limiter {
	return &limiter{r: r, b: b, m: map[string]*bucket{}}
}

// allow takes a token from key's bucket, and forgets buckets unused for ten
// minutes now and then.
func (l *limiter) allow(key string) bool {
	if l.r == rate.Inf {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.m {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.m, k)
			}
		}
		l.sweep = now
	}
	b := l.m[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.r, l.b)}
		l.m[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
