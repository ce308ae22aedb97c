package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Class is the kind of failure an engine reports. The pipeline's retry
// decisions and the CLI's exit codes both switch on it.
type Class uint8

// The classes of engine error.
const (
	// Retryable failures may succeed later: 429, 5xx, timeouts.
	Retryable Class = iota + 1
	// Permanent failures will not succeed by retrying: bad credentials,
	// bad requests, exhausted quota. The pipeline stops using the engine.
	Permanent
	// BadReply means the engine answered, but the answer cannot be used as
	// a whole: malformed, truncated, or with the wrong number of results.
	// The pipeline splits the batch and tries the halves.
	BadReply
	// Canceled means the caller's context ended.
	Canceled
	// TooLarge means the request, or one segment in it, is more than the
	// engine takes at once (a context window exceeded, "text too long"). The
	// pipeline splits the batch, and a single segment into parts; it never
	// stops the engine for it.
	TooLarge
)

func (c Class) String() string {
	switch c {
	case Retryable:
		return "retryable"
	case Permanent:
		return "permanent"
	case BadReply:
		return "bad reply"
	case Canceled:
		return "canceled"
	case TooLarge:
		return "too large"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Error is a classified engine error.
type Error struct {
	Class Class
	// Status is the HTTP status or gRPC code number when there was one.
	Status int
	// RetryAfter is how long the engine asked us to wait, or 0.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s (status %d): %v", e.Class, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Class, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of class c whose message is formatted as with
// fmt.Errorf (so %w wraps).
func Errorf(c Class, format string, args ...any) *Error {
	return &Error{Class: c, Err: fmt.Errorf(format, args...)}
}

// ClassOf classifies err. A context error is Canceled; a network timeout or
// other net.Error is Retryable; an *Error reports its own class; anything
// else is Permanent, so an unknown failure stops rather than loops.
func ClassOf(err error) Class {
	if err == nil {
		return 0
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class
	}
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Retryable
	}
	// *url.Error is a net.Error too, but only a network failure inside it
	// (refused, reset, timed out) may clear by waiting: a bad scheme or a
	// certificate problem will not.
	var ue *url.Error
	if errors.As(err, &ue) {
		var inner net.Error
		if errors.As(ue.Err, &inner) || errors.Is(ue.Err, io.EOF) || errors.Is(ue.Err, io.ErrUnexpectedEOF) || connectionLost(ue.Err) {
			return Retryable
		}
		return Permanent
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return Retryable
	}
	return Permanent
}

// connectionLost reports whether err is net/http's word for a connection
// the server closed under a request (it does not export these errors): a
// server going down or restarting, which may clear.
func connectionLost(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "server closed idle connection") || strings.Contains(msg, "transport connection broken")
}

// IsUnreachable reports whether err means the engine could not be reached
// at all: the connection was refused, the host name did not resolve, or
// there was no route. Such a failure is retryable once, but many in a row
// mean the server is down or misconfigured, and the pipeline stops the
// engine rather than retry every batch.
func IsUnreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// RetryAfterOf returns the wait an engine asked for, if any.
func RetryAfterOf(err error) (time.Duration, bool) {
	var pe *Error
	if errors.As(err, &pe) && pe.RetryAfter > 0 {
		return pe.RetryAfter, true
	}
	return 0, false
}

// ClassForHTTPStatus maps an HTTP status to a class: 408, 409, 425, 429 and
// 5xx are retryable; other 4xx are permanent.
func ClassForHTTPStatus(status int) Class {
	switch {
	case status == 408 || status == 409 || status == 425 || status == 429 || status >= 500:
		return Retryable
	case status >= 400:
		return Permanent
	}
	return BadReply
}

// ParseRetryAfter parses an HTTP Retry-After value (seconds or an HTTP date)
// relative to now. It returns 0 when v is empty or unparsable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// SegmentErrors reports results that failed an engine's own validation (a
// dropped tag, an echo of the source, a refusal) while the rest of the batch
// is usable. An engine returns all len(req.Segments) results together with a
// *SegmentErrors; the pipeline keeps the good results and retries the failed
// segments alone.
type SegmentErrors struct {
	Failed map[int]error // by index into Request.Segments
}

func (e *SegmentErrors) Error() string {
	idx := make([]int, 0, len(e.Failed))
	for i := range e.Failed {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	if len(idx) == 0 {
		return "no segment failed"
	}
	return fmt.Sprintf("%d segment(s) failed validation; first, segment %d: %v", len(idx), idx[0], e.Failed[idx[0]])
}
