package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	for _, tc := range []struct{ n, least int }{{0, 1}, {1, 1}, {7, 1}, {1000, 1}, {100, 64}, {1000, 64}} {
		seen := make([]atomic.Int32, tc.n)
		if err := Do(tc.n, tc.least, func(i int) error { seen[i].Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("n %d, least %d: index %d done %d times, want once", tc.n, tc.least, i, seen[i].Load())
			}
		}
	}
	bad := errors.New("bad")
	if err := Do(100, 1, func(i int) error {
		if i == 42 {
			return bad
		}
		return nil
	}); !errors.Is(err, bad) {
		t.Errorf("Do = %v, want the work's error", err)
	}
}
