package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/extract"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest/text"
)

// extracted is one report as `vigil extract` prints it: the events JSON's
// fields, the document it came from and its evidence.
type extracted struct {
	Document string `json:"document"`
	vigil.Report
	// A report read here is in no store: it has no id, document id or
	// time recorded, and these nil fields keep the Report's zero ones
	// ("recorded_at": "0001-01-01T00:00:00Z") out of the output.
	ID         *int64 `json:"id,omitempty"`
	DocumentID *int64 `json:"document_id,omitempty"`
	RecordedAt *int64 `json:"recorded_at,omitempty"`
}

func newExtractCmd(a *app) *cobra.Command {
	var format, lexicon string
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "Read reports of incidents out of article text (plain text, Markdown, HTML, JSON Lines; - for stdin)",
		Long: `Read reports of violent incidents out of text, offline, with the span of text
every value came from. FILE may be a text, Markdown or HTML file, a folder of them, a JSON
Lines file of {id, source, published, url, title, text}, or - for standard input.
An HTML page (.html, .htm, or content starting like a page, also in standard input and
JSON Lines text) is read for its main text only: scripts, styles, navigation, headers,
footers, asides, forms and share/related blocks are left out, <article> or <main> is
preferred, and the page's title and publication date (meta article:published_time,
og:, JSON-LD datePublished, <time datetime>) are kept; the date anchors relative dates.
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
			// Reports are written as they are read, a file at a time, so
			// that memory stays flat over a folder or a long JSON Lines file.
			var emit func(extracted) error
			var t *table
			n := 0
			if format == "json" {
				emit = func(e extracted) error {
					b, err := json.MarshalIndent(e, "  ", "  ")
					if err != nil {
						return err
					}
					sep := ",\n  "
					if n == 0 {
						sep = "[\n  "
					}
					n++
					_, err = fmt.Fprintf(a.stdout, "%s%s", sep, b)
					return err
				}
			} else {
				t = newTable(a.stdout, "DOCUMENT", "DATE", "PLACE", "COUNTRY", "ADMIN1", "KILLED", "WOUNDED", "TYPE", "PERPETRATORS")
				emit = func(e extracted) error {
					var ps []string
					for _, ac := range e.Actors {
						ps = append(ps, ac.Name+" ("+string(ac.Attribution)+")")
					}
					t.row(clipStart(e.Document, 30), e.DateStart.String(), clip(e.Place.Name, 30), e.Country, e.Admin1,
						e.Killed.String(), e.Wounded.String(), string(e.SubEventType), strings.Join(ps, "; "))
					return nil
				}
			}
			for _, arg := range args {
				err := eachInput(a.stdin, arg, a.stderr, func(docs []extract.Input) error {
					for _, d := range docs {
						reps, err := x.Extract(cmd.Context(), d)
						if err != nil {
							fmt.Fprintf(a.stderr, "vigil: %s: skipped: %v\n", d.ID, err)
							continue
						}
						for _, r := range reps {
							if err := emit(extracted{Document: d.ID, Report: r}); err != nil {
								return err
							}
						}
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			if t != nil {
				return t.flush()
			}
			end := "\n]\n"
			if n == 0 {
				end = "[]\n"
			}
			_, err = fmt.Fprint(a.stdout, end)
			return err
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

// eachInput hands fn the documents of one argument, a file at a time:
// "-" for standard input, a folder (its text, Markdown, HTML and JSON
// Lines files), or one file. Files that cannot be text (binary, too
// large, not UTF-8) in a folder are skipped with a reason on warn.
func eachInput(stdin io.Reader, arg string, warn io.Writer, fn func([]extract.Input) error) error {
	if arg == "-" {
		docs, err := text.Documents(stdin, "-", warn)
		if err != nil {
			return err
		}
		return fn(docs)
	}
	paths, err := text.Paths(arg)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	for _, p := range paths {
		docs, err := readFile(p, warn)
		if err != nil && len(paths) > 1 {
			fmt.Fprintf(warn, "vigil: %v: skipped\n", err)
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
	return nil
}

func readFile(path string, warn io.Writer) ([]extract.Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	defer f.Close()
	docs, err := text.Documents(f, path, warn)
	if vigil.ErrorCode(err) == vigil.EINVALID {
		return nil, fmt.Errorf("extract: %s", vigil.ErrorMessage(err))
	}
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	return docs, nil
}

func newEvalExtractCmd(a *app) *cobra.Command {
	var years string
	var misses bool
	cmd := &cobra.Command{
		Use:   "extract FILE",
		Short: "Score text extraction against gold: a Wikipedia incident-list CSV, PLOVER records or a JSON Lines gold file",
		Long: `Score text extraction against gold labels, per field, with incident detection
precision, recall and F1. FILE is a Wikipedia incident-list CSV, a JSON Lines file of gold
documents ({id, text|file, published, incidents, negatives}) or of PLOVER gold records
(detected by their event and event_text fields): an ASSAULT or FIGHT with dead or injured
is an incident, every other event class a text that tells of none, and an ASSAULT or FIGHT
without a count is left out of detection and counted apart. Country accuracy is also given
over the texts that name the incident's place and over those that name none. A FILE that
does not exist is reported and skipped, not failed.`,
		Args: cobra.ExactArgs(1),
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
			if errors.Is(err, fs.ErrNotExist) {
				// The public evaluation sets (../shared/data/eval/) are
				// optional: a missing one is said, not failed.
				fmt.Fprintf(a.stdout, "%s: no such file: evaluation skipped\n", args[0])
				return nil
			}
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
