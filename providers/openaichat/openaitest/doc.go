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
// 429 and Retry-After, a required API key, a context window
// (Options.ContextTokens: bigger requests fail with 400
// context_length_exceeded every time), and a [Script] that picks a [Fault]
// for each request: 429 with Retry-After, 5xx, a stall until the client
// gives up, malformed JSON, a reply cut by the output limit, missing,
// repeated or merged ids, a dropped tag, an echo, a refusal, a preamble,
// reasoning or a note leaked into a segment's text, the server going down
// (connections cut, then refused for Options.DownTime), and more.
// [Server.Stats] counts requests, 429s, faults (by kind), segments, tokens
// and downs; [Server.Keys] lists the bearer tokens seen.
//
//	srv := openaitest.NewServer(&openaitest.Options{Script: openaitest.Sequence(openaitest.RateLimit)})
//	defer srv.Close()
//	// OPENAI_BASE_URL=srv.URL, or Options.BaseURL = srv.URL
//
// # A realistic mix of faults
//
// [Mix] injects each fault at a rate, deterministically for a seed, and
// transiently: the first time the server sees a request it may fail it,
// the same request sent again is answered, as a real model answers a
// retry. A translate stage that retries, halves batches and re-sends failed
// segments as it should ends such a run with no failed segment and no
// damaged translation accepted; [DriveAll] is such a stage, small enough
// to read:
//
//	srv := openaitest.NewServer(&openaitest.Options{
//		Script: openaitest.Mix(1, map[openaitest.Fault]float64{
//			openaitest.RateLimit: 0.03, openaitest.ServerError: 0.02, openaitest.Stall: 0.01,
//			openaitest.MalformedReply: 0.02, openaitest.MissingID: 0.02, openaitest.Echo: 0.02,
//			openaitest.PreambleInSegment: 0.02, openaitest.ThinkInSegment: 0.02, openaitest.Note: 0.02,
//			openaitest.ContextLength: 0.02, openaitest.Refused: 0.005,
//		}),
//		RetryAfter: 10 * time.Millisecond,
//	})
//
// Give the engine a short timeout (Stall holds a request until the client
// gives up) and expect connection errors around a Refused fault: for
// DownTime (100ms by default) new connections are refused, which
// [providers.IsUnreachable] recognises.
package openaitest
