package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	vigilhttp "github.com/vigil-osint/vigil/http"
	"github.com/vigil-osint/vigil/sqlite"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeDemo runs `vigil serve --demo` in-process on port 0, signs in
// with the printed password, reads ISKP's events with the session and with
// the admin token, and shuts down when the context ends.
func TestServeDemo(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--admin-token-file", tokenFile}, strings.NewReader(""), &out, &errb)
	}()
	urlRe := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`)
	pwRe := regexp.MustCompile(`sign in as admin / (\S+)`)
	var base, password string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			if p := pwRe.FindStringSubmatch(out.String()); p != nil {
				password = p[1]
			}
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errb.String())
		default:
		}
	}
	if base == "" || password == "" {
		t.Fatalf("no URL or password printed:\n%s\n%s", out.String(), errb.String())
	}

	body, _ := json.Marshal(map[string]string{"name": "admin", "password": password})
	res, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "vigil_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	for name, auth := range map[string]func(*http.Request){
		"cookie": func(r *http.Request) { r.AddCookie(cookie) },
		"token":  func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token))) },
	} {
		req, _ := http.NewRequest("GET", base+"/api/v1/events?actor=ISKP&limit=5", nil)
		auth(req)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Total int `json:"total"`
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if res.StatusCode != 200 || page.Total < 10 || len(page.Items) != 5 {
			t.Errorf("%s: ISKP events: status %d, total %d, %d items", name, res.StatusCode, page.Total, len(page.Items))
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestUsersAndAudit manages users from the CLI and verifies the audit log.
func TestUsersAndAudit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	out := mustRun(t, "--db", db, "users", "add", "amina", "--role", "admin", "--clearance", "red")
	if !strings.Contains(out, "password (shown once): ") {
		t.Errorf("users add printed %q", out)
	}
	var errb bytes.Buffer
	var o bytes.Buffer
	if code := run(context.Background(), []string{"--db", db, "users", "add", "farid", "--password-stdin", "--clearance", "GREEN"},
		strings.NewReader("a-long-enough-password\n"), &o, &errb); code != 0 {
		t.Fatalf("users add --password-stdin: %d %s", code, errb.String())
	}
	if strings.Contains(o.String(), "a-long-enough-password") {
		t.Error("the password read from stdin was printed")
	}
	if _, _, code := vigilRun(t, "--db", db, "users", "add", "farid"); code == 0 {
		t.Error("adding farid twice succeeded")
	}
	mustRun(t, "--db", db, "users", "set", "farid", "--role", "analyst", "--clearance", "amber")
	tok := mustRun(t, "--db", db, "users", "token", "farid", "--name", "script")
	if !strings.HasPrefix(tok, "vgl_") {
		t.Errorf("users token printed %q", tok)
	}
	mustRun(t, "--db", db, "users", "disable", "farid")
	list := mustRun(t, "--db", db, "users", "list")
	if !strings.Contains(list, "farid") || !strings.Contains(list, "disabled") || !strings.Contains(list, "AMBER") {
		t.Errorf("users list:\n%s", list)
	}
	ver := mustRun(t, "--db", db, "audit", "verify")
	if !strings.Contains(ver, "audit log intact: 5 entries") {
		t.Errorf("audit verify: %q", ver)
	}
	al := mustRun(t, "--db", db, "audit", "list")
	for _, action := range []string{"user.create", "user.update", "token.create"} {
		if !strings.Contains(al, action) {
			t.Errorf("audit list lacks %s:\n%s", action, al)
		}
	}
	if strings.Contains(al, "argon2") || strings.Contains(al, strings.TrimSpace(tok)) {
		t.Error("the audit log holds a password hash or a token secret")
	}
}

// testImporter opens the SQLite store at db, closed when the test ends,
// and the server's importer on it with the shipped dictionary.
func testImporter(t *testing.T, db string) (*sqlite.Store, *serveImporter) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dict, err := actors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return s, &serveImporter{store: s, dict: dict}
}

// TestServeImporterText uploads articles as text through the server's
// importer, as the imports page does: without a source it is refused
// before the file is read (it used to start and fail on an empty grade),
// and with one the articles are filed under that source, graded as given.
func TestServeImporterText(t *testing.T) {
	ctx := context.Background()
	s, im := testImporter(t, filepath.Join(t.TempDir(), "v.db"))
	for _, bad := range []vigilhttp.UploadOptions{{}, {Source: "Tolo News", Kind: "blog"}, {Source: "Tolo News", Reliability: "Z"}} {
		if err := im.Check("text", bad); vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("Check(text, %+v) = %v, want invalid", bad, err)
		}
	}
	if err := im.Check("case", vigilhttp.UploadOptions{}); err != nil {
		t.Errorf("Check(case) = %v", err)
	}
	article := "KABUL, 5 March 2023 - A suicide bomber killed six people near the foreign ministry in Kabul on Monday, officials said. Islamic State Khorasan Province claimed the attack.\n"
	b, err := im.Import(ctx, "text", "upload:kabul.txt", vigilhttp.UploadOptions{Source: "Tolo News", Kind: "news", Reliability: "C"},
		strings.NewReader(article), func(vigil.Counts) {}, nil)
	if err != nil {
		t.Fatalf("importing an article: %v", err)
	}
	if b.Counts.New != 1 {
		t.Errorf("the article's batch counts %+v, want one new", b.Counts)
	}
	srcs, err := s.FindSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, src := range srcs {
		if src.Name == "Tolo News" {
			found = true
			if src.Kind != vigil.SourceNews || src.Reliability != vigil.ReliabilityC {
				t.Errorf("the source is %s graded %s, want news graded C", src.Kind, src.Reliability)
			}
		}
	}
	if !found {
		t.Error("no source Tolo News after the import")
	}
	// JSON Lines with lines that cannot be read: the lines read are
	// imported, and each skipped line is written to warn for the job.
	lines := `{"id":"a","text":"A suicide bomber killed six people near the foreign ministry in Kabul on Monday.","published":"2023-03-06"}
not json
{"id":"c","text":"Gunmen killed 4 people in Herat.","published":"May 3"}
`
	var warn strings.Builder
	b, err = im.Import(ctx, "text", "upload:lines.jsonl", vigilhttp.UploadOptions{Source: "Tolo News"}, strings.NewReader(lines), func(vigil.Counts) {}, &warn)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"upload:lines.jsonl:2: skipped", `upload:lines.jsonl:3: skipped: published "May 3"`} {
		if !strings.Contains(warn.String(), w) {
			t.Errorf("warnings %q lack %q", warn.String(), w)
		}
	}
	if b.Counts.Read != 1 {
		t.Errorf("counts %+v, want the one line read", b.Counts)
	}
}

// TestServeImporterPlaces: an upload's places go through what every
// `vigil import` applies (ingest.PlaceWith), so that a case file uploaded
// through the server gets the admin-1 unit its coordinates fall in, as the
// same file imported from the command line does.
func TestServeImporterPlaces(t *testing.T) {
	ctx := context.Background()
	s, im := testImporter(t, filepath.Join(t.TempDir(), "v.db"))
	f, err := os.Open("../../webtest/testdata/amber-case.json") // Kulob, by its coordinates alone
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := im.Import(ctx, "case", "upload:amber-case.json", vigilhttp.UploadOptions{}, f, func(vigil.Counts) {}, nil); err != nil {
		t.Fatal(err)
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{Clearance: vigil.TLPRed})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Admin1 != "TJ-KT" {
		for _, e := range evs {
			t.Logf("event %s: %+v", e.Key, e.Place)
		}
		t.Fatalf("want one event in Khatlon (TJ-KT), filled from its coordinates")
	}
}

// TestServeImporterWatch: data uploaded through the server lands as data
// imported from the command line does, then linked — the linkage run and
// the watch rules that follow it (raising their alerts for the alerts
// page) are the upload job's Link, which the server calls after Import.
func TestServeImporterWatch(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	mustRun(t, "--db", db, "watch", "add", "iskp-units", "--kind", "new-unit", "--actor", "ISKP")
	s, im := testImporter(t, db)
	f, err := os.Open("../../webtest/testdata/amber-case.json") // ISKP in Khatlon: a new country and unit
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := im.Import(ctx, "case", "upload:amber-case.json", vigilhttp.UploadOptions{}, f, func(vigil.Counts) {}, nil); err != nil {
		t.Fatal(err)
	}
	if alerts, _ := s.FindAlerts(ctx, vigil.AlertFilter{}); len(alerts) != 0 {
		t.Fatalf("alerts before the upload's linkage run: %d", len(alerts))
	}
	st, err := im.Link(ctx, "tester")
	if err != nil || st == nil || st.Pending == 0 || st.OpID == 0 {
		t.Fatalf("the upload's linkage run: %+v, %v; want its reports linked and recorded", st, err)
	}
	alerts, err := s.FindAlerts(ctx, vigil.AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) == 0 {
		t.Fatal("the upload raised no alert of the new-unit rule")
	}
	for _, a := range alerts {
		if !strings.Contains(a.Message, "TJ") && !strings.Contains(a.Message, "Khatlon") && !strings.Contains(a.Message, "Tajikistan") {
			t.Errorf("alert %q does not name Tajikistan or Khatlon", a.Message)
		}
	}
}
