package storecodec

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/storetest"
)

// viaJSON is what the JSON form stores of r and reads back.
func viaJSON(t testing.TB, r *vigil.Report) vigil.Report {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back vigil.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

func viaBinary(t testing.TB, r *vigil.Report) vigil.Report {
	t.Helper()
	data := string(AppendReport(nil, r))
	if !IsBinary(data) {
		t.Fatalf("encoded report does not start with the version byte")
	}
	back := vigil.Report{ID: r.ID, DocumentID: r.DocumentID, EventID: r.EventID}
	if err := DecodeReport(data, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// recordedAt is when the sample's reports and documents are recorded.
var recordedAt = time.Date(2026, 11, 30, 7, 3, 11, 564248733, time.UTC)

// sampleItems reads the items of the real UCDP sample.
func sampleItems(t testing.TB) []vigil.Item {
	t.Helper()
	items, _ := storetest.UCDPSample(t, "../../testdata/ucdp/ucdp_ged231_sample.csv")
	return items
}

// sampleReports returns the reports of the real UCDP sample, as an import
// stores them.
func sampleReports(t testing.TB) []vigil.Report {
	t.Helper()
	var out []vigil.Report
	for _, it := range sampleItems(t) {
		for _, r := range it.Reports {
			r.RecordedAt = recordedAt
			out = append(out, r)
		}
	}
	return out
}

// The binary form stores what the JSON form stores: every report of the
// real sample comes back as its JSON comes back.
func TestSampleSameAsJSON(t *testing.T) {
	for _, r := range sampleReports(t) {
		if got, want := viaBinary(t, &r), viaJSON(t, &r); !reflect.DeepEqual(got, want) {
			t.Fatalf("report %s:\nbinary %+v\n  json %+v", r.Key, got, want)
		}
	}
}

// Every field of a report survives, filled by reflection so that a field
// added to vigil.Report (or the types it holds) and not to the codec fails
// here; values include strings that are not valid UTF-8, unknown counts,
// nil and empty lists, and extreme numbers.
func TestEveryFieldSameAsJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		var r vigil.Report
		fill(rng, reflect.ValueOf(&r).Elem())
		got, want := viaBinary(t, &r), viaJSON(t, &r)
		// JSON keeps the ids; the binary form leaves them to the columns.
		want.ID, want.DocumentID, want.EventID = r.ID, r.DocumentID, r.EventID
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("report %d:\nbinary %+v\n  json %+v", i, got, want)
		}
	}
}

var (
	dateType = reflect.TypeFor[vigil.Date]()
	numType  = reflect.TypeFor[vigil.Num]()
	timeType = reflect.TypeFor[time.Time]()
)

func fill(rng *rand.Rand, v reflect.Value) {
	switch v.Type() {
	case dateType:
		if rng.IntN(8) > 0 {
			v.Set(reflect.ValueOf(vigil.NewDate(1+rng.IntN(9998), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))))
		}
		return
	case numType:
		if rng.IntN(4) > 0 {
			v.Set(reflect.ValueOf(vigil.N(int(rng.Int64()) >> rng.IntN(64))))
		}
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Unix(rng.Int64N(1<<36)-1<<35, rng.Int64N(1e9)).UTC()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(randString(rng))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(rng.Int64() >> rng.IntN(64))
	case reflect.Float64:
		v.SetFloat(rng.NormFloat64() * 1e3)
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Pointer:
		if rng.IntN(4) > 0 {
			p := reflect.New(v.Type().Elem())
			fill(rng, p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		if n := rng.IntN(4); n > 0 {
			s := reflect.MakeSlice(v.Type(), n, n)
			for i := range n {
				fill(rng, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Map:
		if n := rng.IntN(4); n > 0 {
			m := reflect.MakeMap(v.Type())
			for range n {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(rng, k)
				fill(rng, e)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(rng, v.Field(i))
			}
		}
	default:
		panic("storecodec test: fill " + v.Type().String() + ": add the kind")
	}
}

func randString(rng *rand.Rand) string {
	parts := []string{"", "ISKP", "Wilayat Khurasan", "ولایت خراسان", "Kabul\n\"airport\"", "<b>&", "\xff\xfe", "a\x00b", "ücdp.adm_1"}
	var b strings.Builder
	for range rng.IntN(3) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

// A store may hold reports in either form: JSON decodes, EventKey reads
// both, and JSON gives a binary report back as the JSON form.
func TestEitherForm(t *testing.T) {
	r := sampleReports(t)[0]
	r.EventKey = "ucdp-ged:1"
	js, _ := json.Marshal(&r)
	bin := string(AppendReport(nil, &r))
	for name, data := range map[string]string{"json": string(js), "binary": bin} {
		got := vigil.Report{ID: 7, DocumentID: 8, EventID: 9}
		if err := DecodeReport(data, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := viaJSON(t, &r)
		want.ID, want.DocumentID, want.EventID = 7, 8, 9
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded %+v, want %+v", name, got, want)
		}
		if k, err := ReportEventKey(data); err != nil || k != "ucdp-ged:1" {
			t.Errorf("%s: EventKey = %q, %v", name, k, err)
		}
		if j, err := ReportJSON(data); err != nil || j != string(js) {
			t.Errorf("%s: JSON = %s, %v; want %s", name, j, err, js)
		}
	}
}

// v1Reports reads testdata/v1.jsonl: reports as the first binary form
// stored them (written by its encoder, before the second form), each
// beside its JSON form, from the real UCDP sample and filled by
// reflection.
func v1Reports(t testing.TB) (v1, js []string) {
	t.Helper()
	f, err := os.Open("testdata/v1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ JSON, V1 string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		b, err := base64.StdEncoding.DecodeString(line.V1)
		if err != nil {
			t.Fatal(err)
		}
		v1, js = append(v1, string(b)), append(js, line.JSON)
	}
	if err := sc.Err(); err != nil || len(v1) < 70 {
		t.Fatalf("read %d reports: %v", len(v1), err)
	}
	return v1, js
}

// Stores keep reports in the first binary form too: each decodes as its
// JSON form does, and its event key reads.
func TestVersion1(t *testing.T) {
	v1, js := v1Reports(t)
	for i := range v1 {
		if !IsBinary(v1[i]) || v1[i][0] != version1 {
			t.Fatalf("report %d: not in the first form", i)
		}
		var want vigil.Report
		if err := json.Unmarshal([]byte(js[i]), &want); err != nil {
			t.Fatal(err)
		}
		got := vigil.Report{ID: want.ID, DocumentID: want.DocumentID, EventID: want.EventID}
		if err := DecodeReport(v1[i], &got); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("report %d:\nfirst form %+v\n      json %+v", i, got, want)
		}
		if k, err := ReportEventKey(v1[i]); err != nil || k != want.EventKey {
			t.Errorf("report %d: EventKey = %q, %v; want %q", i, k, err, want.EventKey)
		}
		// Written again, it takes the second form and reads the same.
		if again := viaBinary(t, &got); !reflect.DeepEqual(again, got) {
			t.Fatalf("report %d written again:\n%+v\nwant %+v", i, again, got)
		}
	}
}

// A string held twice is written out once, and a dictionary string not at
// all: the second form stores what the first did in less.
func TestStringsStoredOnce(t *testing.T) {
	base := vigil.Report{Key: "ged:1", Actors: []vigil.ReportActor{{Name: "Government of Syria", AsWritten: "Government of Syriz"}},
		Attrs: map[string]string{"xcdp.dyad_name": "v"}}
	size := len(AppendReport(nil, &base))
	twice := base
	twice.Actors = []vigil.ReportActor{{Name: "Government of Syria", AsWritten: "Government of Syria"}}
	if n := len(AppendReport(nil, &twice)); n > size-len("Government of Syria")+3 {
		t.Errorf("a name held twice takes %d bytes, the report with two names %d: want the second stored as a reference", n, size)
	}
	known := base
	known.Attrs = map[string]string{"ucdp.dyad_name": "v"}
	if n := len(AppendReport(nil, &known)); n > size-len("ucdp.dyad_name")+2 {
		t.Errorf("a dictionary key takes %d bytes against %d for a key of as many bytes not in it", n, size)
	}
	// Over the real sample, the second form is much shorter than the first.
	v1, js := v1Reports(t)
	var first, second int
	for i := range v1 {
		var r vigil.Report
		if err := json.Unmarshal([]byte(js[i]), &r); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(r.Key, "ged:") {
			first += len(v1[i])
			second += len(AppendReport(nil, &r))
		}
	}
	if second*10 > first*7 {
		t.Errorf("UCDP reports take %d bytes in the second form against %d in the first: want at most 70%%", second, first)
	}
	t.Logf("UCDP reports: %d bytes in the first form, %d in the second", first, second)
}

// The dictionary only grows at its end: stored reports refer to its
// strings by position, so changing, moving or removing one would change
// what they read. Its first 284 strings are the ones of the second form's
// first release.
func TestDictionaryGrowsOnlyAtItsEnd(t *testing.T) {
	const released, sum = 284, "940e810308a59ab4dd89e04de06556ee24098a87702f8d3002db471033d7f1e9"
	h := sha256.New()
	for _, s := range dict[:released] {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		t.Errorf("the dictionary's first %d strings hash to %s, want %s: add new strings at its end only", released, got, sum)
	}
	if len(dictIndex) != len(dict) {
		t.Errorf("the dictionary holds %d strings, %d of them different: each must appear once", len(dict), len(dictIndex))
	}
}

// Damaged values are errors, never panics or huge allocations.
func TestDamaged(t *testing.T) {
	r := sampleReports(t)[3]
	bin := string(AppendReport(nil, &r))
	bad := []string{
		"\x02\x01",     // the key refers to its own tag
		"\x02\x00\x05", // the event key refers forward, to its own tag
		"\x02\x03\x01", // the event key refers to a dictionary string's tag
		"\x02\xff\x7f", // a dictionary string past the dictionary's end
	}
	for _, data := range append(bad, bin[:1], bin[:len(bin)/2], bin[:len(bin)-1], bin+"x", "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff") {
		var got vigil.Report
		if err := DecodeReport(data, &got); err == nil {
			t.Errorf("DecodeReport(%q) accepted a damaged report", data[:min(len(data), 20)])
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, r := range sampleReports(f)[:20] {
		f.Add(string(AppendReport(nil, &r)))
	}
	v1, _ := v1Reports(f)
	for _, data := range v1[:10] {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var r vigil.Report
		if DecodeReport(data, &r) == nil && IsBinary(data) {
			// What decodes encodes back to a value that decodes the same,
			// as the JSON form sees it: a damaged value may hold bytes
			// that are not UTF-8, which both write as U+FFFD.
			again := viaBinary(t, &r)
			if a, b := viaJSON(t, &again), viaJSON(t, &r); !reflect.DeepEqual(a, b) {
				t.Fatalf("decoded %+v, again %+v", b, a)
			}
		}
		ReportEventKey(data)
	})
}

func BenchmarkDecode(b *testing.B) {
	reps := sampleReports(b)
	bins := make([]string, len(reps))
	jsons := make([]string, len(reps))
	for i := range reps {
		bins[i] = string(AppendReport(nil, &reps[i]))
		js, _ := json.Marshal(&reps[i])
		jsons[i] = string(js)
	}
	for _, c := range []struct {
		name string
		data []string
	}{{"binary", bins}, {"json", jsons}} {
		b.Run(c.name, func(b *testing.B) {
			size := 0
			for _, d := range c.data {
				size += len(d)
			}
			b.ReportMetric(float64(size)/float64(len(c.data)), "bytes/report")
			for i := 0; b.Loop(); i++ {
				var r vigil.Report
				if err := DecodeReport(c.data[i%len(c.data)], &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	reps := sampleReports(b)
	b.Run("binary", func(b *testing.B) {
		var buf []byte
		for i := 0; b.Loop(); i++ {
			buf = AppendReport(buf[:0], &reps[i%len(reps)])
		}
	})
	b.Run("json", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := json.Marshal(&reps[i%len(reps)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
