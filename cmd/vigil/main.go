// Command vigil is an evidence-graded monitor of violent non-state armed
// groups: it imports event data and reporting, grades and links it, and
// analyses how a group's violence spreads.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	// VIGIL_CPUPROFILE=FILE writes a CPU profile of the run, for developers.
	if p := os.Getenv("VIGIL_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "vigil: VIGIL_CPUPROFILE:", err)
			os.Exit(1)
		}
		defer f.Close()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}
