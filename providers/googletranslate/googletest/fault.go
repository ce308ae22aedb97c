package googletest

import (
	"context"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
)

// Fault is one scripted failure. For V3, a non-zero Code fails the request
// with that gRPC status; for V2, a non-zero Status fails it with that HTTP
// status. Drop and Rewrite corrupt an otherwise good reply; Stall makes the
// request hang until the client gives up.
type Fault struct {
	Code    codes.Code // V3: the status code to fail with
	Status  int        // V2: the HTTP status to fail with
	Reason  string     // the error reason (V2 errors[].reason, V3 ErrorInfo)
	Message string     // the error message; a default when empty
	// RetryAfter is sent as RetryInfo (V3) or a Retry-After header in
	// whole seconds (V2).
	RetryAfter time.Duration
	// Drop removes this many translations from the end of the reply.
	Drop int
	// Rewrite, when set, replaces translation i (the HTML sent back).
	Rewrite func(i int, translated string) string
	// Stall holds the request until its context ends.
	Stall bool
}

// Call is one request as the fake received it.
type Call struct {
	Method    string   // "TranslateText" (V3), "GET" or "POST" (V2)
	Contents  []string // the strings to translate
	Source    string
	Target    string
	MimeType  string // V3 mime_type, V2 format
	Model     string
	Glossary  string // V3 glossary_config.glossary
	URLBytes  int    // V2: the length of the request URL
	BodyBytes int    // V2: the length of a POST body
	Key       string // V2: the API key presented (header or key=)
	// KeyInURL reports (V2) that the key came as a key= URL parameter,
	// where logs and error messages that quote the URL would show it.
	KeyInURL bool
}

// Script picks the fault for the n-th request (counting from 1), given
// the call as received; the zero Fault lets the request through.
type Script func(n int, c Call) Fault

// core holds what both fakes share: scripted faults, latency, glossaries
// and the log of calls.
type core struct {
	mu         sync.Mutex
	queue      []Fault
	always     *Fault
	script     Script
	latency    time.Duration
	glossaries map[string]map[string]string
	calls      []Call
	chars      int
	billed     int
	faulted    int
}

// Inject queues f for the next request that arrives.
func (c *core) Inject(f ...Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(c.queue, f...)
}

// FailAll makes every request fail with f; nil stops it.
func (c *core) FailAll(f *Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.always = f
}

// SetScript makes s pick the fault of every request that no queued fault
// (Inject) or FailAll claims; nil stops it.
func (c *core) SetScript(s Script) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.script = s
}

// SetLatency delays every reply by d.
func (c *core) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency = d
}

// AddGlossary makes a glossary available under name (V3: the glossary
// resource name), mapping source terms to target terms.
func (c *core) AddGlossary(name string, terms map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.glossaries == nil {
		c.glossaries = map[string]map[string]string{}
	}
	c.glossaries[name] = terms
}

// Calls returns the requests received so far, failed ones included.
func (c *core) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Requests returns how many requests arrived.
func (c *core) Requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls)
}

// Chars returns the code points of all strings received, failed requests
// included.
func (c *core) Chars() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chars
}

// Billed returns the code points of the strings of requests answered with
// translations: what Google bills.
func (c *core) Billed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.billed
}

// Faulted returns how many requests were failed or damaged by a fault.
func (c *core) Faulted() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.faulted
}

// Reset forgets calls, counters and faults.
func (c *core) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls, c.queue, c.always, c.script, c.chars, c.billed, c.faulted = nil, nil, nil, nil, 0, 0, 0
}

// bill records that call was answered with translations.
func (c *core) bill(call Call) {
	n := 0
	for _, s := range call.Contents {
		n += utf8.RuneCountInString(s)
	}
	c.mu.Lock()
	c.billed += n
	c.mu.Unlock()
}

// begin records call and returns the fault to apply, the latency and the
// glossary it names (if any).
func (c *core) begin(call Call) (Fault, time.Duration, map[string]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	call.Contents = slices.Clone(call.Contents)
	c.calls = append(c.calls, call)
	for _, s := range call.Contents {
		c.chars += utf8.RuneCountInString(s)
	}
	var f Fault
	switch {
	case len(c.queue) > 0:
		f = c.queue[0]
		c.queue = c.queue[1:]
	case c.always != nil:
		f = *c.always
	case c.script != nil:
		f = c.script(len(c.calls), call)
	}
	if f.any() {
		c.faulted++
	}
	g, ok := c.glossaries[call.Glossary]
	return f, c.latency, g, ok
}

// any reports whether f does anything.
func (f Fault) any() bool {
	return f.Code != 0 || f.Status != 0 || f.Drop > 0 || f.Rewrite != nil || f.Stall
}

// wait sleeps d or until ctx ends, and stalls while f says so.
func wait(ctx context.Context, d time.Duration, f Fault) error {
	if f.Stall {
		<-ctx.Done()
		return ctx.Err()
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// corrupt applies f's Drop and Rewrite to a reply.
func corrupt(f Fault, out []string) []string {
	if f.Rewrite != nil {
		for i := range out {
			out[i] = f.Rewrite(i, out[i])
		}
	}
	if f.Drop > 0 {
		out = out[:max(0, len(out)-f.Drop)]
	}
	return out
}
