package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
	vigilhttp "github.com/vigil-osint/vigil/http"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/stix"
	"github.com/vigil-osint/vigil/link"
	"github.com/vigil-osint/vigil/watch"
)

// teamStore is a store that also keeps users and the audit log and answers
// the server's clearance-filtered reads.
type teamStore interface {
	vigil.Store
	vigil.UserService
	vigil.AuditService
	vigil.BrowseService
}

// openTeamStore opens the store the flags name, as a teamStore.
func (a *app) openTeamStore(ctx context.Context) (teamStore, error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	ts, ok := s.(teamStore)
	if !ok {
		s.Close()
		return nil, fmt.Errorf("the store %T keeps no users", s)
	}
	return ts, nil
}

// cliActor names the person at the terminal in the audit log.
func cliActor() string {
	if u := currentUser(); u != "" {
		return "cli:" + u
	}
	return "cli"
}

func newServeCmd(a *app) *cobra.Command {
	var (
		addr      string
		demo      bool
		tokenFile string
		insecure  bool
		verbose   bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and the REST API",
		Long: `Serve vigil's web UI at / and its REST API under /api/v1 (described at
/api/v1/openapi.json) until interrupted (SIGINT or SIGTERM), then finish the requests in flight.

--demo serves a fresh temporary store holding the demo case, and prints the URL
and a first login: an admin cleared for RED whose password is printed once.
Without --demo, make the first admin with
  vigil users add NAME --role admin --clearance RED
--admin-token-file F writes an API token of the (first) admin to F, for scripts:
  curl -H "Authorization: Bearer $(cat F)" URL/api/v1/events`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if demo && a.dbPath == "" {
				dir, err := os.MkdirTemp("", "vigil-serve-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				a.dbPath = filepath.Join(dir, "vigil.db")
			}
			s, err := a.openTeamStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if demo {
				if err := loadDemo(ctx, a, s); err != nil {
					return err
				}
			}
			dict, err := a.loadDictionary(ctx, s)
			if err != nil {
				return err
			}
			var login string
			if demo {
				u := &vigil.User{Name: "admin", Role: vigil.RoleAdmin, Clearance: vigil.TLPRed}
				pw, err := vigilhttp.AddUser(ctx, s, s, "system", u, "")
				if vigil.ErrorCode(err) == vigil.ECONFLICT {
					login = "admin (already made; its password was printed when it was)"
				} else if err != nil {
					return err
				} else {
					login = "admin / " + pw
				}
			}
			if tokenFile != "" {
				if err := writeAdminToken(ctx, s, tokenFile); err != nil {
					return err
				}
			}
			srv := vigilhttp.NewServer()
			srv.Store, srv.Users, srv.Audit, srv.Browse = s, s, s, s
			srv.Analysis, _ = s.(vigil.AnalysisService)
			srv.ACH, _ = s.(vigil.ACHService)
			srv.Link, _ = s.(vigil.LinkService)
			srv.Watch, _ = s.(vigil.WatchService)
			if g, err := geo.Default(); err == nil {
				srv.Units = serveUnits{newUnitResolver(g), g}
			}
			srv.InsecureCookies = insecure
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelInfo
			}
			srv.Logger = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
			srv.Importer = &serveImporter{store: s, dict: dict, logger: srv.Logger}
			if err := srv.Open(addr); err != nil {
				return err
			}
			// The map's first summaries and the source statistics take
			// seconds on a large store: compute them before anyone asks.
			go func() {
				if err := srv.Warm(ctx); err != nil && ctx.Err() == nil {
					srv.Logger.Warn("vigil: warming the caches", slog.Any("err", err))
				}
			}()
			fmt.Fprintf(a.stdout, "vigil is serving on %s/ (API: %s/api/v1/openapi.json)\n", srv.URL(), srv.URL())
			if login != "" {
				fmt.Fprintf(a.stdout, "sign in as %s\n", login)
			} else if us, err := s.FindUsers(ctx); err == nil && len(us) == 0 {
				fmt.Fprintln(a.stdout, "no users yet: make one with  vigil users add NAME --role admin --clearance RED")
			}
			if tokenFile != "" {
				fmt.Fprintf(a.stdout, "an admin API token is in %s\n", tokenFile)
			}
			<-ctx.Done()
			fmt.Fprintln(a.stderr, "vigil: shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return srv.Close(sctx)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks one)")
	cmd.Flags().BoolVar(&demo, "demo", false, "serve a fresh temporary store holding the demo case, with a first admin")
	cmd.Flags().StringVar(&tokenFile, "admin-token-file", "", "write an API token of the first admin to this file (mode 0600)")
	cmd.Flags().BoolVar(&insecure, "insecure-cookies", false, "leave the Secure flag off the session cookie (plain HTTP on a non-local host; development only)")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "log more")
	return cmd
}

// writeAdminToken makes an API token for the first active admin and writes
// it to path, readable by its owner only.
func writeAdminToken(ctx context.Context, s teamStore, path string) error {
	us, err := s.FindUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range us {
		if u.Role == vigil.RoleAdmin && !u.Disabled {
			_, secret, err := vigilhttp.IssueToken(ctx, s, s, "system", u.ID, "serve --admin-token-file", 0)
			if err != nil {
				return err
			}
			return os.WriteFile(path, []byte(secret+"\n"), 0o600)
		}
	}
	return errors.New("--admin-token-file: there is no admin yet; make one with vigil users add NAME --role admin --clearance RED")
}

// serveUnits resolves admin-1 units for the server's indicators as
// `vigil indicators` does.
type serveUnits struct {
	r *unitResolver
	g *geo.Gazetteer
}

func (u serveUnits) Resolve(country, admin1, name string) (string, string) {
	return u.r.resolve(country, admin1, name)
}

func (u serveUnits) Home(unit string) (string, vigil.LatLon, bool) {
	code := u.r.code(unit)
	if code == "" {
		return "", vigil.LatLon{}, false
	}
	lat, lon, ok := u.g.Admin1Center(code)
	return code, vigil.LatLon{Lat: lat, Lon: lon}, ok
}

// serveImporter imports uploads with the readers of `vigil import`, links
// them as `vigil link` does, and runs what follows data landing as
// `vigil import` does (ACH indicator items evaluated again, the watch
// rules, alert delivery).
type serveImporter struct {
	store  vigil.Store
	dict   *actors.Dictionary
	logger *slog.Logger // for what fails after an import; nil: slog's default
	linkMu sync.Mutex   // one linkage run at a time
}

// Link links the reports that wait for linkage with linkage's defaults
// and the dictionary's actor hierarchy, one run at a time, then runs the
// watch rules and refreshes the ACH cases.
func (im *serveImporter) Link(ctx context.Context, by string) (*link.Stats, error) {
	im.linkMu.Lock()
	defer im.linkMu.Unlock()
	var st *link.Stats
	if ls, ok := im.store.(vigil.LinkService); ok {
		var err error
		if st, err = link.Run(ctx, ls, defaultLinkConfig(im.dict), by); err != nil {
			return nil, err
		}
	}
	im.afterImport(ctx)
	return st, nil
}

// afterImport runs the watch rules and refreshes the ACH cases after an
// upload landed. Its failures are logged, not returned: the import itself
// succeeded.
func (im *serveImporter) afterImport(ctx context.Context) {
	ws, ok := im.store.(watch.Store)
	if !ok {
		return
	}
	if _, err := watch.AfterIngest(ctx, ws, deliverer()); err != nil {
		lg := im.logger
		if lg == nil {
			lg = slog.Default()
		}
		lg.Warn("vigil: after an upload (watch rules, ACH refresh)", slog.Any("err", err))
	}
}

// Formats lists the formats `vigil import` reads.
func (im *serveImporter) Formats() []string {
	var out []string
	for n := range importFormats {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Check refuses, before the upload is read, what `vigil import` would:
// articles as text need the source they are filed under, a known kind and
// a reliability grade (F when none is given, as the flag's default).
func (im *serveImporter) Check(format string, opts vigilhttp.UploadOptions) error {
	if _, ok := importFormats[format]; !ok {
		return vigil.Errorf(vigil.EINVALID, "format %q", format)
	}
	if format != "text" {
		return nil
	}
	if opts.Source == "" {
		return vigil.Errorf(vigil.EINVALID, "source: articles as text are filed under a source: give its name (source=Tolo News), and its kind and reliability")
	}
	if opts.Kind != "" && !vigil.SourceKind(opts.Kind).Valid() {
		return vigil.Errorf(vigil.EINVALID, "kind %q: want one of %v", opts.Kind, vigil.SourceKinds)
	}
	if opts.Reliability != "" {
		if _, err := vigil.ParseReliability(opts.Reliability); err != nil {
			return vigil.Errorf(vigil.EINVALID, "reliability: %s", vigil.ErrorMessage(err))
		}
	}
	return nil
}

// options are the import's flags from an upload's options, with the
// defaults of `vigil import`'s flags.
func uploadOptions(ctx context.Context, format string, opts vigilhttp.UploadOptions) *importOptions {
	o := &importOptions{version: opts.Version, source: opts.Source, kind: opts.Kind, reliability: opts.Reliability, ctx: ctx, warn: io.Discard}
	if format == "stix" && o.source == "" {
		o.source = stix.DefaultSource
	}
	if o.kind == "" {
		o.kind = string(vigil.SourceNews)
	}
	if o.reliability == "" {
		o.reliability = string(vigil.ReliabilityF)
	}
	return o
}

// Import reads one uploaded file as a batch. Rejected records are counted
// in the batch, not an error.
func (im *serveImporter) Import(ctx context.Context, format, name string, opts vigilhttp.UploadOptions, r io.Reader, progress func(vigil.Counts), warn io.Writer) (*vigil.Batch, error) {
	f, ok := importFormats[format]
	if !ok {
		return nil, vigil.Errorf(vigil.EINVALID, "format %q", format)
	}
	if err := im.Check(format, opts); err != nil {
		return nil, err
	}
	o := uploadOptions(ctx, format, opts)
	if warn != nil {
		o.warn = warn
	}
	h := sha256.New()
	rd, err := f.open(io.TeeReader(r, h), name, o, im.dict)
	if err != nil {
		return nil, err
	}
	b := &vigil.Batch{Format: format, File: name, Source: o.source}
	if src, ok := rd.(interface{ Source() *vigil.Source }); ok {
		b.Source = src.Source().Name
	}
	hooks, _ := rd.(storeHooks)
	if hooks != nil {
		if err := hooks.BeforeItems(ctx, im.store); err != nil {
			return nil, err
		}
	}
	// As every `vigil import`: admin codes filled from the coordinates, and
	// a warning for a point outside the country a report names.
	place, err := placeHook()
	if err != nil {
		return nil, err
	}
	// Uploads commit every uploadCommit records: the server's other
	// writes (its users' edits) wait for an open transaction.
	err = ingest.Run(ctx, im.store, b, rd, ingest.Options{Progress: progress, Place: place, Commit: uploadCommit})
	if errors.Is(err, ingest.ErrRejected) {
		err = nil
	}
	if hooks != nil && err == nil {
		if err := hooks.AfterItems(ctx, im.store); err != nil {
			return b, ingest.Fail(ctx, im.store, b, err)
		}
	}
	if err == nil {
		if _, cerr := io.Copy(h, r); cerr == nil {
			b.Checksum = hexSum(h)
			if uerr := im.store.UpdateBatch(context.WithoutCancel(ctx), b); uerr != nil {
				return b, uerr
			}
		}
	}
	if b.ID == 0 {
		return nil, err
	}
	return b, err // Link follows
}

// uploadCommit is how many records a transaction of an upload takes: a
// quarter of ingest.DefaultCommit, under a second of the writer's time.
const uploadCommit = ingest.DefaultCommit / 4
