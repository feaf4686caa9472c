// Command vigil is an evidence-graded monitor of violent non-state armed
// groups: it imports event data and reporting, grades and links it, and
// analyses how a group's violence spreads.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
