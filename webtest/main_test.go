package webtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// demo is the running server every test drives.
var demo struct {
	url      string // http://127.0.0.1:PORT
	admin    string // the admin's name
	password string // the admin's
	token    string // the admin's API token
	skip     string // why the tests cannot run, if they cannot
	// store is VIGIL_WEBTEST_DB: a store of one's own served instead of
	// the demo, for the benchmarks (the tests need the demo and skip).
	store string
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if testing.Short() {
		demo.skip = "webtest: -short: the browser tests take a minute"
		return m.Run()
	}
	if _, err := os.Stat(chromium()); err != nil {
		demo.skip = fmt.Sprintf("webtest: no Chromium at %s (set VIGIL_CHROMIUM, or run scripts/need-chromium.sh as root)", chromium())
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "vigil-webtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	demo.admin, demo.store = "admin", os.Getenv("VIGIL_WEBTEST_DB")
	serve := serveDemo
	if demo.store != "" {
		serve = serveStore
	}
	stop, err := serve(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webtest:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

func chromium() string {
	if p := os.Getenv("VIGIL_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

var (
	servingRE = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`)
	loginRE   = regexp.MustCompile(`sign in as admin / (\S+)`)
)

// build builds the real binary into dir.
func build(dir string) (string, error) {
	bin := filepath.Join(dir, "vigil")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/vigil-osint/vigil/cmd/vigil")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building vigil: %v\n%s", err, out)
	}
	return bin, nil
}

// serveDemo builds the real binary and runs `vigil serve --demo` on a
// store in dir, as a user would, and returns the function that stops it.
func serveDemo(dir string) (func(), error) {
	bin, err := build(dir)
	if err != nil {
		return nil, err
	}
	return serve(dir, bin, "--db", filepath.Join(dir, "vigil.db"), "serve", "--demo")
}

// serveStore serves VIGIL_WEBTEST_DB with an admin of its own (made, or
// given a new password, with vigil users).
func serveStore(dir string) (func(), error) {
	bin, err := build(dir)
	if err != nil {
		return nil, err
	}
	demo.admin, demo.password = "webtest-admin", "webtest-password-1"
	for _, args := range [][]string{
		{"users", "add", demo.admin, "--role", "admin", "--clearance", "RED", "--password-stdin"},
		{"users", "set", demo.admin, "--password-stdin"},
	} {
		cmd := exec.Command(bin, append([]string{"--db", demo.store}, args...)...)
		cmd.Stdin = strings.NewReader(demo.password + "\n")
		if out, err := cmd.CombinedOutput(); err != nil && args[1] == "set" {
			return nil, fmt.Errorf("vigil users set: %v\n%s", err, out)
		}
	}
	return serve(dir, bin, "--db", demo.store, "serve")
}

// serve runs vigil with args (a serve command) on a free port and returns
// the function that stops it once it is ready.
func serve(dir, bin string, args ...string) (func(), error) {
	tokenFile := filepath.Join(dir, "admin.token")
	cmd := exec.Command(bin, append(args, "--addr", "127.0.0.1:0", "--admin-token-file", tokenFile)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if m := servingRE.FindStringSubmatch(line); m != nil {
				demo.url = m[1]
			}
			if m := loginRE.FindStringSubmatch(line); m != nil {
				demo.password = m[1]
			}
			if strings.Contains(line, "admin API token") {
				ready <- nil
			}
		}
		ready <- errors.New("vigil serve stopped before it was ready")
		io.Copy(io.Discard, stdout)
	}()
	select {
	case err = <-ready:
	case <-time.After(5 * time.Minute):
		err = errors.New("vigil serve --demo was not ready in 5 minutes")
	}
	if err == nil && (demo.url == "" || demo.password == "") {
		err = errors.New("vigil serve printed no URL or login")
	}
	if err == nil {
		var tok []byte
		tok, err = os.ReadFile(tokenFile)
		demo.token = strings.TrimSpace(string(tok))
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("%w\n%s", err, stderr.String())
	}
	return stop, nil
}

// api calls the REST API with the admin's token and decodes the answer
// into out (when not nil).
func api(t *testing.T, method, path string, body io.Reader, out any) {
	t.Helper()
	req, err := http.NewRequest(method, demo.url+"/api/v1"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+demo.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %s: %s", method, path, res.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// served reports whether the server answers a GET of an API path with
// the admin's token (a server without a service answers 404 or 501).
func served(t *testing.T, path string) bool {
	t.Helper()
	req, err := http.NewRequest("GET", demo.url+"/api/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+demo.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// problems collects, in the page, every CSP violation, uncaught error,
// unhandled rejection and call of alert (what injected script would do); the script runs before the page's own (DevTools
// injects it, so the CSP does not apply to it).
const problems = `window.__problems = [];
document.addEventListener('securitypolicyviolation', (e) => window.__problems.push('CSP ' + e.violatedDirective + ': ' + e.blockedURI + ' ' + (e.sample || '')));
window.addEventListener('error', (e) => window.__problems.push('error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => window.__problems.push('unhandled rejection: ' + (e.reason && e.reason.message || e.reason)));
window.alert = (m) => window.__problems.push('alert(' + m + ')');
window.__inflight = 0;
const fetch0 = window.fetch;
window.fetch = (...args) => { window.__inflight++; return fetch0(...args).finally(() => setTimeout(() => window.__inflight--, 50)); };`

// browser is one headless Chromium with its own profile (so its own
// cookies), closed when the test ends.
type browser struct {
	t     testing.TB
	ctx   context.Context
	loads int
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	if demo.skip != "" {
		t.Skip(demo.skip)
	}
	if _, bench := t.(*testing.B); demo.store != "" && !bench {
		t.Skip("webtest: VIGIL_WEBTEST_DB serves a store of its own; the tests need the demo")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 6*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{t: t, ctx: ctx}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: problems}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() { b.checkProblems(t) })
	return b
}

// do runs actions, failing the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.shot("failed-" + what)
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, for up to 90 s.
// The context bounds the wait: chromedp's own polling timeout, 30 s by
// default, is turned off, since under the whole suite's load the pages
// can take longer than that.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(0))); err != nil {
		b.shot("timeout-" + what)
		b.t.Fatalf("waiting for %s (%s): %v\n%s", what, cond, err, b.state())
	}
}

// state describes what the page shows, for a failure's message: its
// requests in flight, the problems it recorded and the start of its text.
func (b *browser) state() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`'requests in flight: ' + window.__inflight + '; problems: ' + JSON.stringify(window.__problems || []) +
		'; the page reads:\n' + (document.querySelector('main') || document.body).innerText.slice(0, 1500)`))
	if err != nil {
		return "the page's state: " + err.Error()
	}
	return s
}

// settle waits until the page has no request in flight and shows no
// "Loading", twice with a pause between, so that what it shows is what
// the answers make of it.
func (b *browser) settle(what string) {
	b.t.Helper()
	const idle = `window.__inflight === 0 && !document.body.innerText.includes('Loading')`
	b.waitFor(what, idle)
	time.Sleep(250 * time.Millisecond)
	b.waitFor(what, idle)
}

// open loads the UI afresh at a route (the part after #), as a person
// following a link would: the query string differs each time, so that the
// browser loads the page rather than only changing its hash.
func (b *browser) open(route string) {
	b.t.Helper()
	b.loads++
	b.do("open "+route, chromedp.Navigate(fmt.Sprintf("%s/?load=%d#%s", demo.url, b.loads, route)))
}

// signIn signs in through the login form.
func (b *browser) signIn(name, password string) {
	b.t.Helper()
	b.do("open the sign-in form", chromedp.Navigate(demo.url+"/"), chromedp.WaitVisible(chromedp.CSS("#login-name")))
	b.shot("login")
	b.do("sign in",
		chromedp.SendKeys(chromedp.CSS("#login-name"), name),
		chromedp.SendKeys(chromedp.CSS("#login-password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#whoami")),
	)
	if got := eval[string](b, `document.querySelector('#whoami').textContent`); got != name {
		b.t.Fatalf("signed in as %q, want %q", got, name)
	}
}

// text is the page's visible text.
func (b *browser) text() string {
	return eval[string](b, `document.body.innerText`)
}

// shot saves a screenshot of the page, for people to look at.
func (b *browser) shot(name string) {
	dir := os.Getenv("VIGIL_WEBTEST_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	ext := ".jpg"
	if bytes.HasPrefix(buf, []byte("\x89PNG")) {
		ext = ".png"
	}
	path := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+name+ext)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Log(err)
	}
}

// checkProblems fails t for every problem the page recorded.
func (b *browser) checkProblems(t testing.TB) {
	if b.ctx.Err() != nil {
		return
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__problems || []`))
	if err != nil {
		return
	}
	for _, p := range got {
		t.Errorf("the page reported: %s", p)
	}
}

// q escapes a string for a JavaScript literal.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func query(v url.Values) string { return "?" + v.Encode() }
