package watch

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
)

// The headers of a delivery. The signature is "sha256=" and the hex
// HMAC-SHA256, under the shared secret, of the timestamp, a dot and the
// body, so that a receiver can refuse replays of old deliveries.
const (
	HeaderSignature = "X-Vigil-Signature"
	HeaderTimestamp = "X-Vigil-Timestamp"
	HeaderDelivery  = "X-Vigil-Delivery" // the alert id: the same on every retry
)

// Sign returns the signature header value of a body sent at timestamp ts
// (Unix seconds, as written in the timestamp header).
func Sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is the signature of body sent at ts, in
// constant time.
func Verify(secret []byte, ts string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig))
}

// Payload is the JSON body of a delivery.
type Payload struct {
	Alert *vigil.Alert `json:"alert"`
}

// Deliverer POSTs alerts to their webhooks.
type Deliverer struct {
	Client *http.Client
	// Secret signs every delivery; a Deliverer without one refuses to
	// deliver.
	Secret []byte
	// Attempts is how many times one delivery is tried (default 5);
	// Backoff the wait after the first failure (default 1 s), doubled
	// after each further one up to MaxBackoff (default 1 min), with up to
	// a quarter more at random so that receivers are not hit in step.
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Now and Sleep may be replaced by tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// permanentError is a failure that retrying cannot mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Deliver POSTs the alert to its webhook, retrying network failures and
// 408, 429 and 5xx answers with backoff, and records in a the attempts,
// the last error and whether it was delivered. Other 4xx answers stop the
// retries: the receiver refuses the alert.
func (d *Deliverer) Deliver(ctx context.Context, a *vigil.Alert) error {
	if a.Webhook == "" {
		return vigil.Errorf(vigil.EINVALID, "alert %d has no webhook", a.ID)
	}
	if len(d.Secret) == 0 {
		return vigil.Errorf(vigil.EINVALID, "watch: no webhook secret: deliveries are always signed")
	}
	body, err := json.Marshal(Payload{Alert: a})
	if err != nil {
		return fmt.Errorf("watch: alert %d: %w", a.ID, err)
	}
	attempts, wait := d.Attempts, d.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if wait <= 0 {
		wait = time.Second
	}
	maxWait := d.MaxBackoff
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	for i := 0; i < attempts; i++ {
		if i > 0 {
			jitter := time.Duration(rand.Int64N(int64(wait)/4 + 1))
			if err := d.sleep(ctx, wait+jitter); err != nil {
				return err
			}
			wait = min(2*wait, maxWait)
		}
		a.Attempts++
		err = d.post(ctx, a, body)
		if err == nil {
			a.Delivered, a.LastError, a.DeliveredAt = true, "", d.now()
			return nil
		}
		a.LastError = err.Error()
		var perm *permanentError
		if errors.As(err, &perm) || ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("watch: alert %d to %s: %w", a.ID, a.Webhook, err)
}

func (d *Deliverer) post(ctx context.Context, a *vigil.Alert, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.Webhook, bytes.NewReader(body))
	if err != nil {
		return &permanentError{err}
	}
	ts := strconv.FormatInt(d.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "vigil-watch")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(d.Secret, ts, body))
	req.Header.Set(HeaderDelivery, strconv.FormatInt(a.ID, 10))
	client := d.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return fmt.Errorf("HTTP %d: %s", c, strings.TrimSpace(string(msg)))
	default:
		return &permanentError{fmt.Errorf("HTTP %d: %s", c, strings.TrimSpace(string(msg)))}
	}
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now().UTC()
}

func (d *Deliverer) sleep(ctx context.Context, w time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, w)
	}
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// DeliverPending delivers every alert whose webhook has not taken it yet,
// oldest first, and saves each one's delivery state. It returns how many
// were delivered and the failures, joined.
func DeliverPending(ctx context.Context, s vigil.WatchService, d *Deliverer) (int, error) {
	pending, err := s.FindAlerts(ctx, vigil.AlertFilter{Undelivered: true})
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for i := len(pending) - 1; i >= 0; i-- {
		a := pending[i]
		derr := d.Deliver(ctx, a)
		if err := s.UpdateAlertDelivery(context.WithoutCancel(ctx), a); err != nil {
			return n, err
		}
		if derr != nil {
			errs = append(errs, derr)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
