package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// EditLocks checks vigil.EditLocker on two handles of one store, as two
// processes hold them: while one holds the lock the other waits, gives up
// when its context ends, and takes the lock once it is released; a wait
// given up leaves nothing held.
func EditLocks(t *testing.T, a, b vigil.EditLocker) {
	t.Helper()
	unlockA, err := a.LockEdits(ctx)
	must(t, err)

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = b.LockEdits(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the other handle's LockEdits while the lock is held = %v, want the deadline's error", err)
	}
	// The same handle waits too: the lock is not one per process.
	short, cancel = context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = a.LockEdits(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second LockEdits on the same handle = %v, want the deadline's error", err)
	}

	got := make(chan func(), 1)
	go func() {
		unlock, err := b.LockEdits(ctx)
		if err != nil {
			t.Error(err)
			unlock = func() {}
		}
		got <- unlock
	}()
	select {
	case <-got:
		t.Fatal("the other handle took the lock while it was held")
	case <-time.After(300 * time.Millisecond):
	}
	unlockA()
	unlockA() // releasing twice is harmless
	var unlockB func()
	select {
	case unlockB = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the other handle did not take the lock once it was released")
	}
	unlockB()

	// Nothing is left held: the first handle takes it at once.
	short, cancel = context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlock, err := a.LockEdits(short)
	must(t, err)
	unlock()
}
