// Package providertest is the conformance suite every translation engine runs
// against its fake server (or, for offline engines, against itself).
//
// # Use
//
// An engine's test builds a [Harness] and calls [Run]:
//
//	func TestConformance(t *testing.T) {
//		providertest.Run(t, providertest.Harness{
//			New: func(t *testing.T) providers.Provider {
//				srv := fake.NewServer(t)           // the engine's in-process fake
//				p, err := mine.New(srv.Config())
//				if err != nil {
//					t.Fatal(err)
//				}
//				return p
//			},
//			Fault: func(t *testing.T, f providertest.Fault) providers.Provider {
//				// a provider whose every request fails with f, or nil to
//				// skip that fault
//			},
//		})
//	}
//
// Offline engines set only New, plus Identity when their output equals their
// input (the copy engine):
//
//	providertest.Run(t, providertest.Harness{
//		New:      func(*testing.T) providers.Provider { return copyengine.Translator{} },
//		Identity: true,
//	})
//
// # What it checks
//
// Every subtest gets a fresh provider from Harness.New:
//
//   - Empty: an empty batch returns no results and no error; a batch of only
//     empty and whitespace-only segments returns one result each, an empty
//     segment comes back empty and a whitespace-only one comes back
//     whitespace-only.
//   - Order: a batch of varied segments (different lengths, each with a
//     different number of tags, empty ones in between) returns one result
//     per segment whose tags match that segment's, so a shuffled reply is
//     caught; unless Harness.Nondeterministic, translating the batch in
//     reverse order gives the same results reversed.
//   - Tags: standalone, paired, nested and adjacent tags, tags at the start
//     and end, and a segment that is only tags all pass [tags.Check].
//   - Unicode: CJK, full-width punctuation, emoji, combining marks, RTL text
//     and U+2028 come back as valid UTF-8 with tags intact.
//   - Identity: with Harness.Identity, every result equals its segment.
//   - Concurrent: several goroutines share one provider (run with -race).
//   - RequestUntouched: Translate does not modify req.Segments.
//   - Canceled: an already-canceled context returns an error whose
//     [providers.ClassOf] is [providers.Canceled].
//   - Model (only with Harness.Model): the engine implements
//     [providers.Modeler] and reports that model.
//   - Faults (only with Harness.Fault): each [Fault] the harness can inject
//     returns an error of the matching class (not [*providers.SegmentErrors]):
//     a 429 is Retryable and carries its Retry-After, a 5xx Retryable, bad
//     credentials Permanent, a malformed reply BadReply, a request too big
//     TooLarge; FaultStall checks that canceling the context of a request
//     that hangs returns promptly (a generous guard catches a hang; nothing
//     is timed).
//
// # The suite is tested too
//
// The suite's own tests run every check against deliberately broken engines
// (one that reorders its results, drops a tag, blanks or invents results,
// returns invalid UTF-8, depends on a segment's position, serves one call's
// results to another, returns the wrong count, writes into the request,
// ignores cancellation or hangs, calls a 429 permanent or a too-large
// request a bad reply, reports a malformed reply per segment, loses
// Retry-After, or names the wrong model) through a recording testing.TB,
// and assert that the check meant to catch each flaw fails, while a sound
// engine passes them all.
//
// Segments default to Chinese source text translated from zh to en; set
// Harness.Source and Harness.Target for other pairs.
package providertest
