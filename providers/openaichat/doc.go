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
// # Construction and the API key
//
// [New] is the registry's factory, reading the [providers.openai] table;
// [NewTranslator] takes [Options] directly (nil means defaults). The key
// comes from the environment only: Options.APIKey for library users, else
// the variable api_key_env names (OPENAI_API_KEY by default). Building the
// engine fails with a [*providers.KeyError] ("OPENAI_API_KEY is not set"),
// before any request, when that variable is unset and the server is not
// local. A local server needs no key: its base URL is a loopback, private
// or link-local address, localhost, a .local/.internal/.lan name or a
// single-label host such as "ollama" ([providers.IsLocalURL]). A public
// server that needs none is declared with api_key_env = "" (no key is then
// sent). Azure always needs a key.
//
// # Validation
//
// The reply is read leniently and checked strictly. Reasoning blocks
// (<think>…</think>), code fences and a preamble or trailer around the JSON
// are skipped. A reply that is not JSON, or whose ids are not exactly
// s1…sN once each, is a [providers.BadReply] error: the pipeline retries
// and splits the batch. A reply cut by the output limit (finish_reason
// length) is [providers.TooLarge]: the same request would be cut again, so
// the pipeline sends less. Each translation must then keep its source's
// tags ([tags.Check]) and must not be empty, a refusal, reasoning
// ([ErrLeak]), a preamble such as "Here is the translation:" ([ErrPreamble])
// or a translator's note ([ErrNote]) inside the text, an echo of the source
// or still mostly in the source's script when the target is written in
// another (zh→en). Such text is rejected, never trimmed and accepted:
// failures come back as a [*providers.SegmentErrors] beside the good
// results, the failed slots are left empty, and the pipeline asks again.
//
// # Errors
//
// go-openai's *openai.APIError and *openai.RequestError are mapped to
// [*providers.Error] by HTTP status and OpenAI's error code: 429 and 5xx
// are retryable (except a 429 for an exhausted quota), 401, 403, 404 and
// other 400s and insufficient_quota are permanent; a request over the
// model's context (context_length_exceeded, string_above_max_length, 413,
// llama.cpp's exceed_context_size_error, vLLM's "maximum context length")
// is TooLarge; timeouts and network failures are retryable, with the
// network error kept in the chain so [providers.IsUnreachable] recognises a
// refused connection; a canceled context is Canceled. go-openai's errors
// carry no headers, so a wrapping http.RoundTripper captures Retry-After
// (and retry-after-ms) into [providers.Error.RetryAfter]. go-openai does
// not retry; the pipeline does. Every message is redacted with
// [providers.Redact]: no 12-byte piece of the key appears in an error or a
// log line, however a server echoes it.
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
// [providers.Estimator], [providers.Modeler] (the model, so translations
// are recorded as "openai:gpt-4o-mini") and io.Closer.
//
// Package openaitest holds a fake server speaking the same wire format, with
// scripted faults and a realistic fault mix, for tests and benchmarks.
package openaichat
