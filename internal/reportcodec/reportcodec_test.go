package reportcodec

import (
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/ucdp"
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
	data := string(Append(nil, r))
	if !IsBinary(data) {
		t.Fatalf("encoded report does not start with the version byte")
	}
	back := vigil.Report{ID: r.ID, DocumentID: r.DocumentID, EventID: r.EventID}
	if err := Decode(data, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// sampleReports reads the reports of the real UCDP sample.
func sampleReports(t testing.TB) []vigil.Report {
	t.Helper()
	f, err := os.Open("../../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := ucdp.NewReader(f, "sample.csv", "23.1", dict)
	if err != nil {
		t.Fatal(err)
	}
	var out []vigil.Report
	at := time.Date(2026, 11, 30, 7, 3, 11, 564248733, time.UTC)
	for {
		it, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range it.Reports {
			r.RecordedAt = at
			out = append(out, r)
		}
	}
	if len(out) < 900 {
		t.Fatalf("read %d reports from the sample, want 905", len(out))
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
		panic("reportcodec test: fill " + v.Type().String() + ": add the kind")
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
	bin := string(Append(nil, &r))
	for name, data := range map[string]string{"json": string(js), "binary": bin} {
		got := vigil.Report{ID: 7, DocumentID: 8, EventID: 9}
		if err := Decode(data, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := viaJSON(t, &r)
		want.ID, want.DocumentID, want.EventID = 7, 8, 9
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded %+v, want %+v", name, got, want)
		}
		if k, err := EventKey(data); err != nil || k != "ucdp-ged:1" {
			t.Errorf("%s: EventKey = %q, %v", name, k, err)
		}
		if j, err := JSON(data); err != nil || j != string(js) {
			t.Errorf("%s: JSON = %s, %v; want %s", name, j, err, js)
		}
	}
}

// Damaged values are errors, never panics or huge allocations.
func TestDamaged(t *testing.T) {
	r := sampleReports(t)[3]
	bin := string(Append(nil, &r))
	for _, data := range []string{bin[:1], bin[:len(bin)/2], bin[:len(bin)-1], bin + "x", "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"} {
		var got vigil.Report
		if err := Decode(data, &got); err == nil {
			t.Errorf("Decode(%q) accepted a damaged report", data[:min(len(data), 20)])
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, r := range sampleReports(f)[:20] {
		f.Add(string(Append(nil, &r)))
	}
	f.Fuzz(func(t *testing.T, data string) {
		var r vigil.Report
		if Decode(data, &r) == nil && IsBinary(data) {
			// What decodes encodes back to a value that decodes the same.
			again := viaBinary(t, &r)
			if !reflect.DeepEqual(again, r) {
				t.Fatalf("decoded %+v, again %+v", r, again)
			}
		}
		EventKey(data)
	})
}

func BenchmarkDecode(b *testing.B) {
	reps := sampleReports(b)
	bins := make([]string, len(reps))
	jsons := make([]string, len(reps))
	for i := range reps {
		bins[i] = string(Append(nil, &reps[i]))
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
				if err := Decode(c.data[i%len(c.data)], &r); err != nil {
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
			buf = Append(buf[:0], &reps[i%len(reps)])
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
