// Package googletest provides in-process fakes of Google Cloud Translation
// for tests, benchmarks and end-to-end runs of diglot: [V3], a gRPC server
// implementing translatepb.TranslationServiceServer, and [V2], an HTTP
// server speaking the v2 REST API (/language/translate/v2, GET with q=
// parameters or POST). Both listen on 127.0.0.1 only.
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
// queued with Inject are consumed one per request, and FailAll makes every
// request fail. Latency delays every reply.
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
