package wire

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/googleapi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func TestBatch(t *testing.T) {
	segs := []string{"", "  甲<x1/>乙。 ", "\t", "<g1>丙</g1> & 丁"}
	b := NewBatch(segs)
	want := []string{`甲<span translate="no" id="x1"></span>乙。`, `<span id="g1">丙</span> &amp; 丁`}
	if diff := cmp.Diff(want, b.Contents); diff != "" {
		t.Fatalf("Contents (-want +got):\n%s", diff)
	}
	billed := 0
	for _, s := range segs {
		billed += Billed(s)
	}
	if b.Chars() != billed || billed != utf8.RuneCountInString(want[0]+want[1]) {
		t.Errorf("Chars() = %d, sum of Billed = %d, want %d", b.Chars(), billed, utf8.RuneCountInString(want[0]+want[1]))
	}
	got, err := b.Results("test", []string{`A<span translate="no" id="x1"></span>B.`, `<span id="g1">C</span> &amp; D`})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"", "  A<x1/>B. ", "\t", "<g1>C</g1> & D"}, got); diff != "" {
		t.Errorf("Results (-want +got):\n%s", diff)
	}

	// A lost tag fails its segment alone; its slot is left empty.
	got, err = b.Results("test", []string{`AB.`, `<span id="g1">C</span> &amp; D`})
	var se *providers.SegmentErrors
	if !errors.As(err, &se) || len(se.Failed) != 1 || !errors.Is(se.Failed[1], tags.ErrMismatch) || got[1] != "" || got[3] == "" {
		t.Errorf("lost tag: %q, %v", got, err)
	}
	// A reply that does not parse likewise.
	_, err = b.Results("test", []string{`<b>A</b>`, `<span id="g1">C</span> &amp; D`})
	if !errors.As(err, &se) || !errors.Is(se.Failed[1], ErrReply) {
		t.Errorf("bad html: %v", err)
	}
	// The wrong number of replies fails the batch.
	if _, err := b.Results("test", []string{"A"}); providers.ClassOf(err) != providers.BadReply {
		t.Errorf("short reply: %v, want a bad reply", err)
	}
}

func TestFit(t *testing.T) {
	b := NewBatch([]string{"一二三", "四五"})
	if err := b.Fit("test", 2, 5); err != nil {
		t.Errorf("Fit at the limits: %v", err)
	}
	for _, lim := range [][2]int{{1, 5}, {2, 4}} {
		if err := b.Fit("test", lim[0], lim[1]); providers.ClassOf(err) != providers.TooLarge {
			t.Errorf("Fit(%d strings, %d chars) = %v, want too large", lim[0], lim[1], err)
		}
	}
}

func TestClassify(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		want providers.Class
	}{
		{"v3 text too long", status.Error(codes.InvalidArgument, "Text is too long."), providers.TooLarge},
		{"v3 bad language", status.Error(codes.InvalidArgument, "Target language is invalid."), providers.Permanent},
		{"v3 exhausted", status.Error(codes.ResourceExhausted, "quota"), providers.Retryable},
		{"v3 deadline", status.Error(codes.DeadlineExceeded, "deadline"), providers.Retryable},
		{"v3 denied", status.Error(codes.PermissionDenied, "no"), providers.Permanent},
		{"v2 text too long", &googleapi.Error{Code: 400, Message: "Text too long", Errors: []googleapi.ErrorItem{{Reason: "invalid"}}}, providers.TooLarge},
		{"v2 too many segments", &googleapi.Error{Code: 400, Message: "Too many text segments"}, providers.TooLarge},
		{"v2 payload", &googleapi.Error{Code: 400, Message: "Request payload size exceeds the limit: 102400 bytes."}, providers.TooLarge},
		{"v2 413", &googleapi.Error{Code: http.StatusRequestEntityTooLarge}, providers.TooLarge},
		{"v2 414", &googleapi.Error{Code: http.StatusRequestURITooLong}, providers.TooLarge},
		{"v2 bad key", &googleapi.Error{Code: 400, Message: "API key not valid. Please pass a valid API key."}, providers.Permanent},
		{"v2 rate limit", &googleapi.Error{Code: 403, Errors: []googleapi.ErrorItem{{Reason: "userRateLimitExceeded"}}}, providers.Retryable},
		{"v2 daily limit", &googleapi.Error{Code: 403, Errors: []googleapi.ErrorItem{{Reason: "dailyLimitExceeded"}}}, providers.Permanent},
		{"own timeout", fmt.Errorf("post: %w", context.DeadlineExceeded), providers.Retryable},
	}
	for _, tt := range tests {
		if got := Classify(ctx, tt.err, ""); got.Class != tt.want {
			t.Errorf("%s: Classify(%v) = %v, want %v", tt.name, tt.err, got.Class, tt.want)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if got := Classify(canceled, status.Error(codes.Canceled, "x"), ""); got.Class != providers.Canceled {
		t.Errorf("canceled parent: %v", got.Class)
	}
	const key = "AIzaSy-CANARY-0123456789abcdef"
	got := Classify(ctx, &googleapi.Error{Code: 400, Message: "API key not valid: " + key[:16]}, key)
	if msg := got.Error(); msg == "" || strings.Contains(msg, key[:16]) {
		t.Errorf("key piece not redacted: %q", msg)
	}
	var gerr *googleapi.Error
	if !errors.As(got, &gerr) {
		t.Errorf("redaction lost the chain: %v", got)
	}
}
