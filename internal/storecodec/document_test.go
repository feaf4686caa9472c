package storecodec

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// canonical is a document as its JSON form holds it: what a store reading
// either form must give.
func canonical(t testing.TB, d *vigil.Document) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back vigil.Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(&back); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func docViaBinary(t testing.TB, d *vigil.Document) vigil.Document {
	t.Helper()
	data := string(AppendDocument(nil, d))
	if !IsBinary(data) {
		t.Fatalf("encoded document does not start with the version byte")
	}
	var back vigil.Document
	if err := DecodeDocument(data, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// sampleDocuments returns the documents of the real UCDP sample, as an
// import stores them.
func sampleDocuments(t testing.TB) []vigil.Document {
	t.Helper()
	var out []vigil.Document
	for _, it := range sampleItems(t) {
		d := it.Document
		d.ID, d.SourceID, d.BatchID, d.RecordedAt, d.Marking = int64(len(out)+1), 3, 7, recordedAt, vigil.TLPClear
		out = append(out, d)
	}
	return out
}

// The binary form stores what the JSON form stores, in less: every
// document of the real sample reads back as its JSON does.
func TestDocumentsSameAsJSON(t *testing.T) {
	var js, bin int
	for _, d := range sampleDocuments(t) {
		got := docViaBinary(t, &d)
		if a, b := canonical(t, &got), canonical(t, &d); a != b {
			t.Fatalf("document %s:\nbinary %s\n  json %s", d.Key, a, b)
		}
		j, _ := json.Marshal(&d)
		js, bin = js+len(j), bin+len(AppendDocument(nil, &d))
	}
	if bin*10 > js*7 {
		t.Errorf("the sample's documents take %d bytes in the binary form against %d as JSON: want at most 70%%", bin, js)
	}
	t.Logf("the sample's documents: %d bytes as JSON, %d in the binary form", js, bin)
}

// Every field of a document survives, filled by reflection so that a
// field added to vigil.Document and not to the codec fails here; times
// come in UTC, in other zones and zero, hashes as SHA-256s and not.
func TestEveryDocumentFieldSameAsJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	zones := []*time.Location{time.UTC, time.FixedZone("AFT", 4*3600+1800), time.FixedZone("", -5*3600), time.Local}
	for i := range 2000 {
		var d vigil.Document
		fill(rng, reflect.ValueOf(&d).Elem())
		switch rng.IntN(3) {
		case 0:
			d.ContentHash = vigil.HashContent(d.Text)
		case 1:
			d.Published = time.Time{}
		}
		d.Published = d.Published.In(zones[rng.IntN(len(zones))])
		got := docViaBinary(t, &d)
		if a, b := canonical(t, &got), canonical(t, &d); a != b {
			t.Fatalf("document %d:\nbinary %s\n  json %s", i, a, b)
		}
	}
}

// A store may hold documents as JSON: they decode as before, and
// DocumentJSON gives a binary one back as its JSON form.
func TestDocumentEitherForm(t *testing.T) {
	d := sampleDocuments(t)[0]
	d.Published = time.Date(2023, 1, 2, 3, 4, 5, 6, time.FixedZone("", 16200))
	js, _ := json.Marshal(&d)
	bin := string(AppendDocument(nil, &d))
	for name, data := range map[string]string{"json": string(js), "binary": bin} {
		got := vigil.Document{Title: "left over"}
		if err := DecodeDocument(data, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a, b := canonical(t, &got), canonical(t, &d); a != b {
			t.Errorf("%s: decoded %s, want %s", name, a, b)
		}
		if j, err := DocumentJSON(data); err != nil || j != string(js) {
			t.Errorf("%s: DocumentJSON = %s, %v; want %s", name, j, err, js)
		}
	}
}

// Damaged documents are errors, never panics; a report's first form is
// not a document.
func TestDocumentDamaged(t *testing.T) {
	d := sampleDocuments(t)[3]
	bin := string(AppendDocument(nil, &d))
	for _, data := range []string{bin[:1], bin[:len(bin)/2], bin[:len(bin)-1], bin + "x", "\x01" + bin[1:],
		"\x02\x00\x00\x00\x00\x00\x07"} { // Published of an unknown kind
		var got vigil.Document
		if err := DecodeDocument(data, &got); err == nil {
			t.Errorf("DecodeDocument(%q) accepted a damaged document", data[:min(len(data), 20)])
		}
	}
}

func FuzzDecodeDocument(f *testing.F) {
	for _, d := range sampleDocuments(f)[:20] {
		f.Add(string(AppendDocument(nil, &d)))
	}
	f.Fuzz(func(t *testing.T, data string) {
		var d vigil.Document
		if DecodeDocument(data, &d) == nil && IsBinary(data) {
			// What decodes encodes back to a value that decodes the same.
			again := docViaBinary(t, &d)
			if a, b := canonical(t, &again), canonical(t, &d); a != b {
				t.Fatalf("decoded %s, again %s", b, a)
			}
		}
	})
}

func BenchmarkDocument(b *testing.B) {
	docs := sampleDocuments(b)
	bins := make([]string, len(docs))
	jsons := make([]string, len(docs))
	for i := range docs {
		bins[i] = string(AppendDocument(nil, &docs[i]))
		j, _ := json.Marshal(&docs[i])
		jsons[i] = string(j)
	}
	for _, c := range []struct {
		name string
		data []string
	}{{"decode binary", bins}, {"decode json", jsons}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var d vigil.Document
				if err := DecodeDocument(c.data[i%len(c.data)], &d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("encode binary", func(b *testing.B) {
		var buf []byte
		for i := 0; b.Loop(); i++ {
			buf = AppendDocument(buf[:0], &docs[i%len(docs)])
		}
	})
}
