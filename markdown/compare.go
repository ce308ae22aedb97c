package markdown

import (
	"fmt"
	"sort"
)

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
func Compare(src, tgt *Document) []Difference {
	if src == nil || tgt == nil || src.shape == nil || tgt.shape == nil {
		return nil
	}
	c := &comparer{lines: newLineIndex(tgt.src)}
	a, b := src.shape, tgt.shape
	c.blocks(a.blocks, b.blocks)
	c.code(a.code, b.code)
	for _, kind := range []string{inlLink, inlImage, inlCode, inlHTML} {
		c.multiset(kind, a.inline[kind], b.inline[kind])
	}
	return c.diffs
}

type comparer struct {
	lines lineIndex
	diffs []Difference
}

func (c *comparer) add(off int, kind, format string, args ...any) {
	line := 0
	if off >= 0 {
		line = c.lines.line(off)
	}
	c.diffs = append(c.diffs, Difference{Line: line, Kind: kind, Message: fmt.Sprintf(format, args...)})
}

var blockNames = [...]string{"blank lines", "paragraph", "heading", "thematic break", "code block",
	"HTML block", "list", "block quote", "table", "link reference definition", "footnote definition", "front matter"}

func (c *comparer) blocks(a, b []shapeBlock) {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].kind != b[i].kind {
			c.add(b[i].off, "block", "block %d is a %s, the source has a %s", i+1, blockNames[b[i].kind], blockNames[a[i].kind])
			return
		}
		if a[i].sig != b[i].sig {
			c.add(b[i].off, sigKind(a[i].kind), "%s %d has structure %s, the source has %s", blockNames[b[i].kind], i+1, b[i].sig, a[i].sig)
		}
	}
	switch {
	case len(b) > len(a):
		c.add(b[len(a)].off, "block", "%d blocks, the source has %d", len(b), len(a))
	case len(b) < len(a):
		c.add(-1, "block", "%d blocks, the source has %d", len(b), len(a))
	}
}

func sigKind(k BlockKind) string {
	switch k {
	case Heading:
		return "heading"
	case List:
		return "list"
	case Table:
		return "table"
	}
	return "block"
}

func (c *comparer) code(a, b []shapeItem) {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].val != b[i].val && !a[i].prose && !b[i].prose {
			c.add(b[i].off, "code", "code block %d differs from the source", i+1)
		}
	}
	if len(a) != len(b) {
		c.add(-1, "code", "%d code blocks, the source has %d", len(b), len(a))
	}
}

// multiset reports values whose count differs between a and b.
func (c *comparer) multiset(kind string, a, b []shapeItem) {
	count := map[string]int{}
	for _, it := range a {
		count[it.val]++
	}
	for _, it := range b {
		count[it.val]--
	}
	var keys []string
	for k, n := range count {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := count[k]
		if n > 0 {
			c.add(-1, kind, "%s %q missing (%d fewer than the source)", kind, k, n)
			continue
		}
		off := -1
		for _, it := range b {
			if it.val == k {
				off = it.off
				break
			}
		}
		c.add(off, kind, "%s %q added (%d more than the source)", kind, k, -n)
	}
}
