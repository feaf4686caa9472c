package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/extract"
	"github.com/vigil-osint/vigil/geo"
)

// extracted is one report as `vigil extract` prints it: the events JSON's
// fields, the document it came from and its evidence.
type extracted struct {
	Document string `json:"document"`
	vigil.Report
}

func newExtractCmd(a *app) *cobra.Command {
	var format, lexicon string
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "Read reports of incidents out of article text (plain text, Markdown, JSON Lines; - for stdin)",
		Long: `Read reports of violent incidents out of text, offline, with the span of text
every value came from. FILE may be a text or Markdown file, a folder of them, a JSON
Lines file of {id, source, published, url, title, text}, or - for standard input.
The lexicon (attack words, casualty words, numbers, targets) is data/extract/lexicon.json;
extend it with --lexicon FILE or $VIGIL_EXTRACT_LEXICON.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			x, err := newExtractor(lexicon)
			if err != nil {
				return err
			}
			var out []extracted
			for _, arg := range args {
				docs, err := readInputs(a.stdin, arg, a.stderr)
				if err != nil {
					return err
				}
				for _, d := range docs {
					reps, err := x.Extract(cmd.Context(), d)
					if err != nil {
						fmt.Fprintf(a.stderr, "vigil: %s: skipped: %v\n", d.ID, err)
						continue
					}
					for _, r := range reps {
						out = append(out, extracted{Document: d.ID, Report: r})
					}
				}
			}
			if format == "json" {
				if out == nil {
					out = []extracted{}
				}
				return writeJSON(a.stdout, out)
			}
			t := newTable(a.stdout, "DOCUMENT", "DATE", "PLACE", "COUNTRY", "ADMIN1", "KILLED", "WOUNDED", "TYPE", "PERPETRATORS")
			for _, e := range out {
				var ps []string
				for _, ac := range e.Actors {
					ps = append(ps, ac.Name+" ("+string(ac.Attribution)+")")
				}
				t.row(clip(e.Document, 30), e.DateStart.String(), clip(e.Place.Name, 30), e.Country, e.Admin1,
					e.Killed.String(), e.Wounded.String(), string(e.SubEventType), strings.Join(ps, "; "))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().StringVar(&lexicon, "lexicon", "", "lexicon file to merge over the shipped one (JSON, see data/extract/lexicon.json)")
	return cmd
}

func newExtractor(lexicon string) (*extract.Extractor, error) {
	if lexicon == "" {
		return extract.Default()
	}
	l, err := extract.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	u, err := extract.LoadLexicon(lexicon)
	if err != nil {
		return nil, err
	}
	l.Merge(u)
	return extract.New(extract.Options{Lexicon: l})
}

// maxInput bounds a file read for extraction.
const maxInput = extract.MaxText

// readInputs reads the documents of one argument: stdin, a folder, a JSON
// Lines file or a text file. Files that cannot be text (binary, too
// large, not UTF-8) are skipped with a reason on warn.
func readInputs(stdin io.Reader, arg string, warn io.Writer) ([]extract.Input, error) {
	if arg == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
		if err != nil {
			return nil, fmt.Errorf("extract: stdin: %w", err)
		}
		if reason := badText(b); reason != "" {
			return nil, fmt.Errorf("extract: stdin: %s", reason)
		}
		return []extract.Input{{ID: "-", Text: string(b)}}, nil
	}
	st, err := os.Stat(arg)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if st.IsDir() {
		var out []extract.Input
		err := filepath.WalkDir(arg, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".txt", ".md", ".markdown", ".jsonl", ".text":
				docs, err := readInputs(stdin, p, warn)
				if err != nil {
					fmt.Fprintf(warn, "vigil: %v: skipped\n", err)
					return nil
				}
				out = append(out, docs...)
			}
			return nil
		})
		return out, err
	}
	if strings.HasSuffix(strings.ToLower(arg), ".jsonl") {
		return readJSONL(arg, warn)
	}
	if st.Size() > maxInput {
		return nil, fmt.Errorf("extract: %s: %d bytes, more than the %d read per document", arg, st.Size(), maxInput)
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if reason := badText(b); reason != "" {
		return nil, fmt.Errorf("extract: %s: %s", arg, reason)
	}
	return []extract.Input{{ID: arg, Text: string(b), Title: strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))}}, nil
}

// badText says why bytes are not text to read, or "".
func badText(b []byte) string {
	switch {
	case len(b) == 0:
		return "empty"
	case len(b) > maxInput:
		return fmt.Sprintf("more than the %d bytes read per document", maxInput)
	case !utf8.Valid(b):
		return "not UTF-8 text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)"
	}
	for _, c := range b[:min(len(b), 4096)] {
		if c == 0 {
			return "binary (contains NUL bytes)"
		}
	}
	return ""
}

func readJSONL(path string, warn io.Writer) ([]extract.Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxInput+1)
	var out []extract.Input
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var in extract.Input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			fmt.Fprintf(warn, "vigil: %s:%d: skipped: %v\n", path, line, err)
			continue
		}
		if in.ID == "" {
			in.ID = fmt.Sprintf("%s:%d", path, line)
		}
		out = append(out, in)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("extract: %s:%d: %w", path, line+1, err)
	}
	return out, nil
}

func newEvalExtractCmd(a *app) *cobra.Command {
	var years string
	var misses bool
	cmd := &cobra.Command{
		Use:   "extract FILE",
		Short: "Score text extraction against gold: a Wikipedia incident-list CSV or a JSON Lines gold file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := extract.Default()
			if err != nil {
				return err
			}
			dict, err := actors.Load(a.actorsPath)
			if err != nil {
				return err
			}
			gaz, err := geo.Default()
			if err != nil {
				return err
			}
			gold, err := extract.LoadGold(cmd.Context(), args[0], dict, gaz)
			if err != nil {
				return err
			}
			if years != "" {
				var keep []extract.GoldDoc
				for _, g := range gold {
					if len(g.Incidents) > 0 && len(g.Incidents[0].Date) >= 4 && strings.Contains(years, g.Incidents[0].Date[:4]) {
						keep = append(keep, g)
					}
				}
				gold = keep
			}
			res, err := x.Evaluate(cmd.Context(), gold)
			if err != nil {
				return err
			}
			res.Print(a.stdout)
			if misses {
				for _, m := range res.Misses {
					fmt.Fprintln(a.stdout, "  miss:", m)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&years, "years", "", "score only gold incidents of these years, e.g. 2017,2018,2019")
	cmd.Flags().BoolVar(&misses, "misses", false, "list every miss")
	return cmd
}
