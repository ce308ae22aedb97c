// Package markdown cuts a Markdown document into skeleton and translatable
// segments, and puts translated segments back byte for byte.
//
// It parses CommonMark with the GFM extensions (tables, strikethrough, task
// lists, linkified URLs) and footnotes through github.com/yuin/goldmark, and
// reads YAML front matter itself. Everything works on byte offsets into the
// original source: line endings (CR LF, LF, mixed), a byte order mark, odd
// spacing and trailing spaces are never normalised away.
//
// # Blocks
//
// [Document.Blocks] are the top-level blocks. They tile the source: the first
// starts at 0, each ends where the next starts, the last ends at the end of
// the source, and each includes its final line ending. Runs of blank lines
// are [Blank] blocks; a byte order mark belongs to the first block. A GFM
// table starts at its header row, not at the paragraph goldmark cut it from.
//
// # Segments
//
// A segment is one leaf text block: a paragraph at any depth (in list items,
// block quotes and footnote definitions), a heading (ATX or setext, its text
// only), a table cell, or the value of a selected front-matter field (title,
// description, summary by default; single-line plain or quoted scalars only).
// Its leading and trailing white space stays in the skeleton. Code blocks,
// HTML blocks, thematic breaks, link reference definitions and blocks with no
// letter outside their tags (an image alone, a number) are skeleton.
//
// # Tags
//
// [Segment.Text] is the neutral form of package tags: the segment's source
// bytes with each protected span replaced by a tag numbered from 1 in source
// order. Links (inline and full reference), emphasis, strong emphasis and
// strikethrough are paired tags around translatable text; their opening and
// closing bytes are kept in [Tag.Open] and [Tag.Close]. Images, inline code,
// raw inline HTML, autolinks and bare URLs, footnote references, shortcut
// and collapsed reference links (whose text is their label), hard line
// breaks (with the next line's container prefix), [[…]] wiki spans and any
// source text that looks like a tag are standalone tags. Backslash escapes
// and entities stay as their source bytes.
//
// A soft line break is a single "\n" in the text; its exact bytes (CR LF or
// LF plus the next line's container prefix, such as "> " or list indentation)
// are kept by the segment. A translation with more line breaks than the
// source reuses the last one; where the source had none (a heading, a cell)
// a line break is written as a space.
//
// # Assembly
//
// [Document.Assemble] writes each target in place of its segment: tags back
// to their source bytes, line breaks restored, '|' escaped in table cells,
// and front-matter values re-quoted when they need it (an unchanged value is
// written as its original bytes). With every target equal to its segment's
// text the result is the source, byte for byte. A segment's text is its
// source bytes outside the tags and line breaks, so it renders back by
// construction; a leaf block whose inline spans cannot be located exactly
// (overlapping, out of range, implausible delimiters) or that holds a line
// ending outside a known break is left as skeleton rather than risk that.
//
// # Structure
//
// [Compare] checks that a translated document kept its source's structure:
// the block tree, heading levels, list kinds and item counts, table shapes,
// code blocks byte for byte, and the multisets of link and image destinations,
// inline code and raw HTML. The QA gate reuses it.
//
// # Limits
//
// goldmark checks every open block on every line, so extreme nesting costs
// quadratic time. Lines whose container prefix is deeper than
// [Options.MaxDepth] (64 by default; two columns of indentation count as one
// level) are parsed as plain text at a bounded depth and are never segments.
// Emphasis written next to CJK punctuation follows CommonMark's flanking
// rules, as GitHub renders it: "**强调：**的" is not strong emphasis, and its
// asterisks stay literal text.
package markdown
