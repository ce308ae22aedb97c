// Package openaitest is an in-process fake of an OpenAI-compatible chat
// completions server, for the openai engine's tests, the pipeline's and the
// CLI's end-to-end tests, and benchmarks.
//
// [NewServer] starts an httptest server on 127.0.0.1 that answers POST
// /v1/chat/completions (and Azure's /openai/deployments/NAME/chat/completions)
// in the real wire format. It reads the engine's JSON payload from the last
// user message and translates each segment by a deterministic rule,
// [Translate]: Chinese, Japanese and Korean characters become Latin
// pseudo-words, CJK punctuation becomes ASCII, tags and Latin text stay.
//
// Knobs: a latency per request, a requests-per-minute limit enforced with
// 429 and Retry-After, a required API key, and a [Script] that picks a
// [Fault] for each request (429, 5xx, a stall, malformed JSON, a truncated
// reply, missing, repeated or merged ids, a dropped tag, an echo, a <think>
// prefix, a refusal, ...). [Server.Stats] counts requests, 429s, faults,
// segments and tokens; [Server.Keys] lists the bearer tokens seen.
//
//	srv := openaitest.NewServer(&openaitest.Options{Script: openaitest.Sequence(openaitest.RateLimit)})
//	defer srv.Close()
//	// OPENAI_BASE_URL=srv.URL, or Options.BaseURL = srv.URL
package openaitest
