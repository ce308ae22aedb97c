package googletest

import (
	"time"

	"google.golang.org/grpc/codes"

	"github.com/diglot/diglot/internal/faultmix"
)

// Kind names a fault for [Mix]; each is made the way the fake receiving
// the request (V3 or V2) fails.
type Kind string

// The kinds of fault [Mix] injects.
const (
	// RateLimit: V3 RESOURCE_EXHAUSTED with RetryInfo (MixRetryAfter),
	// V2 403 userRateLimitExceeded.
	RateLimit Kind = "rate-limit"
	// ServerError: V3 UNAVAILABLE, V2 503.
	ServerError Kind = "server-error"
	// Timeout: the request hangs until the client gives up.
	Timeout Kind = "timeout"
	// TextTooLong: V3 INVALID_ARGUMENT "Text is too long.", V2 400 "Text
	// too long": the engine reports TooLarge and the pipeline sends less.
	// It is only drawn for requests of two strings or more: a request is
	// too long, not one paragraph that fits a request.
	TextTooLong Kind = "text-too-long"
	// Truncated: the reply lacks its last translation.
	Truncated Kind = "truncated"
)

// MixRetryAfter is the wait a [RateLimit] from [Mix] asks for (V3 only:
// V2's Retry-After header counts whole seconds).
const MixRetryAfter = 50 * time.Millisecond

// Mix returns a [Script] that injects each kind of fault into that share
// of requests, as Google fails now and then. The fault of a request is
// drawn from a hash of seed and the strings it carries, so a run meets
// the same faults every time; and only the first time a fake sees a
// request: the same request sent again is answered, as a retry usually
// is. A pipeline that retries and splits as it should therefore ends
// every run with no failed segment. Give the engine a short timeout
// (Timeout holds a request until the client gives up). Mix panics if a
// rate is negative or the rates add up to more than 1.
func Mix(seed uint64, rates map[Kind]float64) Script {
	m := faultmix.New("googletest", seed, rates)
	return func(_ int, c Call) Fault {
		k, ok := m.Draw(append([]string{c.Source, c.Target}, c.Contents...)...)
		if !ok || k == TextTooLong && len(c.Contents) < 2 {
			return Fault{}
		}
		return k.fault(c.Method == "TranslateText")
	}
}

// fault makes k for V3 (v3) or V2.
func (k Kind) fault(v3 bool) Fault {
	switch k {
	case RateLimit:
		if v3 {
			return Fault{Code: codes.ResourceExhausted, Reason: "RATE_LIMIT_EXCEEDED", RetryAfter: MixRetryAfter}
		}
		return Fault{Status: 403, Reason: "userRateLimitExceeded", Message: "User Rate Limit Exceeded"}
	case ServerError:
		if v3 {
			return Fault{Code: codes.Unavailable, Message: "The service is currently unavailable."}
		}
		return Fault{Status: 503, Message: "The service is currently unavailable."}
	case Timeout:
		return Fault{Stall: true}
	case TextTooLong:
		if v3 {
			return Fault{Code: codes.InvalidArgument, Message: "Text is too long."}
		}
		return Fault{Status: 400, Reason: "invalid", Message: "Text too long"}
	case Truncated:
		return Fault{Drop: 1}
	}
	return Fault{}
}
