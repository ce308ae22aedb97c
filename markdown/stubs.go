package markdown

// This file holds the API the markdown package implements; bodies are
// filled in by the implementation files.

// Parse parses src (valid UTF-8) as CommonMark with the GFM extensions,
// footnotes and YAML front matter, and cuts it into skeleton and segments.
func Parse(src []byte, opts *Options) (*Document, error) { panic("markdown: not implemented") }

// ParseFragment parses frag, a run of top-level blocks cut from ctx's source
// (such as one edited target block of a bilingual file), with ctx's link
// reference definitions in scope so reference links resolve as they did in
// the whole document.
func ParseFragment(frag []byte, ctx *Document, opts *Options) (*Document, error) {
	panic("markdown: not implemented")
}

// Assemble returns the document with each segment's text replaced by
// targets[i] (neutral form), tags restored to their source bytes and the text
// written back in its context (soft line breaks and container prefixes,
// escaping in table cells and YAML). With targets[i] == Segments[i].Text for
// every i, the result equals Source() byte for byte.
func (d *Document) Assemble(targets []string) ([]byte, error) { panic("markdown: not implemented") }

// AssembleBlock returns the bytes of top-level block b with its segments
// replaced as in Assemble. targets is indexed like d.Segments.
func (d *Document) AssembleBlock(b int, targets []string) ([]byte, error) {
	panic("markdown: not implemented")
}

// AlignTags renumbers the tags of like (a segment parsed from an edited
// target) to the numbers of the same spans in seg, matching by kind and
// exact bytes, and returns like's text in seg's numbering. It fails when a
// tag of either has no counterpart.
func AlignTags(seg, like Segment) (string, error) { panic("markdown: not implemented") }

// Normalize returns the form of a segment text used for identity: Unicode
// NFC, runs of white space (including line breaks) folded to one space,
// trimmed.
func Normalize(text string) string { panic("markdown: not implemented") }

// Difference is one way a target document's structure departs from its
// source's.
type Difference struct {
	Line    int    // 1-based line in the target (0 when not located)
	Kind    string // "block", "heading", "list", "table", "code", "link", "image", "code-span", "html"
	Message string
}

// Compare reports how tgt's structure differs from src's: the block tree,
// heading levels, list kinds and item counts, table rows and columns, code
// blocks byte for byte, and the multisets of link and image destinations,
// inline code and raw HTML. Nil means the same structure.
func Compare(src, tgt *Document) []Difference { panic("markdown: not implemented") }
