package googletranslate

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

// classify turns an error from either client into a *providers.Error. ctx
// is the request's context: when it has ended, that is the cause.
func classify(ctx context.Context, err error) *providers.Error {
	if err == nil {
		return nil
	}
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe
	}
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
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
	return &providers.Error{Class: providers.ClassOf(err), Err: err}
}

// classifyHTTP classifies a v2 REST error by status and reason.
func classifyHTTP(gerr *googleapi.Error, err error) *providers.Error {
	e := &providers.Error{Status: gerr.Code, Err: err}
	if gerr.Header != nil {
		e.RetryAfter = providers.ParseRetryAfter(gerr.Header.Get("Retry-After"), time.Now())
	}
	switch {
	case gerr.Code == http.StatusForbidden && rateLimited(gerr):
		e.Class = providers.Retryable
	case gerr.Code == http.StatusRequestEntityTooLarge || gerr.Code == http.StatusRequestURITooLong:
		// Too big a request is no reason to stop: the pipeline answers a
		// bad reply by halving the batch.
		e.Class = providers.BadReply
	default:
		e.Class = providers.ClassForHTTPStatus(gerr.Code)
	}
	return e
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
	default:
		// InvalidArgument, PermissionDenied, Unauthenticated, NotFound,
		// FailedPrecondition, OutOfRange, Unimplemented, ...
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

// redacted hides secret in err's message while keeping err's chain for
// errors.Is and errors.As.
type redacted struct {
	err    error
	secret string
}

func (r *redacted) Error() string {
	return strings.ReplaceAll(r.err.Error(), r.secret, "[REDACTED]")
}

func (r *redacted) Unwrap() error { return r.err }

// redact wraps err so its message never shows secret.
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redacted{err: err, secret: secret}
}
