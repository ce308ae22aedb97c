// Package glossary loads, matches, enforces and verifies names and terms.
//
// A glossary says how a source term must appear in a translation (北京 as
// "Beijing", never "Peking"). The package closes the loop around every
// engine: find the terms in a segment, tell the engine or protect the terms
// from it, check the translation, and count compliance for the run report.
//
// # Files
//
// [Load] reads TSV, CSV or TOML files, chosen by extension. The tabular
// formats have a header line naming the columns, in any order:
//
//	source     the source term (required)
//	target     its required rendering (required unless mode is keep)
//	note       guidance for translators and chat engines
//	case       sensitive | insensitive (default; Latin terms only)
//	mode       translate (default) | keep: leave the term as written
//	aliases    other source spellings, |-separated (e.g. traditional 習近平)
//	forbidden  target variants that must not appear, |-separated ("Peking")
//
// Blank lines and lines starting with # are skipped. TSV fields are not
// quoted; \t, \n, \r and \\ are escapes. CSV follows RFC 4180. TOML files
// hold [[term]] tables with the same keys (aliases and forbidden as arrays
// of strings or one |-separated string) and are decoded strictly.
//
// Bad input is a [*LoadError] naming file and line: an unknown column, key
// or value, invalid UTF-8 (or UTF-16), an empty source or a term that is
// only white space, an empty target for a translate term, and the same
// source spelling twice in one file with different targets (with the same
// target the rows merge). Several files merge in order, later ones
// overriding earlier ones; each override is reported as a [Conflict].
//
// # Matching
//
// [Glossary.Match] runs one Aho–Corasick automaton over every term and
// alias and picks the leftmost-longest occurrences, so a shorter term never
// matches inside a longer one (美国总统 wins over 美国). CJK terms match
// anywhere; a term that starts or ends with a letter or digit of a spaced
// script matches only on a word boundary there, case-insensitively unless
// the entry says case sensitive. Input is a segment in the neutral tag form
// (package tags): terms never match inside or across a tag, so links, code
// and HTML, which the segmenter turned into tags, are never touched. Bare
// URLs left in the text are skipped too. Matching time hardly depends on the
// number of terms (see BenchmarkMatch).
//
// # Enforcement
//
// The pipeline chooses per engine:
//
//   - engines with glossary hints (chat engines) get [Entries] of the
//     matches in the request, and keep terms are protected;
//   - engines with a native glossary (Google v3 with a glossary resource)
//     use it, and keep terms are protected;
//   - every other engine gets each term protected: [Protect] replaces it
//     with a new standalone tag and [Unprotect] puts the target term (or
//     the source spelling of a keep term) in its place after translation.
//
// [KeyHash] of a segment's matches goes into its translation-memory key, so
// changing a term re-translates only the segments that contain it.
//
// # Verification
//
// [Verify] (and [Glossary.CheckPair]) check a translation: each distinct
// matched entry must appear at least once (case-insensitive for Latin,
// allowing -s, -es and 's), keep terms verbatim, and no forbidden variant may
// appear outside a required term. We require one occurrence per distinct
// entry, not one per source occurrence: that is the usual QA-tool rule, and
// translations rightly use pronouns for repeated names. [Stats] accumulates
// per-term occurrences, applied and violated counts and the overall
// compliance for the run report.
//
// # Export
//
// [Export] writes our TSV (which Parse reads back), Google Cloud
// Translation's unidirectional glossary CSV (no header, source and target
// columns; the language pair goes to CreateGlossary), and TBX-Basic (TBX v3,
// ISO 30042) for CAT tools, with forbidden variants as deprecated terms.
package glossary
