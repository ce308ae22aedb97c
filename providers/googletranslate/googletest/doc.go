// Package googletest provides in-process fakes of Google Cloud Translation
// for tests, benchmarks and end-to-end runs of diglot: [V3], a gRPC server
// implementing translatepb.TranslationServiceServer, and [V2], an HTTP
// server speaking the v2 REST API (/language/translate/v2: GET with q=
// parameters, or POST with a JSON body, bare or wrapped in {"data": …} as
// Google's generated client sends it). Both listen on 127.0.0.1 only, and
// enforce Google's limits: V3 1,024 strings and 30,000 code points ("Text
// is too long."), V2 128 strings ("Too many text segments"), a 100,000-byte
// body ("Text too long") and an 8 KB URL (414).
//
// They translate deterministically with [Pseudo]: in HTML mode, text nodes
// become pseudo-English (Han characters become Latin syllables, Latin
// letters are upper-cased, Chinese punctuation becomes ASCII) while
// elements are kept with their attributes and the content of elements
// marked translate="no" is left alone; quotes and apostrophes come back as
// &quot; and &#39;, as Google writes them. With a glossary configured (v3),
// glossary terms are replaced by their targets in glossary_translations.
//
// Faults are scripted, as database/sql's fake driver does: [Fault] values
// queued with Inject are consumed one per request, FailAll makes every
// request fail, and a [Script] set with SetScript picks the fault of every
// other request. Latency delays every reply. Requests, Chars (every string
// received) and Billed (the strings of requests answered with
// translations, which is what Google bills) count what arrived.
//
// # A realistic mix of faults
//
// [Mix] returns a Script that injects each [Kind] of fault (RateLimit,
// ServerError, Timeout, TextTooLong, Truncated) at a rate,
// deterministically for a seed, and transiently: the same request sent
// again is answered, as a retry usually is. A pipeline that retries and
// splits as it should ends such a run with no failed segment:
//
//	srv.SetScript(googletest.Mix(1, map[googletest.Kind]float64{
//		googletest.RateLimit: 0.03, googletest.ServerError: 0.02, googletest.Timeout: 0.01,
//		googletest.TextTooLong: 0.02, googletest.Truncated: 0.02,
//	}))
//
// Give the engine a short timeout (Timeout holds a request until the client
// gives up).
//
// The lead's end-to-end test starts a V2 and points diglot at it:
//
//	srv := googletest.NewV2("sk-test-CANARY-key")
//	defer srv.Close()
//	// [providers.google-basic]
//	// endpoint = srv.Endpoint()
//	// and GOOGLE_TRANSLATE_API_KEY=sk-test-CANARY-key in the environment
//
// A V3 is reached with endpoint = srv.Addr() and insecure = true under
// [providers.google].
package googletest
