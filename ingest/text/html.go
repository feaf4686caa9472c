package text

import (
	"bytes"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxHTML bounds the bytes of one HTML page read: pages carry several
// times their text in markup, scripts and styles. The main text read out
// of a page is bounded by MaxDocument as any text is.
const MaxHTML = 8 << 20

// HTMLExtensions are the file endings read as HTML whatever the content.
var HTMLExtensions = []string{".html", ".htm", ".xhtml"}

// Page is what is read out of an HTML page: its main text, with the
// boilerplate (scripts, styles, navigation, headers, footers, asides,
// forms, hidden and share/comment/related blocks) left out, block
// elements as paragraph breaks and entities decoded; its title; and its
// publication date where the page states one (zero otherwise).
type Page struct {
	Title     string
	Published time.Time
	Text      string
}

// IsHTML reports whether b looks like an HTML page: after leading space
// and a byte-order mark it starts with a doctype, <html, <head or <body
// (any case), or an HTML comment followed by one of those.
func IsHTML(b []byte) bool {
	b = b[:min(len(b), 4096)]
	b = bytes.TrimPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("\ufeff"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			break
		}
		i := bytes.Index(b, []byte("-->"))
		if i < 0 {
			return false
		}
		b = b[i+3:]
	}
	low := bytes.ToLower(b[:min(len(b), 14)])
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml"} {
		if bytes.HasPrefix(low, []byte(p)) {
			return p != "<?xml" || bytes.Contains(bytes.ToLower(b), []byte("<html"))
		}
	}
	return false
}

// skipped are the elements whose content is never main text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Footer: true,
	atom.Aside: true, atom.Form: true, atom.Iframe: true, atom.Svg: true, atom.Math: true,
	atom.Template: true, atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Dialog: true,
	atom.Menu: true, atom.Figcaption: true, atom.Label: true, atom.Input: true, atom.Head: true,
}

// blocks are the elements that end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Tr: true, atom.Table: true, atom.Ul: true,
	atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Section: true, atom.Article: true, atom.Main: true, atom.Pre: true, atom.Hr: true,
	atom.Header: true, atom.Figure: true, atom.Address: true, atom.Details: true, atom.Summary: true,
	atom.Caption: true, atom.Center: true,
}

// boilerWords are class and id words that mark a block as boilerplate
// ("share-buttons", "related_stories", "cookie-banner").
var boilerWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "footer": true, "sidebar": true,
	"share": true, "sharing": true, "social": true, "comment": true, "comments": true,
	"related": true, "recommended": true, "advert": true, "advertisement": true, "ad": true,
	"ads": true, "adslot": true, "cookie": true, "cookies": true, "consent": true, "newsletter": true,
	"breadcrumb": true, "breadcrumbs": true, "subscribe": true, "subscription": true, "promo": true,
	"popup": true, "modal": true, "masthead": true, "widget": true, "trending": true, "outbrain": true,
	"taboola": true, "paywall": true, "signup": true, "login": true, "hidden": true, "sr-only": true,
	"skip": true, "toolbar": true, "tags": true, "byline-social": true,
}

// boilerRoles are ARIA roles of boilerplate.
var boilerRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "search": true,
	"dialog": true, "alert": true, "menu": true, "menubar": true, "toolbar": true,
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

// boilerplate reports whether an element's content is not main text.
// inContent says whether it lies within an article or main element,
// where a header is the article's own (headline, dateline) and kept.
func boilerplate(n *html.Node, inContent bool) bool {
	if skipped[n.DataAtom] || n.DataAtom == 0 && n.Type == html.ElementNode && strings.Contains(n.Data, ":") {
		return true
	}
	if n.DataAtom == atom.Header && !inContent {
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if st := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", "")); strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
		return true
	}
	if boilerRoles[strings.ToLower(attr(n, "role"))] {
		return true
	}
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html || n.DataAtom == atom.Main || n.DataAtom == atom.Article {
		return false // a class on the page or the story itself never drops it
	}
	for _, key := range []string{"class", "id"} {
		for _, w := range strings.Fields(strings.ToLower(attr(n, key))) {
			if boilerWords[w] {
				return true
			}
			for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '_' }) {
				if boilerWords[part] && part != "hidden" {
					return true
				}
			}
		}
	}
	return false
}

// contentRoot reports whether an element holds a page's main text.
func contentRoot(n *html.Node) bool {
	return n.DataAtom == atom.Article || n.DataAtom == atom.Main ||
		strings.EqualFold(attr(n, "role"), "main") || strings.EqualFold(attr(n, "itemprop"), "articleBody")
}

// textBuilder writes text with collapsed spaces and paragraph breaks.
type textBuilder struct {
	b     strings.Builder
	space bool // a space is owed before the next word
	// inCell counts the cells of data tables being written: their rows
	// are written as Markdown writes them ("| 3 | Bombing |  | Kabul |"),
	// one line a row, so that a reader of the text sees each row and its
	// cells apart, empty ones too (extract reads each row as an incident
	// of its own), and a break inside a cell is a space.
	inCell int
	limit  int
}

func (t *textBuilder) full() bool { return t.b.Len() >= t.limit }

// text writes a text node: words separated by one space, a space kept
// from the node before when either side has one, none inside "foo<b>bar</b>".
func (t *textBuilder) text(s string) {
	if s == "" {
		return
	}
	if r, _ := utf8.DecodeRuneInString(s); isSpace(r) {
		t.space = true
	}
	for _, f := range strings.FieldsFunc(s, isSpace) {
		if t.full() {
			return
		}
		if t.space && t.b.Len() > 0 && !strings.HasSuffix(t.b.String(), "\n") {
			t.b.WriteByte(' ')
		}
		t.b.WriteString(f)
		t.space = true
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	t.space = isSpace(r)
}

// brk ends a line (n = 1) or a paragraph (n = 2).
func (t *textBuilder) brk(n int) {
	if t.inCell > 0 {
		t.space = true
		return
	}
	if t.b.Len() == 0 || t.full() {
		return
	}
	s := t.b.String()
	have := len(s) - len(strings.TrimRight(s, "\n"))
	for ; have < n; have++ {
		t.b.WriteByte('\n')
	}
	t.space = false
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u200b' || r == '\u2009' || r == '\u202f'
}

// render writes the main text under root, leaving boilerplate out. It
// walks the tree without recursion, so that deep nesting is harmless.
func render(root *html.Node, inContent bool, limit int) string {
	t := &textBuilder{limit: limit}
	type frame struct {
		n       *html.Node
		content bool
		leave   bool
		table   bool // inside a data table (dataTable)
		cell    bool // leaving a data table's cell
	}
	stack := []frame{{n: root, content: inContent}}
	for len(stack) > 0 && !t.full() {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		if f.leave {
			if f.cell {
				t.inCell--
				t.b.WriteString(" |")
				t.space = false
			} else if blocks[n.DataAtom] {
				t.brk(2)
			} else if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
				t.space = true
			}
			continue
		}
		switch n.Type {
		case html.TextNode:
			t.text(n.Data)
			continue
		case html.ElementNode:
			if n != root && boilerplate(n, f.content) {
				if blocks[n.DataAtom] {
					t.brk(2)
				} else {
					t.space = true
				}
				continue
			}
			if n.DataAtom == atom.Br {
				t.brk(1)
				continue
			}
			if n.DataAtom == atom.Img || n.DataAtom == atom.Wbr {
				continue
			}
			if blocks[n.DataAtom] {
				t.brk(2)
			}
			if n.DataAtom == atom.Table {
				f.table = t.inCell == 0 && dataTable(n)
			}
			cell := false
			switch {
			case !f.table || t.inCell > 0:
			case n.DataAtom == atom.Tr:
				t.b.WriteString("|")
				t.space = false
			case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
				t.inCell++
				t.b.WriteString(" ")
				t.space, cell = false, true
			}
			stack = append(stack, frame{n: n, content: f.content, leave: true, cell: cell})
		case html.DocumentNode:
		default: // comments, doctypes
			continue
		}
		content := f.content || contentRoot(n)
		// Children in document order: push them last first.
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c, content: content, table: f.table})
		}
	}
	return strings.TrimSpace(t.b.String())
}

// dataTable reports whether a table holds data rather than a page's
// layout: no cell of it holds a paragraph, a division, a list, a heading
// or another table (a line break is no block, a caption is the table's).
func dataTable(table *html.Node) bool {
	data := true
	walk(table, func(n *html.Node) bool {
		if n != table && n.Type == html.ElementNode && n.DataAtom != atom.Tr && n.DataAtom != atom.Caption && blocks[n.DataAtom] {
			data = false
		}
		return data
	})
	return data
}

// walk calls fn on every node of the tree in document order, without
// recursion; fn returning false skips the node's children.
func walk(root *html.Node, fn func(*html.Node) bool) {
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(n) {
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

// ParseHTML reads a page's main text, title and publication date. The
// main text is the longest article, main, role=main or
// itemprop=articleBody element's text when there is one of a reasonable
// size, else the body's; both with boilerplate left out. Malformed markup
// is read as browsers read it.
func ParseHTML(b []byte) (Page, error) {
	root, err := html.Parse(bytes.NewReader(b[:min(len(b), MaxHTML)]))
	if err != nil {
		return Page{}, err
	}
	var p Page
	var body, h1, titleEl *html.Node
	var roots []*html.Node
	var times []*html.Node
	var ogTitle string
	var metaDate, jsonDate string
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Body:
			if body == nil {
				body = n
			}
		case atom.Title:
			if titleEl == nil {
				titleEl = n
			}
		case atom.H1:
			if h1 == nil {
				h1 = n
			}
		case atom.Time:
			times = append(times, n)
		case atom.Meta:
			key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
			val := strings.TrimSpace(attr(n, "content"))
			switch key {
			case "og:title":
				if ogTitle == "" {
					ogTitle = val
				}
			case "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
				"pubdate", "publishdate", "publish-date", "date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date":
				if metaDate == "" && parseWhen(val) != (time.Time{}) {
					metaDate = val
				}
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && jsonDate == "" && n.FirstChild != nil {
				if m := reLDDate.FindStringSubmatch(n.FirstChild.Data); m != nil {
					jsonDate = m[1]
				}
			}
			return false
		case atom.Style, atom.Template:
			return false
		}
		return true
	})
	// Content elements outside boilerplate (not the teaser articles of a
	// sidebar or a related-stories block).
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom != atom.Head && boilerplate(n, true) {
			return false
		}
		if n.Type == html.ElementNode && contentRoot(n) {
			roots = append(roots, n)
		}
		return true
	})

	// Title: og:title, <title>, the first <h1>.
	switch {
	case ogTitle != "":
		p.Title = ogTitle
	case titleEl != nil && strings.TrimSpace(flat(titleEl)) != "":
		p.Title = flat(titleEl)
	case h1 != nil:
		p.Title = flat(h1)
	}
	p.Title = strings.Join(strings.FieldsFunc(p.Title, isSpace), " ")

	// Publication date: the meta tags, JSON-LD, then a <time> marked as
	// the publication's or the first one with a datetime.
	for _, s := range []string{metaDate, jsonDate} {
		if t := parseWhen(s); !t.IsZero() {
			p.Published = t
			break
		}
	}
	if p.Published.IsZero() {
		var first time.Time
		for _, n := range times {
			t := parseWhen(attr(n, "datetime"))
			if t.IsZero() {
				continue
			}
			if hasAttr(n, "pubdate") || strings.EqualFold(attr(n, "itemprop"), "datePublished") {
				first = t
				break
			}
			if first.IsZero() {
				first = t
			}
		}
		p.Published = first
	}

	// Main text: the longest content element, unless it is a small part of
	// a long body (a teaser marked up as an article).
	whole := root
	if body != nil {
		whole = body
	}
	all := render(whole, false, MaxDocument)
	best := ""
	for _, r := range roots {
		if inside(r, roots) {
			continue // an article within main: the outer one holds it
		}
		if s := render(r, true, MaxDocument); len(s) > len(best) {
			best = s
		}
	}
	switch {
	case best != "" && (len(best) >= 500 || 4*len(best) >= len(all)):
		p.Text = best
	default:
		p.Text = all
	}
	if len(p.Text) > MaxDocument {
		p.Text = strings.ToValidUTF8(p.Text[:MaxDocument], "")
	}
	return p, nil
}

// inside reports whether n lies within another of roots.
func inside(n *html.Node, roots []*html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		for _, r := range roots {
			if a == r {
				return true
			}
		}
	}
	return false
}

// flat is the text under n, spaces collapsed, boilerplate or not.
func flat(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
		return c.Type != html.ElementNode || c.DataAtom != atom.Script && c.DataAtom != atom.Style
	})
	return strings.Join(strings.FieldsFunc(b.String(), isSpace), " ")
}

var reLDDate = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{4,40})"`)

// parseWhen reads the date forms pages use in meta tags, JSON-LD and
// <time datetime>, or returns the zero time.
func parseWhen(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05",
		"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05",
		"2006-01-02", "20060102", time.RFC1123Z, time.RFC1123, "January 2, 2006", "2 January 2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 && t.Year() < 2200 {
			return t
		}
	}
	return time.Time{}
}
