package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type nop struct{}

func (nop) Translate(ctx context.Context, req Request) ([]string, error) { return req.Segments, nil }

func TestRegistry(t *testing.T) {
	var r Registry
	r.Register(Engine{Name: "b", New: func(Config) (Provider, error) { return nop{}, nil }})
	r.Register(Engine{Name: "a", New: func(Config) (Provider, error) { return nil, errors.New("no key") }})
	if diff := cmp.Diff([]string{"a", "b"}, r.Names()); diff != "" {
		t.Errorf("Names() mismatch (-want +got):\n%s", diff)
	}
	if _, err := r.Open("b", Config{}); err != nil {
		t.Errorf("Open(b) = %v", err)
	}
	if _, err := r.Open("a", Config{}); err == nil || err.Error() != "provider a: no key" {
		t.Errorf("Open(a) = %v, want wrapped factory error", err)
	}
	if _, err := r.Open("zz", Config{}); !errors.Is(err, ErrUnknown) {
		t.Errorf("Open(zz) = %v, want ErrUnknown", err)
	}
}

func TestRegisterPanics(t *testing.T) {
	f := func(Config) (Provider, error) { return nop{}, nil }
	for name, e := range map[string]Engine{"empty name": {New: f}, "nil factory": {Name: "x"}, "duplicate": {Name: "dup", New: f}} {
		t.Run(name, func(t *testing.T) {
			var r Registry
			r.Register(Engine{Name: "dup", New: f})
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%+v) did not panic", e)
				}
			}()
			r.Register(e)
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassOf(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{&Error{Class: Retryable, Err: errors.New("429")}, Retryable},
		{fmt.Errorf("batch 3: %w", &Error{Class: BadReply, Err: errors.New("x")}), BadReply},
		{context.Canceled, Canceled},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), Retryable},
		{timeoutErr{}, Retryable},
		{&url.Error{Op: "Post", URL: "k/x", Err: errors.New("unsupported protocol scheme \"\"")}, Permanent},
		{&url.Error{Op: "Post", URL: "http://127.0.0.1:1", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}, Retryable},
		// A server that goes down closes the connection under a POST, which
		// net/http does not retry itself.
		{&url.Error{Op: "Post", URL: "http://127.0.0.1:1/v1", Err: errors.New("http: server closed idle connection")}, Retryable},
		{errors.New("mystery"), Permanent},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.err); got != tt.want {
			t.Errorf("ClassOf(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	for status, want := range map[int]Class{429: Retryable, 503: Retryable, 500: Retryable, 401: Permanent, 400: Permanent, 403: Permanent} {
		if got := ClassForHTTPStatus(status); got != want {
			t.Errorf("ClassForHTTPStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":     0,
		"3":    3 * time.Second,
		"0.5":  500 * time.Millisecond,
		"junk": 0,
		now.Add(10 * time.Second).Format(http.TimeFormat): 10 * time.Second,
	}
	for in, want := range tests {
		if got := ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	err := fmt.Errorf("x: %w", &Error{Class: Retryable, RetryAfter: time.Second})
	if d, ok := RetryAfterOf(err); !ok || d != time.Second {
		t.Errorf("RetryAfterOf = %v, %v", d, ok)
	}
}
