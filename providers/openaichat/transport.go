package openaichat

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/diglot/diglot/providers"
)

// exchange records what the transport saw of one call's HTTP response. The
// engine puts a fresh one in each call's context, because go-openai's
// errors carry no headers and Retry-After must reach the pipeline.
type exchange struct {
	status     int
	retryAfter time.Duration
}

type exchangeKey struct{}

func withExchange(ctx context.Context, x *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, x)
}

// transport wraps the real transport: it adds "temperature":0 to chat
// requests when asked (go-openai's omitempty drops a zero temperature) and
// captures the Retry-After of each response into the call's exchange.
type transport struct {
	base            http.RoundTripper
	zeroTemperature bool
	now             func() time.Time
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.zeroTemperature && req.Method == http.MethodPost && req.Body != nil &&
		strings.HasSuffix(req.URL.Path, "/chat/completions") {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = addZeroTemperature(body)
		// A RoundTripper must not modify its request: send a clone.
		r2 := req.Clone(req.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req = r2
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if x, ok := req.Context().Value(exchangeKey{}).(*exchange); ok {
		x.status = resp.StatusCode
		x.retryAfter = retryAfter(resp.Header, t.now())
	}
	return resp, nil
}

// addZeroTemperature inserts "temperature":0 as the first member of a JSON
// object unless the object already has a temperature. Inserting at the
// front keeps the rest of go-openai's encoding byte for byte.
func addZeroTemperature(body []byte) []byte {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || bytes.Contains(body, []byte(`"temperature":`)) {
		return body
	}
	rest := bytes.TrimLeft(trimmed[1:], " \t\r\n")
	out := make([]byte, 0, len(body)+18)
	out = append(out, `{"temperature":0`...)
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

// retryAfter reads the wait a response asks for: OpenAI's retry-after-ms
// (more precise) or the standard Retry-After.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	return providers.ParseRetryAfter(h.Get("Retry-After"), now)
}
