// Package qa checks translations: it finds what a translation broke and
// reports it as findings that the pipeline writes into the bilingual
// marker (flags=numbers,untranslated), the run report and stderr
// ("file:line: kind: message"), and that `diglot check` and a strict run
// turn into exit status 1.
//
// # Checks
//
// Each check is a small function of its own file, and each can be switched
// off by its kind in Config.Disable:
//
//   - structure: markdown.Compare — block tree, heading levels, list kinds
//     and item counts, table shape, code blocks byte for byte, link and image
//     destinations, inline code and raw HTML.
//   - tags: tags.Check — every tag of the source once, none invented, well
//     nested.
//   - numbers: every number of the source in the target in an accepted
//     form: digits (ASCII or full width, with thousands separators and
//     decimals), Chinese magnitudes in any English form (8亿 = 800 million
//     = 0.8 billion = 800,000,000; 20万 = 200,000 = 200 thousand; 1.2万亿 =
//     1.2 trillion; 1亿8千5百万, 两个亿, 四十二万七 = 427,000, traditional 萬
//     and 億), dates (6月16日 = June 16 = 16 June), percentages (5% = 5
//     percent, 百分之五), fractions (三分之一 = a third), ordinals (第三 =
//     third, 3rd), counts in Chinese numerals (三个 = three) and ranges
//     (6000-8000万 = 60-80 million). A lost number in digits is an error;
//     one in Chinese numerals is a warning, since a good translation may
//     drop it (两国 "both countries"). Numerals that are words or idioms
//     (一些, 统一, 头两天, 三番五次) and approximations (几十万) are not
//     numbers. Numbers inside tags and URLs are left to those checks; a
//     formatting tag lets a magnitude follow its number (**7**万), a
//     standalone tag ends a number. Only numbers in digits are read from a
//     source in another language (English number words are read in
//     targets only).
//   - untranslated: a target that repeats its source, or is still mostly in
//     the source's script when the languages differ.
//   - missing: an empty target for a source with text.
//   - merged: a target that seems to hold the next segment's translation too
//     (that segment's target is empty and the first target's length fits
//     both sources better than its own); reported instead of missing.
//   - leaked: reasoning blocks (<think>), preambles ("Here is the
//     translation:"), notes ("Note: …", "Translator's note") and refusals
//     ("I'm sorry, but", "As an AI") that the source does not have.
//   - length: a target/source character ratio outside LengthBounds (a
//     warning; sources shorter than 12 Chinese characters or 36 letters are
//     not checked). What a translation keeps as it is (digits, punctuation,
//     Latin names in Chinese) counts at its target size.
//   - glossary: the violations Config.Glossary reports. qa does not import
//     package glossary: the caller passes its verification as a function.
//   - urls: every URL of the source — in the text, behind link, image and
//     autolink tags, and in the skeleton — present in the target unchanged,
//     a Chinese path or query included (…?filename=病毒溯源.mp4); and no
//     link in the rendered target (goldmark's linkify rules) that is a
//     piece of a source URL or one with the next word glued on.
//   - state: a unit still stale or failed. Package qa sees no states: the
//     kind is for readers of bilingual files (pipeline.Check), so that
//     Config.Disable covers it too.
//
// # Entry points
//
// CheckSegment checks one Pair of neutral texts; CheckPairs checks the
// pairs of a document in order, adding the merged check; CheckDocument
// compares a source document with its translation (structure, URLs
// anywhere in the bytes); Check does all of it for two parsed documents,
// pairing their segments with PairsOf. The pipeline, which holds each
// segment's target, calls CheckPairs with Pair.Tags set and CheckDocument on
// the assembled target, and combines the two with Merge (which reports a
// URL a segment lost once); `diglot check` reads a bilingual file into the
// two documents and calls Check, which does the same.
//
// # Lines
//
// A Finding's Line is where a reader should look: for a pair, Pair.Line
// (the caller's choice, normally the target's line in the file it writes);
// for a structure difference, the line in the target document; for a URL
// lost outside the segments, the line of the target block in the place of
// the source block that held it. Segment is the segment's index, or
// NoSegment.
//
// # Severity
//
// Errors: structure, tags, numbers in digits, untranslated, missing,
// merged, leaked, glossary, urls, a failed unit. Warnings: numbers in
// Chinese numerals, length, a stale unit. HasErrors decides a strict run;
// Flags gives the marker's flags.
package qa
