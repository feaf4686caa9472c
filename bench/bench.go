// Package bench generates realistic large input files from real samples and
// measures vigil against a floor, for the `vigil bench` command and the
// tests that need big files (a run killed half-way, memory that must stay
// flat).
package bench

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// GED writes n GED-shaped rows to w, made from the rows of the real sample
// read from r: each copy gets a new id and relid, and its dates (and year)
// move on by a week per pass over the sample, so that no two rows are the
// same event. It returns the number of rows written.
func GED(w io.Writer, sample io.Reader, n int) (int, error) {
	cr := csv.NewReader(sample)
	rows, err := cr.ReadAll()
	if err != nil {
		return 0, fmt.Errorf("bench: sample: %w", err)
	}
	if len(rows) < 2 {
		return 0, fmt.Errorf("bench: sample has no rows")
	}
	header, rows := rows[0], rows[1:]
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range []string{"id", "relid", "year", "date_start", "date_end"} {
		if _, ok := col[c]; !ok {
			return 0, fmt.Errorf("bench: sample lacks column %s", c)
		}
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	rec := make([]string, len(header))
	for i := 0; i < n; i++ {
		src := rows[i%len(rows)]
		copy(rec, src)
		shift := 7 * (i / len(rows))
		rec[col["id"]] = strconv.Itoa(90_000_000 + i)
		rec[col["relid"]] = src[col["relid"]] + "-g" + strconv.Itoa(i)
		for _, c := range []string{"date_start", "date_end"} {
			d, err := time.Parse("2006-01-02", src[col[c]][:min(10, len(src[col[c]]))])
			if err != nil {
				return i, fmt.Errorf("bench: sample row %d: %s: %w", i%len(rows)+2, c, err)
			}
			d = d.AddDate(0, 0, shift)
			rec[col[c]] = d.Format("2006-01-02")
			if c == "date_start" {
				rec[col["year"]] = strconv.Itoa(d.Year())
			}
		}
		if err := cw.Write(rec); err != nil {
			return i, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// GEDFile writes n generated rows to the file at path.
func GEDFile(path, samplePath string, n int) error {
	s, err := os.Open(samplePath)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer s.Close()
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if _, err := GED(f, s, n); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// SQLiteImport times the sqlite3 shell's own `.import` of a CSV file into a
// bare table of a new database: the floor for any importer on this
// machine. It returns an error when the sqlite3 shell is not installed.
func SQLiteImport(csvPath, dbPath string) (time.Duration, error) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		return 0, fmt.Errorf("bench: the sqlite3 shell is not installed (apt-get install sqlite3): %w", err)
	}
	start := time.Now()
	cmd := exec.Command(bin, dbPath, ".mode csv", ".import "+csvPath+" ged")
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("bench: sqlite3 .import: %v: %s", err, out)
	}
	return time.Since(start), nil
}

// ResetPeakRSS sets the process's peak resident set size to what is
// resident now, so that PeakRSS tells the peak of what follows; where
// /proc does not allow it, the peak stays that of the whole process.
func ResetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSS returns the process's peak resident set size in bytes (VmHWM),
// or 0 where /proc does not tell.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
