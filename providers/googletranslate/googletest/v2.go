package googletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// Limits the V2 fake enforces.
const (
	V2MaxContents = 128
	// V2MaxBodyBytes is the largest POST body accepted; a bigger one is
	// answered 400 "Text too long".
	V2MaxBodyBytes = 100_000
	// V2DefaultMaxURL is the longest request URL the fake accepts before
	// answering 414, unless MaxURL says otherwise.
	V2DefaultMaxURL = 8192
)

// V2 is a fake Cloud Translation - Basic REST service on 127.0.0.1. Point
// the "google-basic" engine at it with endpoint = Endpoint().
type V2 struct {
	core
	srv *httptest.Server
	key string
	// MaxURL is the longest request URL accepted (414 beyond); set it
	// before the first request. Zero means V2DefaultMaxURL.
	MaxURL int
}

// NewV2 starts a V2 fake. When key is not empty, requests must present it
// (X-Goog-Api-Key header or key= parameter) or fail with 400, as Google
// answers an invalid key.
func NewV2(key string) *V2 {
	v := &V2{key: key}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	return v
}

// Endpoint returns the base URL to configure, ending in
// "/language/translate/".
func (v *V2) Endpoint() string { return v.srv.URL + "/language/translate/" }

// Close stops the server.
func (v *V2) Close() { v.srv.Close() }

// v2Request is the POST body the REST API accepts.
type v2Request struct {
	Q      json.RawMessage `json:"q"`
	Target string          `json:"target"`
	Source string          `json:"source"`
	Format string          `json:"format"`
	Model  string          `json:"model"`
}

func (v *V2) serve(w http.ResponseWriter, r *http.Request) {
	if strings.TrimSuffix(r.URL.Path, "/") != "/language/translate/v2" {
		writeError(w, http.StatusNotFound, "notFound", "no such method "+r.URL.Path, 0)
		return
	}
	call := Call{Method: r.Method, URLBytes: len("http://" + r.Host + r.RequestURI)}
	query := r.URL.Query()
	call.Key = r.Header.Get("X-Goog-Api-Key")
	if call.Key == "" {
		call.Key = query.Get("key")
	}
	call.KeyInURL = query.Has("key")
	params := query
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		call.BodyBytes = len(raw)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/json" {
			// Google's generated client wraps the request in {"data": …}
			// (the API's dataWrapper feature); curl users send it bare.
			var body v2Request
			var wrapped struct {
				Data *v2Request `json:"data"`
			}
			err := json.Unmarshal(raw, &wrapped)
			if err == nil && wrapped.Data != nil {
				body = *wrapped.Data
			} else {
				err = json.Unmarshal(raw, &body)
			}
			if err != nil {
				writeError(w, http.StatusBadRequest, "parseError", "bad JSON: "+err.Error(), 0)
				return
			}
			params = map[string][]string{"target": {body.Target}, "source": {body.Source}, "format": {body.Format}, "model": {body.Model}}
			var many []string
			var one string
			if json.Unmarshal(body.Q, &many) == nil {
				params["q"] = many
			} else if json.Unmarshal(body.Q, &one) == nil {
				params["q"] = []string{one}
			}
		} else {
			if err := r.ParseForm(); err != nil {
				writeError(w, http.StatusBadRequest, "parseError", err.Error(), 0)
				return
			}
			params = r.Form
		}
	default:
		writeError(w, http.StatusMethodNotAllowed, "badRequest", "method not allowed", 0)
		return
	}
	call.Contents = params["q"]
	call.Source = params.Get("source")
	call.Target = params.Get("target")
	call.MimeType = params.Get("format")
	call.Model = params.Get("model")
	f, latency, _, _ := v.begin(call)
	if err := wait(r.Context(), latency, f); err != nil {
		return // the client has gone
	}
	maxURL := v.MaxURL
	if maxURL <= 0 {
		maxURL = V2DefaultMaxURL
	}
	switch {
	case f.Status != 0:
		msg := f.Message
		if msg == "" {
			msg = "injected fault " + strconv.Itoa(f.Status)
		}
		writeError(w, f.Status, f.Reason, msg, int(f.RetryAfter.Seconds()))
		return
	case call.URLBytes > maxURL:
		http.Error(w, "414. That’s an error. The requested URL is too large to process.", http.StatusRequestURITooLong)
		return
	case call.BodyBytes > V2MaxBodyBytes:
		writeError(w, http.StatusBadRequest, "invalid", "Text too long", 0)
		return
	case v.key != "" && call.Key != v.key:
		writeError(w, http.StatusBadRequest, "badRequest", "API key not valid. Please pass a valid API key.", 0)
		return
	case call.Target == "":
		writeError(w, http.StatusBadRequest, "required", "Required Text", 0)
		return
	case len(call.Contents) == 0:
		writeError(w, http.StatusBadRequest, "required", "Required Text", 0)
		return
	case len(call.Contents) > V2MaxContents:
		writeError(w, http.StatusBadRequest, "invalid", "Too many text segments", 0)
		return
	}
	v.bill(call)
	htmlMode := call.MimeType != "text"
	out := make([]string, len(call.Contents))
	for i, c := range call.Contents {
		out[i] = translate(c, htmlMode, nil)
	}
	out = corrupt(f, out)
	type translation struct {
		TranslatedText         string `json:"translatedText"`
		DetectedSourceLanguage string `json:"detectedSourceLanguage,omitempty"`
		Model                  string `json:"model,omitempty"`
	}
	var resp struct {
		Data struct {
			Translations []translation `json:"translations"`
		} `json:"data"`
	}
	resp.Data.Translations = []translation{}
	for _, s := range out {
		t := translation{TranslatedText: s, Model: call.Model}
		if call.Source == "" {
			t.DetectedSourceLanguage = "zh-CN"
		}
		resp.Data.Translations = append(resp.Data.Translations, t)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(resp)
}

// writeError writes Google's JSON error body.
func writeError(w http.ResponseWriter, code int, reason, msg string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	item := map[string]string{"message": msg, "domain": "global"}
	if reason != "" {
		item["reason"] = reason
	}
	if strings.Contains(strings.ToLower(reason), "ratelimit") {
		item["domain"] = "usageLimits"
	}
	body := map[string]any{"error": map[string]any{
		"code":    code,
		"message": msg,
		"errors":  []any{item},
		"status":  statusName(code),
	}}
	json.NewEncoder(w).Encode(body)
}

func statusName(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 403:
		return "PERMISSION_DENIED"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return fmt.Sprintf("HTTP_%d", code)
}
