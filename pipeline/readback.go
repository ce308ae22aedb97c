package pipeline

import (
	"fmt"

	"github.com/diglot/diglot/markdown"
)

// readsBack reports whether block bi, written with targets, parses back
// into the same segments with the same tags, which is what the bilingual
// reader requires. A translation can create Markdown its source did not
// have (a URL, a shortcode, list or heading syntax at a line start); such a
// block must fail alone, not make the whole file unreadable for check,
// publish and every later run.
func readsBack(doc *markdown.Document, bi int, targets []string, opts *markdown.Options) error {
	b := doc.Blocks[bi]
	if b.Kind == markdown.FrontMatter {
		return nil // YAML values are quoted when written; nothing to misread
	}
	identity := true
	for _, si := range b.Segments {
		identity = identity && targets[si] == doc.Segments[si].Text
	}
	if identity {
		return nil // the source's own texts always read back
	}
	tb, err := doc.AssembleBlock(bi, targets)
	if err != nil {
		return err
	}
	frag, err := markdown.ParseFragment(tb, doc, opts)
	if err != nil {
		return err
	}
	if len(frag.Segments) != len(b.Segments) {
		return fmt.Errorf("the translation reads back as %d segments, the source has %d", len(frag.Segments), len(b.Segments))
	}
	for k, si := range b.Segments {
		if _, err := markdown.AlignTags(doc.Segments[si], frag.Segments[k]); err != nil {
			return err
		}
	}
	return nil
}

// readsBackSegment reports whether segment i of doc, written as target in
// its block with the block's other segments as they are, parses back into
// the same segments with the same tags. It lets a translation be checked,
// and rejected, before it is stored or used anywhere.
func readsBackSegment(doc *markdown.Document, i int, target string, opts *markdown.Options) error {
	s := doc.Segments[i]
	b := doc.Blocks[s.Block]
	if b.Kind == markdown.FrontMatter || target == s.Text {
		return nil
	}
	tb, err := doc.AssembleSegment(i, target)
	if err != nil {
		return err
	}
	frag, err := markdown.ParseFragment(tb, doc, opts)
	if err != nil {
		return err
	}
	if err := sameKind(b, frag); err != nil {
		return err
	}
	if len(frag.Segments) != len(b.Segments) {
		return fmt.Errorf("the translation reads back as %d segments, the source has %d", len(frag.Segments), len(b.Segments))
	}
	for k, si := range b.Segments {
		if si != i {
			continue
		}
		if _, err := markdown.AlignTags(s, frag.Segments[k]); err != nil {
			return err
		}
	}
	return nil
}

// sameKind reports an error unless frag reads back as one block of b's
// kind: a paragraph whose translation starts with "- " or "# " would be
// published as a list or a heading.
func sameKind(b markdown.Block, frag *markdown.Document) error {
	var kinds []markdown.BlockKind
	for _, fb := range frag.Blocks {
		if fb.Kind != markdown.Blank {
			kinds = append(kinds, fb.Kind)
		}
	}
	switch {
	case len(kinds) != 1:
		return fmt.Errorf("the translation reads back as %d blocks, the source is one", len(kinds))
	case kinds[0] != b.Kind:
		return fmt.Errorf("the translation reads back as a %s, the source is a %s", kindName(kinds[0]), kindName(b.Kind))
	}
	return nil
}

func kindName(k markdown.BlockKind) string {
	names := map[markdown.BlockKind]string{
		markdown.Paragraph: "paragraph", markdown.Heading: "heading", markdown.ThematicBreak: "thematic break",
		markdown.CodeBlock: "code block", markdown.HTMLBlock: "HTML block", markdown.List: "list",
		markdown.Quote: "block quote", markdown.Table: "table", markdown.LinkRefDef: "link definition",
		markdown.FootnoteDef: "footnote", markdown.FrontMatter: "front matter",
	}
	if n, ok := names[k]; ok {
		return n
	}
	return "block"
}
