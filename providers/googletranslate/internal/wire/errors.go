package wire

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/googleapis/gax-go/v2/apierror"
	"google.golang.org/api/googleapi"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/diglot/diglot/providers"
)

// Classify turns an error from either client library into a
// *providers.Error. parent is the caller's context: when it has ended,
// that is the cause (an engine's own per-request timeout is not, and is
// retryable). secret, when set, is redacted from the message; the chain
// is kept, so a refused connection stays recognisable to
// providers.IsUnreachable.
func Classify(parent context.Context, err error, secret string) *providers.Error {
	if err == nil {
		return nil
	}
	err = providers.RedactError(err, secret)
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe
	}
	if parent.Err() != nil {
		return &providers.Error{Class: providers.Canceled, Err: err}
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		return classifyHTTP(gerr, err)
	}
	if s, ok := status.FromError(err); ok && s.Code() != codes.OK {
		return classifyGRPC(s, err)
	}
	if errors.Is(err, context.Canceled) {
		return &providers.Error{Class: providers.Canceled, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &providers.Error{Class: providers.Retryable, Err: err}
	}
	return &providers.Error{Class: providers.ClassOf(err), Err: err}
}

// classifyHTTP classifies a v2 REST error by status, reason and message.
func classifyHTTP(gerr *googleapi.Error, err error) *providers.Error {
	e := &providers.Error{Status: gerr.Code, Err: err}
	if gerr.Header != nil {
		e.RetryAfter = providers.ParseRetryAfter(gerr.Header.Get("Retry-After"), time.Now())
	}
	switch {
	case gerr.Code == http.StatusForbidden && rateLimited(gerr):
		e.Class = providers.Retryable
	case gerr.Code == http.StatusRequestEntityTooLarge || gerr.Code == http.StatusRequestURITooLong,
		gerr.Code == http.StatusBadRequest && tooLarge(gerr.Message):
		// Too big a request is no reason to stop: the pipeline sends less.
		e.Class = providers.TooLarge
	default:
		e.Class = providers.ClassForHTTPStatus(gerr.Code)
	}
	return e
}

// tooLarge reports whether an invalid-argument message says the request
// is too big: "Text too long" (v2), "Text is too long." (v3), "Too many
// text segments", a payload over the size limit.
func tooLarge(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"too long", "too many text segments", "too many contents", "payload size exceeds", "request is too large", "exceeds the limit", "exceeds the maximum"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// rateLimited reports whether a 403 is a per-minute rate limit (retryable)
// rather than a forbidden key or an exhausted daily quota (permanent).
func rateLimited(gerr *googleapi.Error) bool {
	for _, item := range gerr.Errors {
		switch item.Reason {
		case "rateLimitExceeded", "userRateLimitExceeded":
			return true
		}
	}
	var ae *apierror.APIError
	if errors.As(gerr, &ae) {
		switch strings.ToUpper(ae.Reason()) {
		case "RATE_LIMIT_EXCEEDED", "USER_RATE_LIMIT_EXCEEDED":
			return true
		}
	}
	return false
}

// classifyGRPC classifies a v3 status.
func classifyGRPC(s *status.Status, err error) *providers.Error {
	e := &providers.Error{Status: int(s.Code()), Err: err}
	switch s.Code() {
	case codes.ResourceExhausted, codes.Unavailable, codes.DeadlineExceeded,
		codes.Aborted, codes.Internal, codes.Unknown:
		e.Class = providers.Retryable
	case codes.Canceled:
		e.Class = providers.Canceled
	case codes.InvalidArgument:
		e.Class = providers.Permanent
		if tooLarge(s.Message()) {
			e.Class = providers.TooLarge
		}
	default:
		// PermissionDenied, Unauthenticated, NotFound, FailedPrecondition,
		// OutOfRange, Unimplemented, ...
		e.Class = providers.Permanent
	}
	var ae *apierror.APIError
	if errors.As(err, &ae) {
		if ri := ae.Details().RetryInfo; ri != nil && ri.GetRetryDelay() != nil {
			e.RetryAfter = ri.GetRetryDelay().AsDuration()
		}
	} else {
		for _, d := range s.Details() {
			if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
				e.RetryAfter = ri.GetRetryDelay().AsDuration()
			}
		}
	}
	return e
}
