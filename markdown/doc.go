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
// only), a table cell, an indented code block that is prose (see
// [Options.IndentedCode]), or the value of a selected front-matter field
// (title, description, summary by default; a field may be a dotted path into
// nested mappings, "cover.alt", or a list of strings, each item a segment;
// single-line plain or quoted scalars only). Its leading and trailing white
// space stays in the skeleton. Fenced code blocks, other indented code
// blocks, HTML blocks, thematic breaks, link reference definitions and
// blocks with no letter outside their tags (an image without alt text, a
// number) are skeleton.
//
// # Tags
//
// [Segment.Text] is the neutral form of package tags: the segment's source
// bytes with each protected span replaced by a tag numbered from 1 in source
// order. Everything a reader sees is text: links (inline and full
// reference), emphasis, strong emphasis, strikethrough and images (around
// their alt text) are paired tags around translatable text, their opening
// and closing bytes kept in [Tag.Open] and [Tag.Close]; a link's or image's
// title is the text of a [TitleTag] after it; a [[target]] or
// [[target|label]] wiki span is a paired [WikiTag] around its label (see
// [Options.WikiLinks]). Inline code, raw inline HTML, autolinks and bare
// URLs, footnote references, shortcut and collapsed reference links and
// images (whose text is their label), emoji shortcodes, hard line breaks
// (with the next line's container prefix) and any source text that looks
// like a tag are standalone tags. Backslash escapes and entities stay as
// their source bytes.
//
// A bare URL is protected as far as its path plainly goes: through
// backslash escapes, and through non-ASCII text followed by more URL
// structure ("…?filename=病毒溯源.mp4", "…/tag/文贵先生/"), never into the
// prose after it; its tail is never translated.
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
// A translation is new text around the same tags, and Markdown reads some
// text as syntax. The writer escapes what would be read differently, so
// that what it writes parses back ([ParseFragment], [AlignTags]) with the
// segment's tags: block syntax at a line start, HTML, emoji shortcodes and
// URLs that text would create, a word glued to a bare URL or that would
// extend it, an empty line, trailing spaces before a line break. Emphasis,
// code spans and links that literal text could form are checked by parsing
// a probe of the segment, and only when it reads otherwise is the segment
// written robustly (every literal delimiter escaped, every delimiter run
// made unambiguous). A translated wiki label is written after the span's
// target, [[zh:香港|Hong Kong]]; a translated title between its quotes.
// Wiki spans and titles are optional: a target without them is written
// without them.
//
// # Structure
//
// [Compare] checks that a translated document kept its source's structure:
// the block tree, heading levels, list kinds and item counts, table shapes,
// code blocks byte for byte (not those translated as prose), and the
// multisets of link and image destinations, inline code and raw HTML. The
// QA gate reuses it.
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
