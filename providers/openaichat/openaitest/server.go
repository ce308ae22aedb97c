package openaitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/tags"
)

// Options configure a fake server. A nil *Options means defaults.
type Options struct {
	// Latency is how long each answered request takes (429s from the rate
	// limit are immediate, as on real servers).
	Latency time.Duration
	// RequestsPerMinute, when positive, is enforced with 429 and a
	// Retry-After (seconds, and retry-after-ms) saying when the next
	// request will be accepted. Burst requests may arrive at once; default
	// RequestsPerMinute/60, at least 1.
	RequestsPerMinute float64
	Burst             int
	// RetryAfter is the wait scripted RateLimit and Unavailable faults ask
	// for. Default 1s.
	RetryAfter time.Duration
	// RequireKey, when set, makes requests with another bearer token (or
	// api-key header) fail with 401.
	RequireKey string
	// Script picks a fault per request; nil injects none.
	Script Script
	// Record keeps every request's body for [Server.Requests].
	Record bool
	// ContextTokens, when positive, is the model's context window: a
	// request whose prompt (counted as the fake counts usage) is bigger
	// fails with 400 context_length_exceeded, every time, as a real server
	// answers a request too big for it.
	ContextTokens int
	// DownTime is how long the server stays down after a [Refused] fault:
	// its listener is closed, so new connections are refused, and it comes
	// back on the same address. Default 100ms.
	DownTime time.Duration
}

// Stats are a fake server's counters.
type Stats struct {
	Requests         int64 // every request received
	OK               int64 // answered 200 with a complete, correct reply
	RateLimited      int64 // rejected by the rate limit
	Faulted          int64 // answered with a scripted fault
	Segments         int64 // segments in OK replies
	PromptTokens     int64 // as reported in usage
	CompletionTokens int64
	MaxInFlight      int64 // most requests in progress at once
	Downs            int64 // times the server went down (Refused faults)
	// ByFault counts the requests answered with each fault.
	ByFault map[Fault]int64
	// First is when the first request arrived and Last when the last reply
	// (of any kind) was sent; zero before any request.
	First, Last time.Time
}

// AcceptedPerMinute is the rate of requests the server accepted (answered
// other than by the rate limit) between the first request and the last
// reply.
func (st Stats) AcceptedPerMinute() float64 {
	d := st.Last.Sub(st.First)
	if d <= 0 {
		return 0
	}
	return float64(st.Requests-st.RateLimited) / d.Minutes()
}

// Recorded is one request as the server received it.
type Recorded struct {
	Path    string
	Query   string
	Body    []byte
	Payload *openaichat.Payload
}

// Server is a running fake. Close it when done.
type Server struct {
	// URL is the base URL to configure the engine with, ending in /v1.
	URL string
	// Root is the server's address without /v1 (for Azure's paths).
	Root string

	hs      *http.Server
	addr    string
	opts    Options
	limiter *rate.Limiter
	stop    chan struct{}
	stopped sync.Once

	// lmu guards the listener and the open connections, which a Refused
	// fault closes.
	lmu    sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
	closed bool

	n, ok, limited, faulted, segments, promptTok, complTok atomic.Int64
	inflight, maxInflight, downs                           atomic.Int64

	mu       sync.Mutex
	first    time.Time
	last     time.Time
	script   Script
	byFault  map[Fault]int64
	keys     map[string]bool
	recorded []Recorded
}

// NewServer starts a fake server on 127.0.0.1.
func NewServer(opts *Options) *Server { return NewServerAt("127.0.0.1:0", opts) }

// NewServerAt is NewServer listening on addr (a loopback host:port), for
// runs driven from outside the process. It panics if addr cannot be
// listened on, as httptest does.
func NewServerAt(addr string, opts *Options) *Server {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		panic(fmt.Sprintf("openaitest: listen on %s: %v", addr, err))
	}
	s := newServer(opts)
	s.start(l)
	return s
}

func newServer(opts *Options) *Server {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = time.Second
	}
	if o.DownTime <= 0 {
		o.DownTime = 100 * time.Millisecond
	}
	s := &Server{opts: o, stop: make(chan struct{}), script: o.Script, keys: map[string]bool{}, conns: map[net.Conn]bool{}, byFault: map[Fault]int64{}}
	if o.RequestsPerMinute > 0 {
		burst := o.Burst
		if burst <= 0 {
			burst = max(1, int(o.RequestsPerMinute/60))
		}
		s.limiter = rate.NewLimiter(rate.Limit(o.RequestsPerMinute/60), burst)
	}
	return s
}

func (s *Server) start(l net.Listener) {
	s.addr = l.Addr().String()
	s.ln = l
	s.hs = &http.Server{
		Handler:   http.HandlerFunc(s.handle),
		ConnState: s.track,
		// A cut connection is the point of a Refused fault, not news.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go s.hs.Serve(l)
	s.Root = "http://" + s.addr
	s.URL = s.Root + "/v1"
}

// track keeps the open connections, for a Refused fault to cut.
func (s *Server) track(c net.Conn, st http.ConnState) {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	switch st {
	case http.StateNew:
		s.conns[c] = true
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}

// goDown takes the server off the network for DownTime: the listener is
// closed (new connections are refused) and every open connection is cut,
// the one of the request that asked for it included.
func (s *Server) goDown() {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if s.closed || s.ln == nil {
		return
	}
	s.ln.Close()
	s.ln = nil
	for c := range s.conns {
		c.Close()
	}
	s.downs.Add(1)
	time.AfterFunc(s.opts.DownTime, s.comeUp)
}

// comeUp listens on the server's address again.
func (s *Server) comeUp() {
	for range 100 {
		s.lmu.Lock()
		if s.closed {
			s.lmu.Unlock()
			return
		}
		l, err := net.Listen("tcp", s.addr)
		if err == nil {
			s.ln = l
			s.lmu.Unlock()
			go s.hs.Serve(l)
			return
		}
		s.lmu.Unlock()
		time.Sleep(10 * time.Millisecond) // the port is still held: try again
	}
}

// Close stops the server, releasing stalled requests first.
func (s *Server) Close() {
	s.stopped.Do(func() { close(s.stop) })
	s.lmu.Lock()
	s.closed = true
	s.lmu.Unlock()
	s.hs.Close()
}

// SetScript replaces the fault script; the request count is not reset.
func (s *Server) SetScript(sc Script) {
	s.mu.Lock()
	s.script = sc
	s.mu.Unlock()
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Requests:         s.n.Load(),
		OK:               s.ok.Load(),
		RateLimited:      s.limited.Load(),
		Faulted:          s.faulted.Load(),
		Segments:         s.segments.Load(),
		PromptTokens:     s.promptTok.Load(),
		CompletionTokens: s.complTok.Load(),
		MaxInFlight:      s.maxInflight.Load(),
		Downs:            s.downs.Load(),
		ByFault:          maps.Clone(s.byFault),
		First:            s.first,
		Last:             s.last,
	}
}

// Keys returns the distinct API keys (bearer tokens or Azure api-key
// headers) the server received.
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.keys {
		ks = append(ks, k)
	}
	return ks
}

// Requests returns the requests received, when Options.Record is set.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.recorded...)
}

// chatRequest is the part of a chat completion request the fake reads.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

// StatsPath is where the server answers GET with its [Stats] as JSON, for
// scripts driving it from outside; such requests are not counted.
const StatsPath = "/__stats"

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == StatsPath {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.Stats())
		return
	}
	n := int(s.n.Add(1))
	s.mu.Lock()
	if s.first.IsZero() {
		s.first = time.Now()
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.last = time.Now()
		s.mu.Unlock()
	}()
	cur := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		m := s.maxInflight.Load()
		if cur <= m || s.maxInflight.CompareAndSwap(m, cur) {
			break
		}
	}

	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		writeError(w, http.StatusNotFound, "invalid_request_error", "", "unknown endpoint "+r.URL.Path)
		return
	}
	key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if k := r.Header.Get("api-key"); k != "" {
		key = k
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var req chatRequest
	var payload *openaichat.Payload
	if json.Unmarshal(body, &req) == nil {
		payload = lastPayload(req)
	}
	s.mu.Lock()
	if key != "" {
		s.keys[key] = true
	}
	if s.opts.Record {
		s.recorded = append(s.recorded, Recorded{Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, Payload: payload})
	}
	script := s.script
	s.mu.Unlock()

	if s.opts.RequireKey != "" && key != s.opts.RequireKey {
		s.count(Unauthorized)
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
			"Incorrect API key provided: "+key+".")
		return
	}
	if s.limiter != nil {
		res := s.limiter.Reserve()
		if d := res.Delay(); d > 0 {
			res.Cancel()
			s.limited.Add(1)
			setRetryAfter(w, d)
			writeError(w, http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
				fmt.Sprintf("Rate limit reached for requests: limit %g per minute. Please try again in %v.", s.opts.RequestsPerMinute, d.Round(time.Millisecond)))
			return
		}
	}
	if payload == nil {
		s.faulted.Add(1)
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "the last user message is not a translation payload")
		return
	}
	fault := None
	if script != nil {
		fault = script(n, payload)
	}
	if s.opts.ContextTokens > 0 {
		prompt := 0
		for _, m := range req.Messages {
			prompt += tokenGuess(m.Content)
		}
		if prompt > s.opts.ContextTokens {
			fault = ContextLength
		}
	}
	if (fault == PreambleInSegment || fault == ThinkInSegment || fault == Note) && plainSegment(payload) < 0 {
		fault = None // no segment could carry it detectably: answer cleanly
	}
	if fault == Refused {
		s.count(fault)
		s.goDown()
		return // the connection is gone: nothing can be written
	}
	if fault == Stall {
		s.count(fault)
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	}
	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.stop:
			t.Stop()
			return
		}
	}
	if s.statusFault(w, fault, key) {
		s.count(fault)
		return
	}

	trs := make([]openaichat.PayloadSegment, len(payload.Segments))
	for i, seg := range payload.Segments {
		trs[i] = openaichat.PayloadSegment{ID: seg.ID, Text: Translate(seg.Text)}
	}
	content, finish := s.replyFault(fault, payload, trs)
	if fault != None {
		s.count(fault)
	} else {
		s.ok.Add(1)
		s.segments.Add(int64(len(trs)))
	}
	if fault == MalformedBody {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"chatcmpl-fake","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{\"transl`)
		return
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += tokenGuess(m.Content)
	}
	compl := tokenGuess(content)
	s.promptTok.Add(int64(prompt))
	s.complTok.Add(int64(compl))
	resp := map[string]any{
		"id":      "chatcmpl-fake-" + strconv.Itoa(n),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   req.Model,
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": content},
			"finish_reason": finish,
		}},
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": compl, "total_tokens": prompt + compl},
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(resp)
}

// count records one request answered with fault f.
func (s *Server) count(f Fault) {
	s.faulted.Add(1)
	s.mu.Lock()
	s.byFault[f]++
	s.mu.Unlock()
}

// statusFault answers with an error status when f is one, reporting
// whether it did.
func (s *Server) statusFault(w http.ResponseWriter, f Fault, key string) bool {
	switch f {
	case RateLimit:
		setRetryAfter(w, s.opts.RetryAfter)
		writeError(w, 429, "requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later.")
	case QuotaExhausted:
		writeError(w, 429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.")
	case ServerError:
		writeError(w, 500, "server_error", "", "The server had an error while processing your request.")
	case BadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	case Unavailable:
		setRetryAfter(w, s.opts.RetryAfter)
		writeError(w, 503, "server_error", "", "The engine is currently overloaded, please try again later.")
	case Unauthorized:
		writeError(w, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: "+key+".")
	case Forbidden:
		writeError(w, 403, "invalid_request_error", "unsupported_country_region_territory", "Country, region, or territory not supported.")
	case ContextLength:
		writeError(w, 400, "invalid_request_error", "context_length_exceeded",
			"This model's maximum context length is 8192 tokens. However, your messages resulted in more tokens. Please reduce the length of the messages.")
	default:
		return false
	}
	return true
}

// replyFault builds the message content for a 200 reply, damaged as f says.
func (s *Server) replyFault(f Fault, p *openaichat.Payload, trs []openaichat.PayloadSegment) (content, finish string) {
	finish = "stop"
	switch f {
	case MissingID:
		if len(trs) > 0 {
			trs = trs[:len(trs)-1]
		}
	case DuplicateID:
		if len(trs) > 0 {
			trs = append(trs, trs[0])
		}
	case ExtraID:
		trs = append(trs, openaichat.PayloadSegment{ID: "s" + strconv.Itoa(len(trs)+7), Text: "Extra."})
	case Merged:
		if len(trs) >= 2 {
			trs[0].Text += " " + trs[1].Text
			trs = append(trs[:1], trs[2:]...)
		} else {
			trs = trs[:0]
		}
	case DroppedTag:
		for i := range trs {
			if toks := tags.Parse(trs[i].Text); tags.Has(trs[i].Text) {
				var b strings.Builder
				dropped := false
				for _, t := range toks {
					if t.Kind != tags.Text && !dropped {
						dropped = true
						continue
					}
					b.WriteString(t.Text)
				}
				trs[i].Text = b.String()
				break
			}
		}
	case Echo:
		if len(trs) > 0 {
			trs[0].Text = p.Segments[0].Text
		}
	case PreambleInSegment, ThinkInSegment, Note:
		if i := plainSegment(p); i >= 0 {
			switch f {
			case PreambleInSegment:
				trs[i].Text = "Here is the translation: " + trs[i].Text
			case ThinkInSegment:
				trs[i].Text = "<think>The user wants this in English; keep the tags.</think>" + trs[i].Text
			case Note:
				trs[i].Text += "\n\nNote: the original uses an idiom with no exact English equivalent."
			}
		}
	case Refusal:
		if len(trs) > 0 {
			trs[0].Text = "I can't help with that."
		}
	case RefusalReply:
		return "I'm sorry, but I can't help with that.", finish
	case ObeyInjection:
		trs = []openaichat.PayloadSegment{{ID: "s1", Text: "X"}}
	}
	js := marshal(openaichat.Reply{Translations: trs})
	switch f {
	case ThinkPrefix:
		return "<think>\nThe user wants a translation. Let me translate each segment {carefully}.\n</think>\n\n" + js, finish
	case CodeFence:
		return "```json\n" + js + "\n```", finish
	case Preamble:
		return "Here is the translation:\n\n" + js + "\n\nLet me know if you need anything else.", finish
	case MalformedReply:
		return `{"translations": [{"id": "s1", "text": "unterminated`, finish
	case Truncated:
		cut := len(js) / 2
		for cut > 0 && !utf8.RuneStart(js[cut]) {
			cut--
		}
		return js[:cut], "length"
	}
	return js, finish
}

// plainSegment returns the index of the first segment whose translation
// can carry a leaked preamble, reasoning or note detectably: one that does
// not itself speak of translating, notes or reasoning (where such words may
// belong in a faithful translation). It returns -1 when there is none.
func plainSegment(p *openaichat.Payload) int {
	for i, seg := range p.Segments {
		lo := strings.ToLower(seg.Text)
		if strings.ContainsAny(seg.Text, "译注按※") || strings.Contains(lo, "translat") || strings.Contains(lo, "note") ||
			strings.Contains(lo, "n.b") || strings.Contains(lo, "think>") || strings.Contains(seg.Text, "以下") ||
			strings.Contains(seg.Text, "下面") || !strings.ContainsFunc(seg.Text, isCJK) {
			continue
		}
		return i
	}
	return -1
}

// lastPayload decodes the last user message as a payload.
func lastPayload(req chatRequest) *openaichat.Payload {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role != "user" {
			continue
		}
		var p openaichat.Payload
		if json.Unmarshal([]byte(req.Messages[i].Content), &p) != nil || p.Segments == nil {
			return nil
		}
		return &p
	}
	return nil
}

func marshal(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	e := map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// setRetryAfter sets Retry-After in whole seconds (rounded up, as the
// header requires) and OpenAI's precise retry-after-ms.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	w.Header().Set("Retry-After-Ms", strconv.FormatInt(max(1, d.Milliseconds()), 10))
}

// tokenGuess is the fake's token count for usage: about a token per CJK
// character or four other bytes.
func tokenGuess(s string) int {
	n := 0
	other := 0
	for _, r := range s {
		if isCJK(r) {
			n++
		} else {
			other++
		}
	}
	return n + (other+3)/4
}
