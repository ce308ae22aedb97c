// Package out writes translated documents and reads reviewed ones back:
// the aligned bilingual Markdown file (format v1), and what is published
// from it: the target-only document, the paired layout for bilingual
// readers, bilingual HTML reading pages with their index, and Hugo pages
// (HugoSite: translated front matter, translationKey, links rewritten to
// the translated pages).
//
// # The bilingual file, format v1
//
// A bilingual file is a valid CommonMark document that reads well rendered
// and parses back exactly. It starts with a header comment:
//
//	<!-- diglot v1 source=zh target=en from=articles/summit.md -->
//
// followed by a blank line. A value holding spaces or other unusual
// characters is written as a Go quoted string. If the source starts with a
// UTF-8 byte order mark, the mark stays at byte 0, before the header.
//
// The header also records the markdown options that change how the source
// is cut into segments, when they are not the defaults, under the names of
// config.toml's [markdown] keys:
//
//	<!-- diglot v1 source=zh target=en from=a.md front_matter_fields=subtitle,title max_depth=8 wiki_links=unwrap -->
//
// The reader parses with what the header records, in the header's source
// language (which decides what indented blocks are prose), so a file is read with
// the options it was written with whatever the reader is configured with.
// Every reader and writer takes a [Format]: the language pair and the
// markdown options.
//
// Then comes the source, block by block. A top-level block with nothing to
// translate (blank lines, code, HTML, a thematic break, an image alone)
// appears once, verbatim. A block with segments — a unit — appears as:
//
//	the source block, verbatim
//	(a blank line)
//	<!-- diglot:t id=N src=XXXXXXXX mt=YYYYYYYY state=machine flags=numbers -->
//	the target block
//
// id counts the units from 1. src is [Hash] of the source block and mt the
// Hash of the target block as the machine wrote it; by (optional) names
// the engine and model that wrote the machine translation
// (by=openai:gpt-4o-mini), so that a run with another engine knows to
// translate it again; flags (optional) lists QA findings, comma-separated. Line endings the writer adds follow the
// source block's own style, so a CRLF file stays CRLF. A source without a
// final line ending gives a bilingual file without one; the writer adds one
// after the last source block, and the reader removes it again.
//
// The target block has the source block's structure: a list keeps its
// items, a table its rows and cells, a link its destination. Everything
// outside the segments' text (list markers, indentation, quote prefixes,
// link destinations, inline code) is the source's.
//
// # States
//
// state is one of:
//
//	new       not translated yet
//	machine   translated by an engine
//	reviewed  edited or approved by a reviewer
//	stale     the source changed after review
//	failed    no valid translation; the source is kept in the target slot
//	          and flags includes failed
//
// A stale unit also shows the earlier reviewed translation, after its
// target block, for the reviewer to reconcile:
//
//	<!-- diglot:t id=N src=… mt=… state=stale -->
//	the new machine translation
//	<!-- diglot:previous id=N -->
//	the earlier reviewed translation
//	(a blank line)
//
// # Front matter
//
// YAML front matter must stay first for renderers to see it, so a file
// whose source starts with front matter begins with the source front
// matter, then the header and its blank line. If the front matter has
// translated fields (title, description, summary), its unit follows at
// once: the marker, then the target front matter from its opening ---
// line to its closing --- (or ...) line. The reader takes exactly those
// lines as the target. Renderers show the target front matter as a rule
// and a heading, which is harmless in a review copy.
//
// # Reviewing
//
// A reviewer edits target blocks in place. A target whose Hash no longer
// equals its mt was edited: [Unit.Edited]. Setting state=reviewed by hand
// approves a target as it is. Both count as [Unit.Approved], for a stale
// unit too: editing its target (or taking over the previous one), or
// marking it reviewed, reconciles it. Line endings and trailing white space
// do not count as edits.
//
// Target blocks moved between units — two exchanged by a cut and paste, or
// several moved round — are an [ErrSwapped] error naming the units and
// their lines: each edited target holds what the machine wrote for
// another unit whose own target was edited too. Only targets an engine
// wrote can be recognised so (their hash is some unit's mt).
//
// Source blocks, markers and the blank lines around them must be left
// alone. The reader finds units by their markers and checks each against
// the block before it, so a comment in the source that merely looks like
// a marker — a README quoting one, a copied bilingual snippet, a marker in
// a code block — stays source text: a real marker follows a block with
// segments after exactly one blank line, carries the next id, and its src
// is that block's hash.
//
// # Reading
//
// [ReadBilingual] checks the file's language pair against its Format's
// ([ErrPair]), reconstructs the source byte for byte, parses it, maps
// each unit to its source block and parses each target block against it.
// A target block whose structure no longer matches its source (an item
// added, a cell lost, a link dropped), a missing target, or an edited
// source is an error naming the file and line ([*ParseError]), and nothing
// of that file is returned. (The full structure comparison runs on edited
// targets; a target that still hashes to its mt is what the writer wrote,
// and only its segments are matched to the source's.) Each target's
// segments are converted to the neutral form with the source segment's
// tag numbering ([Unit.Targets], [File.Targets]), ready for a translation
// memory.
//
// Reading is linear in the file's size: each line is looked at a bounded
// number of times, each block hashed once, and the source parsed once. A
// target identical to its source block (the copy engine's, a failed
// unit's) has its source's segments and is not parsed again; other
// unedited targets are parsed in the target document a chunk of about
// 256 KiB at a time, so that a large file never holds the syntax tree of
// a second whole document; an edited target is parsed alone and compared
// with its source block.
//
// A target edited so that it becomes two blocks is reported when the
// second holds text; an added block with nothing to translate becomes part
// of the source.
//
// # Publishing
//
// [File.TargetDocument] is the target-only document (diglot publish
// --layout target): the source skeleton with every target block, reviewer
// edits included; written from targets equal to the source it is the
// source byte for byte. [File.PairedDocument] (--layout bilingual) pairs
// each source block with its target block, with no header and no markers,
// as valid Markdown in which each pair renders as two blocks: an empty
// HTML comment keeps a list or quote apart from its target, the target's
// footnotes get labels of their own ([^1] becomes [^1-en]), a heading is
// published once, in the target language, with the source heading's text
// as a paragraph below it, and front matter is the target's alone.
// [WriteTarget] assembles a target document straight from a parsed source
// and its targets.
package out
