// Package googletranslate is the "google" engine: Cloud Translation -
// Advanced (v3) over gRPC through cloud.google.com/go/translate/apiv3,
// with native glossaries. Its sibling package googlebasic is the
// "google-basic" engine (Basic, v2, REST with an API key); both share the
// wire form described here, and package googletest fakes both services.
//
// The engine registers itself in init; library users may call [New] with
// a providers.Config or [NewTranslator] with [Options] directly.
//
// # Credentials
//
// Application Default Credentials, never the configuration file. Building
// the engine checks what can be checked without the network and fails
// before any request when credentials are surely missing:
// GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read or is not
// a credentials file, or there is neither that variable, nor gcloud's
// application-default file, nor a sign of running on Google Cloud (Cloud
// Run, Cloud Functions, App Engine, GKE, a Compute Engine machine, or
// GCE_METADATA_HOST), whose metadata server would supply them. A key that
// looks right but is revoked is reported by the first request, as a
// permanent error. The project comes from project or GOOGLE_CLOUD_PROJECT.
//
// # Wire encoding
//
// Segments arrive in the neutral tag form of package tags. Both engines send
// them as HTML with the format set explicitly (v3 mime_type "text/html", v2
// format "html"). v3 treats a request without mime_type as HTML, which
// would mangle raw Markdown; here the text is HTML-escaped (&, <, and \r),
// so Markdown punctuation and angle brackets survive, and tags become span
// elements, which Google keeps in place and moves with the words they mark:
//
//	<xN/>        <span translate="no" id="xN"></span>
//	<gN>…</gN>   <span id="gN">…</span>
//
// translate="no" is Google's documented way to keep a span untranslated; a
// standalone tag has no content, so nothing in it can be translated or
// dropped. Paired tags stay translatable. Should a segment ever hold tags
// that are not well nested (as a piece of a split segment may), each tag is
// sent as its own protected empty span (id "gN" for an opening tag, "eN"
// for a closing one) so the HTML stays well formed. White space around a
// segment is not sent (Google trims it) and is put back.
//
// Replies are read with golang.org/x/net/html's tokenizer: entities such
// as &#39;, &quot;, &amp; and &lt; are unescaped, spans become tags again,
// extra attributes Google adds (a style for right-to-left targets) are
// ignored, and every result is checked with tags.Check. A dropped,
// duplicated, invented or badly nested tag, or markup that was never sent,
// fails that segment alone, reported with [*providers.SegmentErrors]; a
// reply with more or fewer translations than strings sent fails the batch
// as [providers.BadReply].
//
// # One request per Translate
//
// Each Translate call is exactly one TranslateText RPC, so that a retry
// never re-bills a part that had succeeded. The engine declares one
// request's worth through [providers.Limiter]: 1,024 strings and
// max_chars_per_request (5,000 by default, Google's recommendation)
// billed code points, with [Translator.Tokens] counting a segment as
// Google counts and bills it, markup and escapes included; a paragraph
// longer than a request (MaxSegmentChars) is split by the pipeline, the one
// splitter of every engine, before it reaches the engine. A request over
// Google's hard limits (1,024 strings, 30,000 code points) is refused as
// [providers.TooLarge] before anything is sent; so is Google's own "Text is
// too long". The same count prices estimates ([Translator.EstimateCost]),
// so a dry run's estimate is what Google will bill.
//
// # Glossaries
//
// With a glossary resource configured, the engine sends glossary_config,
// uses the reply's glossary_translations, and reports
// [providers.GlossaryNative] true, so the pipeline does not protect terms.
// Otherwise (v2, or v3 without a glossary) the pipeline protects terms
// before calling the engine.
//
// # Errors and retries
//
// gRPC codes map to [providers.Error] classes: RESOURCE_EXHAUSTED,
// UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, INTERNAL and UNKNOWN are
// retryable, honouring RetryInfo; INVALID_ARGUMENT is permanent unless it
// says the request is too large (TooLarge); PERMISSION_DENIED,
// UNAUTHENTICATED, NOT_FOUND and the rest are permanent. A request that
// takes longer than timeout (60s by default) is abandoned and retryable.
// The client library's own retries are switched off; the pipeline retries.
//
// # Optional interfaces
//
// [*Translator] implements [providers.Limiter], [providers.GlossaryNative],
// [providers.Metered] (requests made, characters billed, the cost at
// price_per_million_chars), [providers.Estimator], [providers.Modeler]
// (the model's short name, "general/nmt" when none is set, so
// translations are recorded as "google:general/nmt") and io.Closer.
package googletranslate
