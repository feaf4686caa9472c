package http

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestWebUI serves the embedded UI: index.html at /, the files vite built
// by name with their types, revalidation by ETag, gzip when asked, and the
// strict CSP on all of it; no inline script or style in the page.
func TestWebUI(t *testing.T) {
	h := NewServer().Handler()
	get := func(path string, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	index := get("/")
	if index.Code != http.StatusOK || !strings.HasPrefix(index.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", index.Code, index.Header().Get("Content-Type"))
	}
	if csp := index.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("GET /: CSP %q, want script-src 'self' and nothing inline", csp)
	}
	page := index.Body.String()
	if m := regexp.MustCompile(`(?i)<script(?:[^>]*)>`).FindAllString(page, -1); len(m) == 0 {
		t.Error("index.html loads no script")
	} else {
		for _, tag := range m {
			if !strings.Contains(tag, `src="/assets/`) {
				t.Errorf("index.html has an inline script: %s", tag)
			}
		}
	}
	if regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=`).MatchString(page) {
		t.Errorf("index.html has inline style or handlers:\n%s", page)
	}

	tests := []struct {
		path, ctype string
	}{
		{"/assets/index.js", "text/javascript"},
		{"/assets/index.css", "text/css"},
		{"/admin1.json", "application/json"},
		{"/assets/countries-50m.json", "application/json"},
		{"/favicon.svg", "image/svg+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(tt.path)
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.ctype) {
				t.Fatalf("GET %s: %d %q, want 200 %s", tt.path, w.Code, w.Header().Get("Content-Type"), tt.ctype)
			}
			if w.Header().Get("Cache-Control") != "no-cache" || w.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s: Cache-Control %q, CSP %q", tt.path, w.Header().Get("Cache-Control"), w.Header().Get("Content-Security-Policy"))
			}
			tag := w.Header().Get("ETag")
			if again := get(tt.path, "If-None-Match", tag); again.Code != http.StatusNotModified {
				t.Errorf("GET %s with its ETag: %d, want 304", tt.path, again.Code)
			}
			z := get(tt.path, "Accept-Encoding", "gzip, deflate")
			if z.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(z.Body)
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(plain, w.Body.Bytes()) {
					t.Errorf("GET %s gzip'd does not unzip to the file (%v)", tt.path, err)
				}
			} else if w.Body.Len() > 10000 {
				t.Errorf("GET %s (%d bytes) asking for gzip: not compressed", tt.path, w.Body.Len())
			}
			if none := get(tt.path, "Accept-Encoding", "gzip;q=0"); none.Header().Get("Content-Encoding") != "" {
				t.Errorf("GET %s refusing gzip: Content-Encoding %q", tt.path, none.Header().Get("Content-Encoding"))
			}
		})
	}

	for _, tt := range []struct {
		method, path string
		want         int
		ctype        string
	}{
		{"GET", "/no-such-file.js", http.StatusNotFound, "text/plain"},
		{"GET", "/assets/", http.StatusNotFound, "text/plain"},
		{"POST", "/", http.StatusMethodNotAllowed, "application/problem+json"},
		{"GET", "/api/v1/no-such-endpoint", http.StatusNotFound, "application/problem+json"},
	} {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.want || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.ctype) {
			t.Errorf("%s %s: %d %q, want %d %s", tt.method, tt.path, w.Code, w.Header().Get("Content-Type"), tt.want, tt.ctype)
		}
	}
}
