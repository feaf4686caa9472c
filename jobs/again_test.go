package jobs

import (
	"context"
	"errors"
	"testing"
)

// again tries until an attempt succeeds, stops at its count, and stops
// when the context ends.
func TestAgain(t *testing.T) {
	errBusy := errors.New("no responders: the cluster is electing a leader")
	for _, tt := range []struct {
		name      string
		failures  int // attempts that fail before one succeeds
		cancel    bool
		wantCalls int
		wantErr   bool
	}{
		{"first time", 0, false, 1, false},
		{"after two failures", 2, false, 3, false},
		{"never", 100, false, attempts, true},
		{"context ended", 100, true, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			err := again(ctx, func() error {
				calls++
				if tt.cancel {
					cancel()
				}
				if calls <= tt.failures {
					return errBusy
				}
				return nil
			})
			if calls != tt.wantCalls || (err != nil) != tt.wantErr {
				t.Errorf("calls %d, error %v; want %d calls, error %v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
}
