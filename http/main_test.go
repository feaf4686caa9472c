package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/casefile"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/link"
	"github.com/vigil-osint/vigil/sqlite"
)

var ctx = context.Background()

// testImporter reads case files ("casefile") for uploads.
type testImporter struct {
	store vigil.Store
	dict  *actors.Dictionary
}

func (im *testImporter) Formats() []string { return []string{"casefile"} }

func (im *testImporter) Check(format string, opts UploadOptions) error { return nil }

func (im *testImporter) Import(ctx context.Context, format, name string, opts UploadOptions, r io.Reader, progress func(vigil.Counts), warn io.Writer) (*vigil.Batch, error) {
	rd, err := casefile.NewReader(r, name, im.dict)
	if err != nil {
		return nil, err
	}
	b := &vigil.Batch{Format: format, File: name}
	err = ingest.Run(ctx, im.store, b, rd, ingest.Options{Progress: progress})
	if b.ID == 0 {
		return nil, err
	}
	return b, err
}

// Link links as vigil serve does after an upload, with linkage's defaults.
func (im *testImporter) Link(ctx context.Context, by string) (*link.Stats, error) {
	return link.Run(ctx, im.store.(vigil.LinkService), link.Default(), by)
}

// fixture is a running server on a real SQLite file holding the demo
// case, with three users and a token for each.
type fixture struct {
	t      *testing.T
	store  *sqlite.Store
	srv    *Server
	dict   *actors.Dictionary
	tokens map[string]string // user name → API token
	users  map[string]*vigil.User
}

// newFixture loads the demo case (and the hostile case file) into a fresh
// store and serves it on 127.0.0.1, port 0.
func newFixture(t *testing.T, configure func(*Server)) *fixture {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dict, err := actors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	storeDict(t, s, dict)
	load := func(name string, open func(io.Reader) (ingest.Reader, error), fh io.ReadCloser) {
		defer fh.Close()
		r, err := open(fh)
		if err != nil {
			t.Fatal(err)
		}
		if err := ingest.Run(ctx, s, &vigil.Batch{Format: "test", File: name}, r, ingest.Options{}); err != nil {
			t.Fatalf("loading %s: %v", name, err)
		}
	}
	for _, name := range []string{"demo/ucdp_ged231_region.csv", "demo/iskp-case.json"} {
		fh, err := data.Files.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		load(name, func(r io.Reader) (ingest.Reader, error) {
			if strings.HasSuffix(name, ".csv") {
				return ucdp.NewReader(r, name, "23.1", dict)
			}
			return casefile.NewReader(r, name, dict)
		}, fh)
	}
	fh, err := os.Open("testdata/hostile-case.json")
	if err != nil {
		t.Fatal(err)
	}
	load("hostile-case.json", func(r io.Reader) (ingest.Reader, error) { return casefile.NewReader(r, "hostile", dict) }, fh)

	f := &fixture{t: t, store: s, dict: dict, tokens: map[string]string{}, users: map[string]*vigil.User{}}
	for _, u := range []*vigil.User{
		{Name: "admin", Role: vigil.RoleAdmin, Clearance: vigil.TLPRed},
		{Name: "analyst", Role: vigil.RoleAnalyst, Clearance: vigil.TLPAmber},
		{Name: "green", Role: vigil.RoleViewer, Clearance: vigil.TLPGreen},
		{Name: "greenanalyst", Role: vigil.RoleAnalyst, Clearance: vigil.TLPGreen},
	} {
		if _, err := AddUser(ctx, s, s, "test", u, u.Name+"-password-123"); err != nil {
			t.Fatal(err)
		}
		_, secret, err := IssueToken(ctx, s, s, "test", u.ID, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[u.Name], f.users[u.Name] = secret, u
	}
	f.srv = f.serve(configure)
	return f
}

// serve starts another server on the fixture's store.
func (f *fixture) serve(configure func(*Server)) *Server {
	srv := NewServer()
	srv.Store, srv.Users, srv.Audit, srv.Browse = f.store, f.store, f.store, f.store
	srv.Analysis, srv.ACH, srv.Link, srv.Watch = f.store, f.store, f.store, f.store
	srv.Importer = &testImporter{store: f.store, dict: f.dict}
	srv.LoginRate, srv.LoginBurst = rate.Inf, 0
	srv.MaxUpload = 64 << 10
	srv.CacheTTL = 0 // the clearance tests read the store itself
	if configure != nil {
		configure(srv)
	}
	if err := srv.Open("127.0.0.1:0"); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { srv.Close(context.Background()) })
	return srv
}

func storeDict(t *testing.T, s vigil.Store, d *actors.Dictionary) {
	t.Helper()
	done := map[string]bool{}
	var put func(a *vigil.Actor)
	put = func(a *vigil.Actor) {
		if done[a.ID] {
			return
		}
		done[a.ID] = true
		if p := d.Actor(a.Parent); p != nil {
			put(p)
		}
		if err := s.UpsertActor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range d.Actors {
		put(a)
	}
}

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decoding %q: %v", r.body[:min(len(r.body), 300)], err)
	}
}

// do sends a request as user ("" for nobody) through their API token.
func (f *fixture) do(method, path, user string, body any, header ...string) response {
	f.t.Helper()
	return f.doOn(f.srv, method, path, user, body, header...)
}

func (f *fixture) doOn(srv *Server, method, path, user string, body any, header ...string) response {
	f.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/octet-stream"
	default:
		j, _ := json.Marshal(b)
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// upload sends a file through the API and waits for its import to end.
func (f *fixture) upload(user, file string) Job {
	f.t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		f.t.Fatal(err)
	}
	res := f.do("POST", "/api/v1/imports?format=casefile&name="+filepath.Base(file), user, b)
	if res.status != http.StatusAccepted {
		f.t.Fatalf("upload %s: %d %s", file, res.status, res.body)
	}
	loc := res.header.Get("Location")
	for range 200 {
		var jb Job
		f.do("GET", loc, user, nil).json(f.t, &jb)
		if jb.Status != vigil.BatchRunning {
			return jb
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.t.Fatalf("upload %s did not finish", file)
	return Job{}
}

// eventByKey finds an event's id as the admin sees it.
func (f *fixture) eventByKey(key string) int64 {
	f.t.Helper()
	var page listResponse[*vigil.Event]
	f.do("GET", "/api/v1/events?limit=1000", "admin", nil).json(f.t, &page)
	for _, e := range page.Items {
		if e.Key == key {
			return e.ID
		}
	}
	f.t.Fatalf("no event %q", key)
	return 0
}
