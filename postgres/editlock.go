package postgres

import (
	"context"
	"fmt"
	"sync"
)

// editLockKey is the advisory lock of the edits of the store's schema.
const editLockKey = `hashtext('vigil edits ' || current_schema())`

// LockEdits takes the store's edit lock (vigil.EditLocker): a PostgreSQL
// advisory lock, one for each schema, held by a connection set apart from
// the pool until it is released, so that every process and goroutine that
// uses the schema waits for it, and a holder's death releases it with its
// session.
func (s *Store) LockEdits(ctx context.Context) (func(), error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: edit lock: %w", err)
	}
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock(`+editLockKey+`)`); err != nil {
		c.Release()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("postgres: edit lock: %w", err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// A failed unlock leaves the session holding the lock: close
			// the connection instead of returning it to the pool.
			if _, err := c.Exec(context.Background(), `SELECT pg_advisory_unlock(`+editLockKey+`)`); err != nil {
				c.Conn().Close(context.Background())
			}
			c.Release()
		})
	}, nil
}
