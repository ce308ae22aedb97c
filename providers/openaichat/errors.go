package openaichat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/diglot/diglot/providers"
)

// classify turns what go-openai returned into a *providers.Error. parent is
// the caller's context (canceled means Canceled), timedOut says the
// engine's own per-request timeout fired (Retryable), x is what the
// transport saw of the response. Messages are rebuilt, never wrapped raw,
// and the key is redacted: some servers echo a bad key in their message.
func (t *Translator) classify(parent context.Context, err error, timedOut bool, x *exchange) *providers.Error {
	if parent.Err() != nil {
		return &providers.Error{Class: providers.Canceled, Err: fmt.Errorf("openaichat: %w", parent.Err())}
	}
	if timedOut {
		return &providers.Error{Class: providers.Retryable, Err: fmt.Errorf("openaichat: no reply within %v: %w", t.opts.Timeout.std(), context.DeadlineExceeded)}
	}

	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status := apiErr.HTTPStatusCode
		code := fmt.Sprint(apiErr.Code)
		if apiErr.Code == nil {
			code = ""
		}
		msg := providers.Redact(apiErr.Message, t.key)
		e := &providers.Error{
			Class:      classForAPIError(status, code, apiErr.Type, msg),
			Status:     status,
			RetryAfter: x.retryAfter,
			Err:        fmt.Errorf("openaichat: %s", describe(status, code, apiErr.Type, msg)),
		}
		return e
	case errors.As(err, &reqErr):
		status := reqErr.HTTPStatusCode
		class := providers.ClassForHTTPStatus(status)
		if status < 400 {
			// A 2xx/3xx whose body could not be read as a reply.
			class = providers.BadReply
		}
		body := providers.Redact(clip(strings.TrimSpace(string(reqErr.Body)), 200), t.key)
		if status == http.StatusRequestEntityTooLarge {
			class = providers.TooLarge
		}
		return &providers.Error{
			Class:      class,
			Status:     status,
			RetryAfter: x.retryAfter,
			Err:        fmt.Errorf("openaichat: %s", describe(status, "", "", body)),
		}
	}

	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var transport *url.Error
	// An EOF inside a *url.Error is the connection closing before a
	// response (a server going down), retryable below; outside one it is
	// a reply body cut short.
	if !errors.As(err, &transport) && (errors.As(err, &syn) || errors.As(err, &typ) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)) {
		return &providers.Error{Class: providers.BadReply, Status: x.status, Err: fmt.Errorf("openaichat: reply body is not valid JSON: %s", providers.Redact(err.Error(), t.key))}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &providers.Error{Class: providers.Retryable, Err: fmt.Errorf("openaichat: %w", context.DeadlineExceeded)}
	}
	// The chain is kept (redacted), so that the pipeline can tell a
	// refused connection (providers.IsUnreachable) from other failures.
	wrapped := providers.RedactError(fmt.Errorf("openaichat: %w", err), t.key)
	if providers.ClassOf(err) == providers.Retryable {
		// A network failure (refused, reset, timed out) may clear; a bad
		// URL or a certificate error will not, and falls through.
		return &providers.Error{Class: providers.Retryable, Err: wrapped}
	}
	// Refused by go-openai itself (an option the model does not take) or
	// an unknown failure: stop rather than loop.
	return &providers.Error{Class: providers.Permanent, Err: wrapped}
}

// classForAPIError refines the HTTP status by OpenAI's error code: a 429
// for an exhausted quota will not clear by waiting, and a context-length
// 400 will not succeed on retry but will once the request is smaller.
func classForAPIError(status int, code, typ, msg string) providers.Class {
	switch code {
	case "insufficient_quota", "billing_hard_limit_reached", "account_deactivated", "invalid_api_key", "model_not_found":
		return providers.Permanent
	case "context_length_exceeded", "string_above_max_length":
		return providers.TooLarge
	case "rate_limit_exceeded", "server_error", "engine_overloaded":
		return providers.Retryable
	}
	switch typ {
	case "insufficient_quota":
		return providers.Permanent
	case "exceed_context_size_error": // llama.cpp server
		return providers.TooLarge
	}
	if status == http.StatusRequestEntityTooLarge || status == http.StatusBadRequest && contextExceeded(msg) {
		return providers.TooLarge
	}
	if status == 0 {
		return providers.BadReply // an error object in a 200 reply
	}
	if status == http.StatusTooManyRequests && strings.Contains(strings.ToLower(msg), "quota") &&
		strings.Contains(strings.ToLower(msg), "exceeded your current quota") {
		return providers.Permanent
	}
	return providers.ClassForHTTPStatus(status)
}

func describe(status int, code, typ, msg string) string {
	var b strings.Builder
	if status != 0 {
		fmt.Fprintf(&b, "%d %s", status, http.StatusText(status))
	} else {
		b.WriteString("error")
	}
	if code != "" {
		fmt.Fprintf(&b, " [%s]", code)
	} else if typ != "" {
		fmt.Fprintf(&b, " [%s]", typ)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(clip(msg, 300))
	}
	return b.String()
}

// contextExceeded reports whether a 400's message says the request is
// over the model's context, as servers without OpenAI's error codes word
// it (vLLM: "This model's maximum context length is 4096 tokens",
// llama.cpp: "the request exceeds the available context size").
func contextExceeded(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"maximum context length", "context length exceeded", "exceeds the available context",
		"context_length_exceeded", "context window", "too many tokens", "prompt is too long", "input is too long"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}
