// Package parallel runs work over the indexes of a slice on every
// processor: the stores decode and fuse pages of events and reports so.
package parallel

import (
	"errors"
	"runtime"
	"sync"
)

// Go calls work for 0 to n-1, spread over as many goroutines as there are
// processors, each taking a run of at least least indexes (so that fewer
// than 2×least run on one goroutine), and returns a channel that yields
// the errors joined once all are done. A run stops at its first error.
func Go(n, least int, work func(i int) error) <-chan error {
	parts := min(runtime.GOMAXPROCS(0), n/max(least, 1))
	parts = max(parts, 1)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			for i := p * n / parts; i < (p+1)*n/parts; i++ {
				if err := work(i); err != nil {
					errs[p] = err
					return
				}
			}
		})
	}
	done := make(chan error, 1)
	go func() {
		wg.Wait()
		done <- errors.Join(errs...)
	}()
	return done
}

// Do is Go waited for.
func Do(n, least int, work func(i int) error) error { return <-Go(n, least, work) }
