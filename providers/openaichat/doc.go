// Package openaichat is the openai engine: any OpenAI-compatible chat
// completions API (OpenAI, Azure OpenAI, DeepSeek, Qwen in DashScope's
// compatible mode, Ollama, vLLM, the llama.cpp server) through
// github.com/sashabaranov/go-openai.
//
// # Protocol
//
// Each batch is one chat completion: the system prompt ([DefaultSystemPrompt]
// or system_prompt_file) states the rules once, and the last user message is
// the JSON object of DESIGN.md's chat contract, a [Payload]: languages, the
// document's title and the segment before the batch as context, the glossary
// entries the pipeline found in the batch, and the segments with ids s1, s2,
// ... The reply's content must be a [Reply], {"translations":[{"id","text"}]},
// requested with a strict JSON schema (response_format json_schema), as a
// JSON object (json_object) or by the prompt alone (text), as the server
// allows. Tags travel inside the text and must come back verbatim.
//
// # Validation
//
// The reply is read leniently and checked strictly. Reasoning blocks
// (<think>…</think>), code fences and a preamble or trailer around the JSON
// are skipped. A reply that is not JSON, that was cut off (finish_reason
// length), or whose ids are not exactly s1…sN once each is a
// [providers.BadReply] error: the pipeline splits the batch. Each
// translation must then keep its source's tags ([tags.Check]), must not be
// empty, a refusal, leaked reasoning, an echo of the source or still mostly
// in the source's script when the target is written in another (zh→en);
// failures come back as a [*providers.SegmentErrors] beside the good
// results, and the failed slots are left empty, never filled with the
// source.
//
// # Errors
//
// go-openai's *openai.APIError and *openai.RequestError are mapped to
// [*providers.Error] by HTTP status and OpenAI's error code: 429 and 5xx
// are retryable (except a 429 for an exhausted quota), 401, 403, 404, other
// 400s (context length included) and insufficient_quota are permanent,
// timeouts and network failures retryable, a canceled context Canceled.
// go-openai's errors carry no headers, so a wrapping http.RoundTripper
// captures Retry-After (and retry-after-ms) into [providers.Error.RetryAfter].
// go-openai does not retry; the pipeline does. Error messages are rebuilt
// and the API key is redacted from them.
//
// # Temperature
//
// go-openai omits a zero temperature (omitempty), so when temperature = 0
// is configured the same transport adds "temperature":0 to each request.
//
// # Tokens
//
// [Translator.Tokens] counts with tiktoken (github.com/pkoukk/tiktoken-go)
// for OpenAI model families (gpt-3.5, gpt-4*, gpt-5*, o1/o3/o4), using the
// BPE tables embedded in github.com/pkoukk/tiktoken-go-loader so that no file
// is ever downloaded, and with a character estimate (a CJK character is a
// token, other text four bytes a token) for every other model.
//
// # Optional interfaces
//
// [*Translator] implements [providers.Limiter] (max_batch_segments,
// max_batch_tokens, requests_per_minute, tokens_per_minute, concurrency),
// [providers.GlossaryHints], [providers.Metered] (requests and the tokens of
// each reply's usage, priced by input_per_million and output_per_million),
// [providers.Estimator] and io.Closer.
//
// Package openaitest holds a fake server speaking the same wire format, with
// scripted faults, for tests and benchmarks.
package openaichat
