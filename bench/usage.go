package bench

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Usage is what the process has used so far: CPU time (user and system,
// all threads) and the bytes it had written to storage (/proc/self/io's
// write_bytes, -1 where /proc does not tell). Take one before and one
// after a step and subtract: CPU time tells what a step cost on a shared
// machine better than its wall time, and the bytes tell how many times a
// store rewrote what it holds.
type Usage struct {
	CPU     time.Duration
	Written int64
}

// ReadUsage returns the process's usage so far.
func ReadUsage() Usage {
	u := Usage{Written: -1}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		u.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if b, err := os.ReadFile("/proc/self/io"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "write_bytes:"); ok {
				u.Written, _ = strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			}
		}
	}
	return u
}

// Sub returns what u used since before; Written is -1 when either does
// not tell.
func (u Usage) Sub(before Usage) Usage {
	d := Usage{CPU: u.CPU - before.CPU, Written: u.Written - before.Written}
	if u.Written < 0 || before.Written < 0 {
		d.Written = -1
	}
	return d
}
