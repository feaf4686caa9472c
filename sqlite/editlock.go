package sqlite

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// LockEdits takes the store's edit lock (vigil.EditLocker): an exclusive
// lock on the file beside the store's named -editlock, which every process
// that opens the store shares, and which the system releases when its
// holder dies. Each call opens the file afresh, so goroutines of one
// process wait for each other too.
func (s *Store) LockEdits(ctx context.Context) (func(), error) {
	f, err := os.OpenFile(s.path+"-editlock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: edit lock: %w", err)
	}
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("sqlite: edit lock: %w", err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("sqlite: edit lock: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			unlock(f)
			f.Close()
		})
	}, nil
}
