// Package http serves vigil's REST API under /api/v1 and its web UI (the
// embedded build of web/, web.go): authentication by session cookie or
// API token, clearance filtering on every read, conditional updates, an
// audit entry for every change, and problem+json errors.
package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
)

// Server is vigil's HTTP server. Set its fields after NewServer and before
// Open; they must not change after.
type Server struct {
	Store  vigil.Store
	Users  vigil.UserService
	Audit  vigil.AuditService
	Browse vigil.BrowseService
	// Importer takes in uploaded files; nil disables uploads.
	Importer Importer
	// Analysis computes indicators, ACH keeps case files, Link the review
	// queue and its decisions, Watch the alerts; a nil one makes its
	// endpoints answer 501.
	Analysis vigil.AnalysisService
	ACH      vigil.ACHService
	Link     vigil.LinkService
	Watch    vigil.WatchService
	// Units gives admin-1 units one identity in indicators; nil counts
	// them as written.
	Units UnitResolver

	Logger *slog.Logger
	// MaxBody bounds JSON request bodies, MaxUpload uploaded files.
	MaxBody, MaxUpload int64
	// Rate and Burst bound each user's, token's or (signed out) address's
	// requests; LoginRate and LoginBurst bound sign-in attempts per
	// address.
	Rate       rate.Limit
	Burst      int
	LoginRate  rate.Limit
	LoginBurst int
	// CacheTTL is how long event counts and source statistics are kept;
	// zero keeps none.
	CacheTTL time.Duration
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration
	// InsecureCookies leaves the Secure flag off the session cookie, for
	// plain-HTTP development behind nothing; never set it in production.
	InsecureCookies bool
	Now             func() time.Time

	ln      net.Listener
	srv     *http.Server
	handler http.Handler
	limits  *limiter
	logins  *limiter
	jobs    *jobs
	counts  *ttlCache[int]
	stats   *ttlCache[[]vigil.SourceStats]
	// summaries holds event summaries by filter and grouping.
	summaries *ttlCache[[]vigil.EventBucket]
	// indicators holds a few computed indicator requests (large: every
	// figure's event ids).
	indicators *ttlCache[*indicatorResult]
	// editMu makes each read-check-write of a conditional update atomic
	// within this process, for stores without an edit lock of their own
	// (see lockEdits).
	editMu sync.Mutex
}

// lockEdits takes the lock of a conditional update's read-check-write:
// the store's edit lock where it has one (vigil.EditLocker), which holds
// across every process that uses the store, else this server's own.
func (s *Server) lockEdits(ctx context.Context) (func(), error) {
	if l, ok := s.Store.(vigil.EditLocker); ok {
		return l.LockEdits(ctx)
	}
	s.editMu.Lock()
	return s.editMu.Unlock, nil
}

// NewServer returns a server with the default limits.
func NewServer() *Server {
	return &Server{
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxBody:    1 << 20,
		MaxUpload:  256 << 20,
		Rate:       50,
		Burst:      100,
		LoginRate:  rate.Every(2 * time.Second),
		LoginBurst: 10,
		SessionTTL: 12 * time.Hour,
		CacheTTL:   10 * time.Second,
		Now:        time.Now,
	}
}

// Open listens on addr ("127.0.0.1:0" picks a port) and serves in the
// background.
func (s *Server) Open(addr string) error {
	if s.Store == nil || s.Users == nil || s.Audit == nil || s.Browse == nil {
		return errors.New("http: server needs a store, users, audit and browse services")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http: listen: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go s.srv.Serve(ln)
	return nil
}

// URL returns the server's base URL, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops accepting requests, lets those in flight finish (up to the
// context's deadline), and cancels running imports.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if s.jobs != nil {
		s.jobs.stop()
	}
	return err
}

// route is one endpoint: its ServeMux pattern, the least role that may
// call it ("" for anyone), and its handler.
type route struct {
	pattern string // "GET /api/v1/events/{id}"
	role    vigil.Role
	handle  func(w http.ResponseWriter, r *http.Request, p *principal) error
}

// routes lists every endpoint. The OpenAPI document must describe exactly
// these (see TestOpenAPIMatchesRoutes).
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/health", "", s.health},
		{"GET /api/v1/openapi.json", "", s.openAPI},
		{"POST /api/v1/session", "", s.login},
		{"GET /api/v1/session", vigil.RoleViewer, s.session},
		{"DELETE /api/v1/session", vigil.RoleViewer, s.logout},
		{"PUT /api/v1/session/password", vigil.RoleViewer, s.changePassword},

		{"GET /api/v1/events", vigil.RoleViewer, s.listEvents},
		{"GET /api/v1/events/{id}", vigil.RoleViewer, s.getEvent},
		{"GET /api/v1/event-summary", vigil.RoleViewer, s.summarizeEvents},
		{"GET /api/v1/documents", vigil.RoleViewer, s.listDocuments},
		{"GET /api/v1/documents/{id}", vigil.RoleViewer, s.getDocument},
		{"GET /api/v1/sources", vigil.RoleViewer, s.listSources},
		{"GET /api/v1/sources/{id}", vigil.RoleViewer, s.getSource},
		{"PATCH /api/v1/sources/{id}", vigil.RoleAnalyst, s.patchSource},
		{"GET /api/v1/actors", vigil.RoleViewer, s.listActors},
		{"GET /api/v1/actors/{id}", vigil.RoleViewer, s.getActor},
		{"GET /api/v1/actors/graph", vigil.RoleViewer, s.getActorGraph},
		{"GET /api/v1/relationships", vigil.RoleViewer, s.listRelationships},
		{"GET /api/v1/export/{format}", vigil.RoleViewer, s.exportEvents},
		{"GET /api/v1/indicators", vigil.RoleViewer, s.getIndicators},
		{"GET /api/v1/indicators/events", vigil.RoleViewer, s.listIndicatorEvents},
		{"GET /api/v1/ach", vigil.RoleViewer, s.listACH},
		{"GET /api/v1/ach/{id}", vigil.RoleViewer, s.getACH},
		{"GET /api/v1/ach/{id}/history", vigil.RoleViewer, s.achHistory},
		{"PUT /api/v1/ach/{id}/ratings/{evidence}/{hypothesis}", vigil.RoleAnalyst, s.rateACH},
		{"GET /api/v1/review", vigil.RoleViewer, s.listReview},
		{"POST /api/v1/review/merge", vigil.RoleAnalyst, s.decide(vigil.LinkOpMerge)},
		{"POST /api/v1/review/reject", vigil.RoleAnalyst, s.decide(vigil.LinkOpReject)},
		{"POST /api/v1/review/split", vigil.RoleAnalyst, s.decide(vigil.LinkOpSplit)},
		{"POST /api/v1/review/confirm", vigil.RoleAnalyst, s.decide(vigil.LinkOpConfirm)},
		{"GET /api/v1/review/history", vigil.RoleViewer, s.listLinkOps},
		{"POST /api/v1/link", vigil.RoleAdmin, s.runLink},
		{"POST /api/v1/review/undo", vigil.RoleAnalyst, s.undoLinkOp},
		{"GET /api/v1/alerts", vigil.RoleViewer, s.listAlerts},

		{"GET /api/v1/imports", vigil.RoleViewer, s.listBatches},
		{"GET /api/v1/imports/{id}", vigil.RoleViewer, s.getBatch},
		{"POST /api/v1/imports", vigil.RoleAnalyst, s.upload},
		{"GET /api/v1/import-jobs/{id}", vigil.RoleAnalyst, s.getJob},

		{"GET /api/v1/tokens", vigil.RoleViewer, s.listTokens},
		{"POST /api/v1/tokens", vigil.RoleViewer, s.createToken},
		{"DELETE /api/v1/tokens/{id}", vigil.RoleViewer, s.deleteToken},
		{"GET /api/v1/users", vigil.RoleAdmin, s.listUsers},
		{"POST /api/v1/users", vigil.RoleAdmin, s.createUser},
		{"GET /api/v1/users/{id}", vigil.RoleAdmin, s.getUser},
		{"PATCH /api/v1/users/{id}", vigil.RoleAdmin, s.patchUser},
		{"GET /api/v1/audit", vigil.RoleAdmin, s.listAudit},
		{"GET /api/v1/audit/verify", vigil.RoleAdmin, s.verifyAudit},
	}
}

// Handler returns the server's handler: the routes behind the security
// headers, panic recovery, cross-origin protection, authentication and
// rate limits.
func (s *Server) Handler() http.Handler {
	if s.handler != nil {
		return s.handler
	}
	s.limits = newLimiter(s.Rate, s.Burst)
	s.logins = newLimiter(s.LoginRate, s.LoginBurst)
	s.jobs = newJobs()
	s.counts = newCache[int](s.CacheTTL)
	s.stats = newCache[[]vigil.SourceStats](s.CacheTTL)
	s.summaries = newCache[[]vigil.EventBucket](s.CacheTTL)
	s.indicators = newCacheOf[*indicatorResult](s.CacheTTL, 8)
	mux := http.NewServeMux()
	allowed := map[string][]string{} // path → methods
	var paths []string
	params, err := queryParams(openAPIDocument)
	if err != nil {
		panic(err) // the document is embedded: TestOpenAPIMatchesRoutes reads it
	}
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.endpoint(rt, params[rt.pattern]))
		method, path, _ := strings.Cut(rt.pattern, " ")
		if allowed[path] == nil {
			paths = append(paths, path)
		}
		allowed[path] = append(allowed[path], method)
	}
	// Other methods on a known path get a 405 problem naming the allowed
	// ones. They are registered method by method: a pattern without a
	// method would conflict with a wildcard sibling (/actors/graph beside
	// GET /actors/{id}).
	for _, path := range paths {
		allow := strings.Join(allowed[path], ", ")
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			if slices.Contains(allowed[path], m) || m == "HEAD" && slices.Contains(allowed[path], "GET") {
				continue
			}
			mux.HandleFunc(m+" "+path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Allow", allow)
				writeProblem(w, r, http.StatusMethodNotAllowed, eMethodNotAllowed, "allowed: "+allow)
			})
		}
	}
	mux.HandleFunc("/", s.web) // the web UI (web.go)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, vigil.ENOTFOUND, "no such endpoint")
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusForbidden, vigil.EFORBIDDEN, "cross-origin request refused")
	}))
	s.handler = s.secure(cop.Handler(mux))
	return s.handler
}

// endpoint wraps a route's handler with authentication, its role check,
// CSRF protection for cookie-authenticated writes, the rate limit, and the
// refusal of query parameters other than params (those the OpenAPI
// document lists for it).
func (s *Server) endpoint(rt route, params []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil && rt.role == "" {
			// Public endpoints (sign-in above all) ignore stale
			// credentials: a browser with an expired cookie must be
			// able to sign in again.
			p, err = nil, nil
		}
		if err != nil {
			s.Error(w, r, err)
			return
		}
		key := "ip:" + clientIP(r)
		if p != nil {
			key = p.limitKey()
		}
		if !s.limits.allow(key) {
			w.Header().Set("Retry-After", "1")
			writeProblem(w, r, http.StatusTooManyRequests, eRateLimited, "too many requests; slow down")
			return
		}
		if rt.role != "" {
			switch {
			case p == nil:
				s.Error(w, r, errorf(eUnauthorized, "sign in or send an API token"))
				return
			case !p.user.Role.Allows(rt.role):
				s.Error(w, r, errorf(vigil.EFORBIDDEN, "this needs the %s role", rt.role))
				return
			}
			if p.session != nil && !safeMethod(r.Method) && !p.csrfOK(r) {
				s.Error(w, r, errorf(vigil.EFORBIDDEN, "missing or wrong X-CSRF-Token header"))
				return
			}
		}
		if err := checkParams(r.URL.Query(), params); err != nil {
			s.Error(w, r, err)
			return
		}
		if err := rt.handle(w, r, p); err != nil {
			s.Error(w, r, err)
		}
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// contentSecurityPolicy allows the server's own scripts, styles and data
// only: no inline script, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every response and turns panics into
// problem responses.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("http: panic", slog.Any("panic", v), slog.String("path", r.URL.Path))
				writeProblem(w, r, http.StatusInternalServerError, vigil.EINTERNAL, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request, _ *principal) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// clientIP returns the request's remote address without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
