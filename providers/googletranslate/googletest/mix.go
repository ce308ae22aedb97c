package googletest

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
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
	kinds := make([]Kind, 0, len(rates))
	for k := range rates {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds) // map order must not change the draw
	total := 0.0
	upto := make([]float64, len(kinds))
	for i, k := range kinds {
		if rates[k] < 0 {
			panic(fmt.Sprintf("googletest: Mix: rate of %s is negative", k))
		}
		total += rates[k]
		upto[i] = total
	}
	if total > 1+1e-9 {
		panic(fmt.Sprintf("googletest: Mix: rates add up to %g, more than 1", total))
	}
	var mu sync.Mutex
	seen := map[uint64]bool{}
	return func(_ int, c Call) Fault {
		h := callHash(seed, c)
		mu.Lock()
		again := seen[h]
		seen[h] = true
		mu.Unlock()
		if again {
			return Fault{}
		}
		u := float64(mix64(h)>>11) / (1 << 53)
		for i, k := range kinds {
			if u < upto[i] {
				if k == TextTooLong && len(c.Contents) < 2 {
					return Fault{}
				}
				return k.fault(c.Method == "TranslateText")
			}
		}
		return Fault{}
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

// callHash identifies a request by its strings and languages.
func callHash(seed uint64, c Call) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	for _, s := range append([]string{c.Source, c.Target}, c.Contents...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// mix64 is SplitMix64's finaliser: FNV's low bits alone are not uniform
// enough to draw from.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
