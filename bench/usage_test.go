package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// ReadUsage sees the CPU time a step spends and, where /proc tells, the
// bytes it writes to storage.
func TestReadUsage(t *testing.T) {
	before := ReadUsage()
	x := 0
	for i := range 50_000_000 {
		x ^= i * i
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(make([]byte, 4<<20)); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	d := ReadUsage().Sub(before)
	if d.CPU <= 0 {
		t.Errorf("CPU time of a busy loop = %v (x %d), want more than none", d.CPU, x)
	}
	if _, err := os.Stat("/proc/self/io"); err != nil {
		t.Skip("no /proc/self/io here: written bytes are not told")
	}
	if d.Written == 0 {
		t.Skip("TMPDIR is on a file system that counts no writes to storage (tmpfs)")
	}
	if d.Written < 4<<20 {
		t.Errorf("written = %d bytes after 4 MiB synced, want at least 4 MiB", d.Written)
	}
}
