package text

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/extract"
)

// newsPage is a news story as outlets serve it: scripts, styles, JSON-LD,
// a site header with navigation, share buttons, a related-stories aside and
// a footer around the article, most of them full of attack words.
const newsPage = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Suicide bomber kills 27 at Kabul mosque | Example News</title>
<meta property="og:title" content="Suicide bomber kills 27 at Kabul mosque">
<meta property="article:published_time" content="2016-11-21T14:05:00+04:30">
<script>var breaking = "Gunmen killed 50 people in Lahore on Monday"; track("bomb exploded, 99 killed");</script>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bomb kills 31","datePublished":"2016-11-20T09:00:00Z"}</script>
<style>.alert:before{content:"12 killed in blast"}</style>
</head><body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/q">Bombing kills 40 in Quetta</a></li></ul></nav></header>
<div id="cookie-consent">We use cookies. A blast killed 8 cookies.</div>
<main>
<article>
<header><h1>Suicide bomber kills 27 at Kabul mosque</h1><time datetime="2016-11-21">21 Nov 2016</time></header>
<p>KABUL &mdash; A suicide bomber killed 27 people and wounded 35 others at a Shia mosque in Kabul on Monday, officials said.</p>
<div class="share-buttons"><a>Share</a>: gunmen killed 100 on Facebook</div>
<p>The Islamic State claimed responsibility through its Amaq news agency.</p>
<aside><h3>Related</h3><article><p>Gunmen kill 15 policemen in Jalalabad</p></article></aside>
</article>
</main>
<footer>Copyright 2016. Bomb kills 3 in Peshawar.</footer>
<noscript>Enable scripts to read how 60 were killed in Herat</noscript>
</body></html>`

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string // in the main text
		wantNot    []string // not in it
		title      string
		published  string // RFC 3339, "" for none
	}{
		{"news page", newsPage,
			[]string{"KABUL — A suicide bomber killed 27 people and wounded 35 others", "Suicide bomber kills 27 at Kabul mosque\n\n", "Amaq news agency."},
			[]string{"Lahore", "99", "Quetta", "cookies", "100", "Jalalabad", "Peshawar", "Herat", "12 killed", "Share", "Related", "Home"},
			"Suicide bomber kills 27 at Kabul mosque", "2016-11-21T14:05:00+04:30"},
		{"blocks become breaks", `<html><body><h1>Blast in Quetta</h1><p>First paragraph ends here</p><ul><li>one</li><li>two</li></ul>` +
			`<table><tr><td>Killed</td><td>12</td></tr><tr><td>Wounded</td><td>30</td></tr></table><p>line one<br>line two</p><div>a<b>bold</b>word and <i>spaced</i> words</div></body></html>`,
			[]string{"Blast in Quetta\n\nFirst paragraph ends here\n\none\n\ntwo\n\n| Killed | 12 |\n\n| Wounded | 30 |\n\nline one\nline two\n\naboldword and spaced words"}, nil,
			"Blast in Quetta", ""},
		{"data table rows as Markdown rows, empty cells and breaks kept apart",
			`<html><body><table><caption>Incidents</caption><tr><th>Date</th><th>Dead</th><th>Injured</th><th>Location</th></tr>` +
				`<tr><td>3</td><td>8</td><td></td><td>Kabul,<br>Afghanistan</td></tr><tr><td>4</td><td>Unknown<br>Est. 20+</td><td>2</td><td>Quetta</td></tr></table></body></html>`,
			[]string{"| Date | Dead | Injured | Location |\n\n| 3 | 8 |  | Kabul, Afghanistan |\n\n| 4 | Unknown Est. 20+ | 2 | Quetta |"}, nil, "", ""},
		{"layout table: its cells' paragraphs stay paragraphs",
			`<html><body><table><tr><td><p>Menu</p></td><td><p>Gunmen killed five policemen in Ghazni.</p><p>The Taliban claimed it.</p></td></tr></table></body></html>`,
			[]string{"Menu\n\nGunmen killed five policemen in Ghazni.\n\nThe Taliban claimed it."}, []string{"|"}, "", ""},
		{"entities", `<!doctype html><title>A &amp; B</title><p>Gunmen&nbsp;attacked &#8220;the post&#8221; &lt;at night&gt; &eacute;t&eacute;</p>`,
			[]string{"Gunmen attacked “the post” <at night> été"}, []string{"&amp;", "&nbsp;", "\u00a0"}, "A & B", ""},
		{"title from h1, date from JSON-LD", `<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2017-05-31T08:25:00+04:30"}]}</script></head>` +
			`<body><h1>Truck bomb in Kabul</h1><p>A truck bomb exploded near the German embassy.</p></body></html>`,
			[]string{"A truck bomb exploded"}, nil, "Truck bomb in Kabul", "2017-05-31T08:25:00+04:30"},
		{"date from time element", `<html><body><article><p>Posted <time datetime="2018-04-22T10:00:00Z" itemprop="datePublished">Sunday</time></p><p>A suicide bomber struck a voter registration centre.</p></article></body></html>`,
			[]string{"suicide bomber struck"}, nil, "", "2018-04-22T10:00:00Z"},
		{"hidden and aria-hidden blocks", `<html><body><p>Police said the market reopened.</p><div style="display: none">A car bomb killed 45 people in Kandahar.</div>` +
			`<p hidden>Rockets killed 9.</p><span aria-hidden="true">Bomb kills 7</span><div role="navigation">Attack kills 6</div></body></html>`,
			[]string{"market reopened"}, []string{"Kandahar", "Rockets", "7", "6"}, "", ""},
		{"nested boilerplate", `<html><body><div class="layout"><div class="sidebar-wrapper"><div><div><article><h2>Blast kills 20 in Mastung</h2><p>Teaser of another story in which 20 people were killed by a blast.</p></article></div></div></div>` +
			`<div class="content"><p>Officials in Herat said a new road had opened.</p><div id="related_stories"><ul><li><p>Gunmen kill 11 in Zabul</p></li></ul></div></div></div></body></html>`,
			[]string{"new road had opened"}, []string{"Mastung", "Zabul", "Teaser"}, "", ""},
		{"article preferred", `<html><body><div>Breaking: a ticker of other news about Kunduz.</div><article><p>` + strings.Repeat("Taliban fighters attacked a checkpoint in Farah province. ", 12) + `</p></article><div>More ticker text about Ghazni.</div></body></html>`,
			[]string{"Farah province"}, []string{"Kunduz", "Ghazni"}, "", ""},
		{"malformed markup", `<html><body><p>Gunmen killed <b>five policemen<p>in Ghazni</b> on Friday <div>unclosed <span>tags <article>stray</div></article></p>` +
			`<p>Last paragraph &amp unterminated entity</body>`,
			[]string{"Gunmen killed five policemen\n\nin Ghazni on Friday", "Last paragraph & unterminated entity"}, nil, "", ""},
		{"unclosed script swallows the rest", `<html><body><p>Calm day in Jalalabad.</p><script>document.write("30 killed in blast")`,
			[]string{"Calm day in Jalalabad."}, []string{"30 killed"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseHTML([]byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, p.Text)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(p.Text, w) {
					t.Errorf("text holds boilerplate %q:\n%s", w, p.Text)
				}
			}
			if p.Title != tt.title {
				t.Errorf("title %q, want %q", p.Title, tt.title)
			}
			var want time.Time
			if tt.published != "" {
				want, _ = time.Parse(time.RFC3339, tt.published)
			}
			if !p.Published.Equal(want) {
				t.Errorf("published %v, want %v", p.Published, want)
			}
		})
	}
}

// TestHTMLReports reads pages through Documents and the real extractor:
// attack words in scripts, styles, navigation and asides yield no report;
// the article's own incident yields one, dated from the page.
func TestHTMLReports(t *testing.T) {
	x, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	hostile := `<!doctype html><html><head><title>Weather</title><script>var s="A suicide bomber killed 40 people and wounded 60 in Kabul on Friday";</script>` +
		`<script type="application/json">{"story":"Gunmen killed 12 policemen in Jalalabad; the Islamic State claimed it"}</script>` +
		`<style>/* a car bomb exploded, killing 9 */</style></head><body><nav>Blast kills 17 in Quetta</nav>` +
		`<aside class="most-read"><ol><li>Taliban attack kills 25 soldiers in Helmand</li></ol></aside>` +
		`<p>Rain is expected in Kabul this week, the meteorological office said.</p>` +
		`<footer>Car bomb kills 8 in Kandahar</footer><form><input value="bomb killed 5"><label>Suicide attack killed 3</label></form></body></html>`
	tests := []struct {
		name, file, page string
		killed           []int // killed of the reports found, in order
		date             string
	}{
		{"news page", "story.html", newsPage, []int{27}, "2016-11-21"},
		{"attack words only in boilerplate", "weather.htm", hostile, nil, ""},
		{"sniffed from stdin", "-", "\ufeff  <!-- served by x -->\n<!DOCTYPE html>" + newsPage[len("<!DOCTYPE html>"):], []int{27}, "2016-11-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Documents(strings.NewReader(tt.page), tt.file, &bytes.Buffer{})
			if err != nil || len(docs) != 1 {
				t.Fatalf("%d documents, %v", len(docs), err)
			}
			reps, err := x.Extract(context.Background(), docs[0])
			if err != nil {
				t.Fatal(err)
			}
			var killed []int
			for _, r := range reps {
				killed = append(killed, r.Killed.Best.N)
			}
			if len(killed) != len(tt.killed) || len(killed) > 0 && killed[0] != tt.killed[0] {
				t.Fatalf("reports killed %v, want %v; text:\n%s", killed, tt.killed, docs[0].Text)
			}
			if tt.date != "" && reps[0].DateStart.String() != tt.date {
				t.Errorf("date %s, want %s (the page's publication date anchors \"on Monday\")", reps[0].DateStart, tt.date)
			}
		})
	}
}

func TestHTMLDocuments(t *testing.T) {
	cp1252 := "<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><p>\x93Gunmen\x94 attacked a caf\xe9.</p></body></html>"
	big := "<html><body><p>" + strings.Repeat("x ", MaxHTML/2+1) + "</p></body></html>"
	deep := "<html><body>" + strings.Repeat("<div>", 200000) + "<p>Deep text.</p>" + "</body></html>"
	longText := "<html><body>" + strings.Repeat("<p>"+strings.Repeat("word ", 100)+"</p>", MaxDocument/450) + "</body></html>"
	tests := []struct {
		name, file, in string
		wantText       string // in the text
		wantErr        string
	}{
		{"windows-1252 page", "p.html", cp1252, "“Gunmen” attacked a café.", ""},
		{"empty page", "e.html", "", "", "empty"},
		{"page of boilerplate only", "b.html", "<html><body><nav>Home</nav><script>x()</script></body></html>", "", "without main text"},
		{"binary named html", "z.html", "<html>\x00\x01\x02", "", "binary"},
		{"page too large", "big.html", big, "", "more than the"},
		{"nesting too deep", "deep.html", deep, "", "not readable"},
		{"long page text bounded", "long.html", longText, "word word", ""},
		{"plain text is not sniffed as HTML", "t.txt", "Gunmen <b>attacked</b> a post.", "<b>attacked</b>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Documents(strings.NewReader(tt.in), tt.file, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.file) || vigil.ErrorCode(err) != vigil.EINVALID {
					t.Fatalf("err = %v, want EINVALID naming %s with %q", err, tt.file, tt.wantErr)
				}
				return
			}
			if err != nil || len(docs) != 1 {
				t.Fatalf("%d documents, %v", len(docs), err)
			}
			if !strings.Contains(docs[0].Text, tt.wantText) || len(docs[0].Text) > MaxDocument {
				t.Errorf("text (%d bytes) lacks %q: %.300s", len(docs[0].Text), tt.wantText, docs[0].Text)
			}
		})
	}

	// JSON Lines: an HTML text is read as a page; the line's own title and
	// published date win over the page's.
	jl := `{"id":"a","text":"<!doctype html><title>Page title</title><meta property=\"article:published_time\" content=\"2018-01-27\"><nav>menu: 5 killed</nav><p>An ambulance bomb exploded in Kabul.</p>"}` + "\n" +
		`{"id":"b","title":"Mine","published":"2018-01-28T00:00:00Z","text":"<html><body><p>Text b.</p></body></html>"}` + "\n" +
		`{"id":"c","text":"<html><body><script>only</script></body></html>"}`
	var warn bytes.Buffer
	docs, err := Documents(strings.NewReader(jl), "news.jsonl", &warn)
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v (%s)", len(docs), err, warn.String())
	}
	if docs[0].Text != "An ambulance bomb exploded in Kabul." || docs[0].Title != "Page title" || docs[0].Published.Format("2006-01-02") != "2018-01-27" {
		t.Errorf("line 1: %+v", docs[0])
	}
	if docs[1].Title != "Mine" || docs[1].Published.Format("2006-01-02") != "2018-01-28" {
		t.Errorf("line 2: %+v", docs[1])
	}
	if !strings.Contains(warn.String(), "news.jsonl:3: skipped") {
		t.Errorf("warnings %q lack line 3's", warn.String())
	}
}

func TestIsHTML(t *testing.T) {
	for s, want := range map[string]bool{
		"<!DOCTYPE html><html>":               true,
		"  \n<html lang=en>":                  true,
		"<!-- c --><!doctype HTML>":           true,
		"<?xml version=\"1.0\"?><html xmlns>": true,
		"<?xml version=\"1.0\"?><rss>":        false,
		"Gunmen <b>attacked</b>":              false,
		"# Markdown <html>":                   false,
		"<!-- never closed":                   false,
		"":                                    false,
	} {
		if got := IsHTML([]byte(s)); got != want {
			t.Errorf("IsHTML(%q) = %v, want %v", s, got, want)
		}
	}
}

func BenchmarkParseHTML(b *testing.B) {
	page := []byte(newsPage)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ParseHTML(page); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseHTML: no page makes the reader panic, and the text it reads is
// valid UTF-8 within the document bound.
func FuzzParseHTML(f *testing.F) {
	f.Add(newsPage)
	f.Add(`<html><body><p>a<br>b</p><table><tr><td>x</td></tr></table></body></html>`)
	f.Add(`<!doctype html><script>x</script><article><header><h1>t</h1></header><p>&amp;&#0;&#xD800;</p>`)
	f.Fuzz(func(t *testing.T, page string) {
		p, err := ParseHTML([]byte(page))
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Text) && utf8.ValidString(page) || len(p.Text) > MaxDocument {
			t.Fatalf("text of %d bytes, valid %v", len(p.Text), utf8.ValidString(p.Text))
		}
	})
}
