package casefile_test

import (
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/ingest/casefile"
)

// TestDemoComposition: the demo case holds ISKP's structure claim by claim
// (the three founding streams, the two layers, the recruits after 2021),
// each sourced and graded, with the Taliban's denial of a foreign core
// beside the claim it contradicts.
func TestDemoComposition(t *testing.T) {
	f, err := data.Files.Open(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := casefile.NewReader(f, demoPath, dict(t))
	if err != nil {
		t.Fatal(err)
	}
	claims, err := r.Composition()
	if err != nil {
		t.Fatal(err)
	}
	from := map[string]bool{}
	layers := map[string]int{}
	var claimIDs []*vigil.CompositionClaim
	for i, c := range claims {
		if c.Actor != "iskp" || len(c.Documents) == 0 || c.Credibility == 0 {
			t.Errorf("claim %d: %+v: want an ISKP claim with documents and a credibility", i+1, c)
		}
		from[c.FromActor] = true
		layers[string(c.Kind)+":"+c.Layer]++
		cc := c.CompositionClaim
		cc.ID = int64(i + 1)
		claimIDs = append(claimIDs, &cc)
	}
	for _, a := range []string{"ttp", "imu", "etim", "is"} {
		if !from[a] {
			t.Errorf("no founding stream from %s", a)
		}
	}
	for _, l := range []string{"layer:outer layer", "layer:core", "recruitment:outer layer"} {
		if layers[l] == 0 {
			t.Errorf("no claim about %s", l)
		}
	}
	if cf := vigil.CompositionConflicts(claimIDs); len(cf) == 0 {
		t.Error("the Taliban's denial of a foreign core conflicts with no claim")
	}
}

func TestCompositionCitesItsDocuments(t *testing.T) {
	tests := []struct {
		name, claim, wantErr string
	}{
		{"cites a document of the file", `{"actor":"iskp","kind":"layer","layer":"core","what":"foreign militants","documents":[{"source":"Wire","key":"a"}]}`, ""},
		{"denies", `{"actor":"iskp","kind":"layer","layer":"core","what":"foreign militants","stance":"denies","documents":[{"source":"Wire","key":"a"}]}`, ""},
		{"cites a document elsewhere", `{"actor":"iskp","kind":"layer","layer":"core","what":"x","documents":[{"source":"Wire","key":"zzz"}]}`, "Wire/zzz is not a document of the case file"},
		{"cites nothing", `{"actor":"iskp","kind":"layer","layer":"core","what":"x","documents":[]}`, "needs the documents that make it"},
		{"unknown kind", `{"actor":"iskp","kind":"faction","layer":"core","what":"x","documents":[{"source":"Wire","key":"a"}]}`, "faction"},
		{"no layer", `{"actor":"iskp","kind":"layer","what":"x","documents":[{"source":"Wire","key":"a"}]}`, "layer required"},
		{"ends before it starts", `{"actor":"iskp","kind":"origin","layer":"s","what":"x","valid_from":"2015-01-01","valid_to":"2014-01-01","documents":[{"source":"Wire","key":"a"}]}`, "before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := `{"title":"t","sources":[{"name":"Wire","kind":"news","reliability":"B"}],
				"documents":[{"source":"Wire","key":"a","title":"x"}],"composition":[` + tt.claim + `]}`
			r, err := casefile.NewReader(strings.NewReader(in), "case.json", nil)
			if err != nil {
				t.Fatal(err)
			}
			claims, _ := r.Composition()
			err = firstRejection(t, r)
			switch {
			case tt.wantErr == "" && (err != nil || len(claims) != 1):
				t.Errorf("got %d, %v; want the claim", len(claims), err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one with %q", err, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), "case.json:2: composition"): // the claim's line
				t.Errorf("err = %v, want it to name the file, row and field", err)
			}
		})
	}
}
