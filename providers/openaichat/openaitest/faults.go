package openaitest

import (
	"strings"
	"sync"

	"github.com/diglot/diglot/internal/faultmix"
	"github.com/diglot/diglot/providers/openaichat"
)

// Fault is what the fake does to one request instead of (or on top of)
// answering it correctly.
type Fault string

// The faults a [Script] can inject. Status faults answer with an OpenAI
// error object; reply faults answer 200 with a damaged reply.
const (
	None Fault = ""

	RateLimit      Fault = "429"               // 429 rate_limit_exceeded with Retry-After
	QuotaExhausted Fault = "429-quota"         // 429 insufficient_quota (permanent)
	ServerError    Fault = "500"               // 500 server_error
	BadGateway     Fault = "502"               // 502 with an HTML body, as proxies send
	Unavailable    Fault = "503"               // 503 with Retry-After
	Unauthorized   Fault = "401"               // 401 invalid_api_key, echoing the key sent
	Forbidden      Fault = "403"               // 403
	ContextLength  Fault = "400-context"       // 400 context_length_exceeded
	Stall          Fault = "stall"             // never answers until the client gives up
	MalformedBody  Fault = "malformed-body"    // 200 whose body is not JSON
	MalformedReply Fault = "malformed-content" // 200 whose message content is not JSON
	Truncated      Fault = "truncated"         // content cut in half, finish_reason length
	MissingID      Fault = "missing-id"        // last translation left out
	DuplicateID    Fault = "duplicate-id"      // first translation repeated
	ExtraID        Fault = "extra-id"          // an id that was not asked for
	Merged         Fault = "merged"            // s1 and s2 merged into s1, s2 left out
	DroppedTag     Fault = "dropped-tag"       // the first tag of the first tagged segment removed
	Echo           Fault = "echo"              // s1 returned untranslated
	ThinkPrefix    Fault = "think"             // a <think>…</think> block before the JSON (valid)
	CodeFence      Fault = "fence"             // the JSON inside ```json fences (valid)
	Preamble       Fault = "preamble"          // "Here is the translation:" before the JSON (valid)
	Refusal        Fault = "refusal"           // s1's text is a refusal
	RefusalReply   Fault = "refusal-reply"     // the whole content is a refusal, no JSON
	ObeyInjection  Fault = "obey-injection"    // only one translation, "X", as if obeying an injected instruction

	// Leaks inside a segment's text: the first segment that does not
	// itself speak of translating, notes or reasoning gets one.
	PreambleInSegment Fault = "preamble-in-segment" // "Here is the translation: " before the text
	ThinkInSegment    Fault = "think-in-segment"    // a <think>…</think> block before the text
	Note              Fault = "note"                // a translator's note after the text

	// Refused takes the server down for Options.DownTime: the request's
	// connection (and every other) is cut, and new connections are refused
	// until the server listens again on the same address.
	Refused Fault = "refused"
)

// Script picks the fault for the n-th request (counting from 1) carrying
// payload p; p is nil when the request had no readable payload.
type Script func(n int, p *openaichat.Payload) Fault

// Sequence returns a script that injects faults[0] into the first request,
// faults[1] into the second, and so on, then None.
func Sequence(faults ...Fault) Script {
	return func(n int, _ *openaichat.Payload) Fault {
		if n-1 < len(faults) {
			return faults[n-1]
		}
		return None
	}
}

// Always returns a script that injects f into every request.
func Always(f Fault) Script { return func(int, *openaichat.Payload) Fault { return f } }

// Once returns a script that injects f into the first request whose
// payload holds a segment containing substr, and into no other.
func Once(f Fault, substr string) Script {
	var mu sync.Mutex
	done := false
	return func(_ int, p *openaichat.Payload) Fault {
		mu.Lock()
		defer mu.Unlock()
		if done || p == nil {
			return None
		}
		for _, s := range p.Segments {
			if strings.Contains(s.Text, substr) {
				done = true
				return f
			}
		}
		return None
	}
}

// Mix returns a script that injects each fault of rates into that share of
// requests, as a real model and its server fail now and then. The fault of
// a request is drawn from a hash of seed and the request's segments, so a
// run meets the same faults every time; and only the first time the server
// sees a request: the same request sent again is answered cleanly, as a
// retry usually is. A pipeline that retries, halves and re-sends as it
// should therefore ends every run with no failed segment.
//
// Any fault may be mixed in; permanent ones (401, 403, a spent quota) stop
// a run by design. [ContextLength] is only drawn for requests of two
// segments or more: a model's context is exceeded by a batch, not by one
// paragraph (Options.ContextTokens makes big requests fail every time).
// [Stall] holds the request until the client gives up, so give the engine
// a short timeout. Mix panics if a rate is negative or the rates add up to
// more than 1.
func Mix(seed uint64, rates map[Fault]float64) Script {
	m := faultmix.New("openaitest", seed, rates)
	return func(_ int, p *openaichat.Payload) Fault {
		if p == nil {
			return None
		}
		parts := make([]string, 0, 2*len(p.Segments))
		for _, s := range p.Segments {
			parts = append(parts, s.ID, s.Text)
		}
		f, ok := m.Draw(parts...)
		if !ok || f == ContextLength && len(p.Segments) < 2 {
			return None
		}
		return f
	}
}
