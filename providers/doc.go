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
