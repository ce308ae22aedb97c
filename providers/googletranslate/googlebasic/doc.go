// Package googlebasic is the "google-basic" engine: Cloud Translation -
// Basic (v2) over REST, through Google's generated client
// google.golang.org/api/translate/v2, with an API key.
//
// It shares its wire form with package googletranslate (the "google"
// engine, v3): segments travel as HTML with the format set explicitly,
// protected spans as empty translate="no" spans, paired tags as spans;
// see that package's documentation.
//
// # Key
//
// The key comes from the environment only: Options.APIKey for library
// users, else the variable api_key_env names (GOOGLE_TRANSLATE_API_KEY by
// default). Building the engine fails with a [*providers.KeyError]
// ("GOOGLE_TRANSLATE_API_KEY is not set") when it is unset, unless the
// endpoint is local ([providers.IsLocalURL]: an emulator or proxy) or the
// table sets api_key_env = "". The key travels in the X-Goog-Api-Key
// header, never in a URL, and no 12-byte piece of it appears in an error
// or a log line ([providers.Redact]).
//
// # One request per Translate
//
// Each Translate call is one POST to translate/v2 with the strings in a
// JSON body (not the GET of cloud.google.com/go/translate, whose URL
// would bound a request to a few thousand bytes). The engine declares a
// request's worth through [providers.Limiter]: at most 128 strings and
// max_chars_per_request (5,000 by default) billed code points, counted by
// [Translator.Tokens] as Google bills them, HTML markup and escapes
// included; the same count prices estimates, so an estimate is what
// Google will bill. A request over Google's limits (128 strings, a
// 100,000-byte body) is refused as [providers.TooLarge] before anything
// is sent, so the pipeline splits it, and a retry never re-bills a part
// that had succeeded. Google's own "Text too long", "Too many text
// segments", 413 and 414 are TooLarge too.
//
// # Errors
//
// 429, 5xx, a 403 rateLimitExceeded or userRateLimitExceeded and a
// request that takes longer than timeout are retryable (Retry-After
// honoured); other 403s (forbidden, invalid key, daily limit) and 400s
// are permanent. The client does not retry; the pipeline does.
//
// # Optional interfaces
//
// [*Translator] implements [providers.Limiter], [providers.Metered]
// (requests, characters billed and their cost at price_per_million_chars),
// [providers.Estimator], [providers.Modeler] ("nmt" or "base", so
// translations are recorded as "google-basic:nmt") and io.Closer.
package googlebasic
