// Package xliff exchanges diglot's bilingual files with CAT tools (Trados,
// memoQ, OmegaT, Weblate) as XLIFF 2.1, so that translators review in
// their own tool and their work comes back into the files and the
// translation memory.
//
// # Export
//
// [ReadInput] reads a bilingual file (package out) and [Export] writes
// XLIFF 2.1 with a <file> per bilingual file (original= its path), a
// <unit> per marker unit and a <segment> per segment of the unit's source
// block: a paragraph, a heading, a list item's paragraph, a table cell, a
// front-matter field. The file says canResegment="no": diglot needs its
// segments back one for one.
//
// Inline markup travels as XLIFF codes carrying the original Markdown, not
// diglot's neutral tags: a standalone tag (an image without alt text,
// inline code, URL, hard break, raw HTML, footnote reference) is a <ph/>, a
// paired one (link, image around its alt text, emphasis, strong,
// strikethrough, wiki span around its label, link title) a <pc>…</pc>;
// each points into the unit's <originalData> at its exact bytes, has a
// short disp for the tool to show, a type (link, image, fmt with xlf:b,
// xlf:i or xlf:lb, other) and canCopy="no". A link or image title follows
// its link's code as a code of its own, shown as title "…" (its quotes are
// in the link's closing data); it and a wiki span may be deleted
// (canDelete="yes"), as package markdown lets a translation leave them
// out; every other code has canDelete="no". Code ids count from 1 through
// the unit.
//
// States map as machine → translated, reviewed (or a target a reviewer
// edited) → final, stale, new and failed → initial, with subState
// "diglot:<state>"; a new or failed unit has no <target>, since its slot
// holds the source. QA flags are <note category="flag">s; a failed unit
// has a note saying so, a stale one the earlier reviewed translation
// (category previous). The Metadata module (mda) carries, in a metaGroup
// of category diglot, the unit's marker id, its state, the engine:model
// that wrote a machine unit (by) and the hash of its target block.
//
// Ids are stable: a unit's is "u" and its source block's hash (then -2,
// -3… for repeats of the same block), so the same unit has the same id in
// every export, even after blocks are added elsewhere; a file's derives
// from its path.
//
// # Import
//
// [Parse] reads XLIFF 2.0 or 2.1 as tools write it back: attributes in any
// order, other namespaces and prefixes, re-indented, in UTF-8 or UTF-16,
// units inside <group>s, <originalData> or metadata dropped, <pc> turned
// into <sc/>…<ec/>, annotations (<mrk>) around text. XLIFF 1.2 is refused
// ([ErrVersion]). Codes are matched back to the source's tags by id, so
// what a tool does to the original data does not matter.
//
// [Apply] applies one <file> to its bilingual file and returns the new
// bytes:
//
//   - a target that differs from the unit's (white space aside) becomes
//     the unit's new target block, assembled on the source block's
//     skeleton and spliced into the file: every byte outside the edited
//     targets and their markers is kept;
//   - a changed unit, and one whose every segment is final, is marked
//     state=reviewed (a failed unit loses its failed flag, a machine unit
//     its by= origin), so the next run and `diglot tm import-reviews`
//     store it as a reviewed entry;
//   - the new file is read back with the bilingual reader's rules, as a
//     reviewer's edit would be.
//
// A code lost (but for a whole title or wiki span), invented or moved to
// another segment, half of a title or wiki span, text that looks like
// a diglot tag, a resegmented unit, a new or failed unit translated only in
// part, or a target that no longer has its source's structure fails the
// whole file with an [*ApplyError] that names the bilingual file's line
// and the XLIFF's; nothing of that file is applied. A unit whose source
// block is no longer in the file, or whose target was edited in the file
// after the export (its mda target hash says so), is skipped and reported.
package xliff
