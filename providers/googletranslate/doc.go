// Package googletranslate provides two engines over Google Cloud Translation
// through cloud.google.com/go/translate: "google" (Cloud Translation -
// Advanced, v3, gRPC, native glossaries) and "google-basic" (Cloud
// Translation - Basic, v2, REST with an API key).
//
// Both register themselves in init; library users may instead call
// [NewAdvanced] or [NewBasic] directly. The Google client packages are
// imported here and nowhere else in diglot, because they are heavy to build.
//
// # Configuration
//
// The v3 engine reads [AdvancedOptions] from [providers.google] and takes
// its credentials from Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS). The v2 engine reads [BasicOptions] from
// [providers.google-basic] and takes its API key from the environment
// variable GOOGLE_TRANSLATE_API_KEY (or the one named by api_key_env). The
// key travels in the X-Goog-Api-Key header, never in a URL, and is never
// logged or put in an error message.
//
// # Wire encoding
//
// Segments arrive in the neutral tag form of package tags. Both engines send
// them as HTML with the format set explicitly (v3 mime_type "text/html", v2
// format "html"). v3 treats a request without mime_type as HTML, which
// would mangle raw Markdown; here the text is HTML-escaped (& and <), so
// Markdown punctuation and angle brackets survive, and tags become span
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
// for a closing one) so the HTML stays well formed.
//
// Replies are decoded back: entities such as &#39;, &quot;, &amp; and &lt;
// are unescaped, spans become tags again, extra attributes Google adds (a
// style for right-to-left targets) are ignored, and every result is checked
// with tags.Check. A dropped, duplicated, invented or badly nested tag fails
// that segment alone, reported with [*providers.SegmentErrors]; fewer
// translations than inputs fails the batch as [providers.BadReply].
//
// # Limits
//
// The v3 engine reports at most 1,024 segments and 5,000 code points per
// request (Google's recommended size; the hard limit is 30,000, which
// bounds what is actually sent, markup included). The v2 engine reports at
// most 128 segments, and because its client sends every string in the
// query of a GET request, it also reports its size unit through
// [providers.Estimator] as URL bytes, with MaxTokens the URL budget
// (max_url_bytes, default 8,000). A segment too long for one request is
// split inside the engine at sentence boundaries (。！？； and .!? before a
// space, never inside a tag, preferring places outside paired tags),
// translated in pieces and rejoined as one result. A batch that would still
// exceed a limit is split into several calls.
//
// # Glossaries
//
// With a glossary resource configured, the v3 engine sends glossary_config,
// uses the reply's glossary_translations, and reports
// [providers.GlossaryNative] true, so the pipeline does not protect terms.
// Otherwise (v2, or v3 without a glossary) the pipeline protects terms
// before calling the engine.
//
// # Errors and retries
//
// gRPC codes and *googleapi.Error map to [providers.Error] classes:
// RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, 429, 5xx and 403
// rateLimitExceeded/userRateLimitExceeded are retryable, honouring
// RetryInfo and Retry-After; other 403s (forbidden, invalid key, daily
// limit), 400 and INVALID_ARGUMENT are permanent; 413/414 (request too
// large) are a bad reply, so the pipeline halves the batch. The client
// libraries' own retries are switched off; the pipeline retries.
//
// # Usage
//
// Both engines implement [providers.Metered]: requests made, characters
// billed (code points of the content actually sent, markup included, which
// is what Google counts) and the cost at price_per_million_chars.
package googletranslate
