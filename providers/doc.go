// Package providers defines the interface between the pipeline and
// translation engines, the registry that names them, and the classification
// of their errors.
//
// # Contract
//
// A [Provider] translates one batch of segments in the neutral tag form (see
// package tags) and returns exactly one result per segment, in order. It does
// not retry: retries, backoff and rate limits live in the pipeline's translate
// stage, shared by every engine. It classifies its errors with [*Error] so the
// pipeline can tell a retryable failure (429, 5xx, timeouts) from a permanent
// one (auth, bad request, quota) and from a bad reply (malformed, wrong count),
// which the pipeline answers by splitting the batch. It may be called
// concurrently and keeps no reference to the request after returning.
//
// The classes let a run converge: Retryable failures are retried as they
// are; a BadReply is retried, halved and re-sent; a [*SegmentErrors]
// re-sends only the failed segments; TooLarge (a context window exceeded,
// "text too long", a reply cut by the output limit) is sent again smaller,
// never as it was; Permanent stops the engine. An engine that sends
// several requests for one Translate call would be billed twice for the
// parts that succeeded when the call is retried, so one call is one
// request: an engine declares one request's worth in [Limits] and refuses
// more as TooLarge before sending anything.
//
// # Constructors and secrets
//
// Every engine package has the same two constructors: New(cfg [Config])
// ([Provider], error), the registry's factory, and NewTranslator(opts
// *Options) (*Translator, error) for library users, where nil means
// defaults. Secrets come from the environment only, read through
// Config.Getenv (Options.Getenv): building an engine whose key variable is
// unset fails with a [*KeyError] ("OPENAI_API_KEY is not set"), before any
// request, unless the server is local ([IsLocalURL]) or the table says
// api_key_env = "". Every error and log line goes through [Redact], which
// hides any 12-byte piece of a key, however a server echoes it.
//
// # Optional interfaces
//
// An engine may also implement any of these; the pipeline type-asserts them
// and falls back to defaults, as database/sql does with driver.Pinger:
//
//   - [Limiter]: per-request limits and rate limits the pipeline batches and
//     paces for; without it, [DefaultLimits].
//   - [GlossaryNative]: the engine enforces glossary entries itself (Google v3
//     with a glossary resource), so the pipeline does not protect terms.
//   - [GlossaryHints]: the engine renders request glossary entries into its
//     prompt (chat engines), so terms are passed instead of protected.
//   - [Metered]: cumulative usage (tokens, characters, requests, cost).
//   - [Estimator]: how the engine counts a segment's size (tokens for chat
//     engines), for batching and dry-run estimates.
//   - [Modeler]: the model that answers, recorded in each translation's
//     origin ("openai:gpt-4o-mini").
//   - [Synthetic]: the engine's output is not a translation (copy,
//     pseudo); its results are never stored or reused as machine
//     translations.
//   - io.Closer: released at the end of a run.
//
// # Registry
//
// Engines register by name in init, like database/sql drivers:
//
//	func init() { providers.Register(providers.Engine{Name: "copy", New: New}) }
//
// Only cmd/diglot blank-imports providers/all. Library users may skip the
// registry and call an engine's constructor directly.
package providers
