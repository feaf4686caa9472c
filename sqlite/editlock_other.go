//go:build !unix

package sqlite

import (
	"os"
	"sync"
)

// Where flock is missing, the edit lock holds within one process only:
// held files are remembered by name.
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

func tryLock(f *os.File) (bool, error) {
	heldMu.Lock()
	defer heldMu.Unlock()
	if held[f.Name()] {
		return false, nil
	}
	held[f.Name()] = true
	return true, nil
}

func unlock(f *os.File) {
	heldMu.Lock()
	delete(held, f.Name())
	heldMu.Unlock()
}
