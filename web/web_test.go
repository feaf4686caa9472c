package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSourceWritesNoMarkup keeps the UI's own code off every API that
// parses a string as HTML: stored text must reach the page as text nodes
// (htm and preact make those), never as markup.
func TestSourceWritesNoMarkup(t *testing.T) {
	bad := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write|createContextualFragment|DOMParser|\beval\(|new Function\(`)
	n := 0
	err := filepath.WalkDir("src", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "//") || strings.HasPrefix(l, "*") || strings.HasPrefix(l, "/*") {
				continue // comments may name what the code avoids
			}
			if m := bad.FindString(line); m != "" {
				t.Errorf("%s:%d: %s: render text with html`` or textContent instead", path, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("found %d source files under web/src", n)
	}
}

// TestDistIsEmbedded checks that the embedded build holds the page and
// the files it loads.
func TestDistIsEmbedded(t *testing.T) {
	for _, name := range []string{"index.html", "assets/index.js", "assets/index.css", "admin1.json", "iso-numeric.json", "assets/countries-50m.json"} {
		if _, err := fs.Stat(Dist(), name); err != nil {
			t.Errorf("the embedded UI lacks %s: %v", name, err)
		}
	}
}
