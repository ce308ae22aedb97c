package qa

import (
	"bytes"
	"slices"

	"github.com/diglot/diglot/markdown"
	"golang.org/x/text/language"
)

// CheckDocument runs the document checks on a source document and its
// translation: structure (markdown.Compare) and urls (every URL in the
// source's bytes, skeleton included, occurs unchanged in the target's, and
// every URL a renderer links in the target is one of the source's).
// A URL finding points at the target block in the position of the source
// block that holds the URL when the two have as many blocks, else it has
// no line.
func CheckDocument(cfg *Config, src, tgt *markdown.Document) []Finding {
	var fs []Finding
	if cfg.Enabled(KindStructure) {
		fs = append(fs, checkStructure(src, tgt)...)
	}
	if cfg.Enabled(KindURLs) {
		sb, tb := src.Source(), tgt.Source()
		line := func(u string) int {
			off := bytes.Index(sb, []byte(u))
			if off < 0 || len(src.Blocks) != len(tgt.Blocks) {
				return 0
			}
			for i, b := range src.Blocks {
				if off >= b.Start && off < b.End {
					return tgt.Blocks[i].Line
				}
			}
			return 0
		}
		for _, f := range missingURLs(findURLs(string(sb)), string(tb), line) {
			f.Segment = NoSegment
			fs = append(fs, f)
		}
		fs = append(fs, checkLinks(sb, tb)...)
	}
	return fs
}

// PairsOf pairs the segments of a source document with those of its
// translation by index, with each target renumbered to its source's tags
// (markdown.AlignTags) where it can be. It returns false when the two do
// not have as many segments (the structure check then says why).
func PairsOf(src, tgt *markdown.Document) ([]Pair, bool) {
	if len(src.Segments) != len(tgt.Segments) {
		return nil, false
	}
	pairs := make([]Pair, len(src.Segments))
	for i, s := range src.Segments {
		t := tgt.Segments[i]
		p := Pair{Source: s.Text, Line: t.Line, SegIndex: i, Tags: s.Tags}
		if text, err := markdown.AlignTags(s, t); err == nil {
			p.Target = text
		} else {
			p.Target, p.TargetTags = t.Text, t.Tags
			if p.TargetTags == nil {
				p.TargetTags = []markdown.Tag{}
			}
		}
		pairs[i] = p
	}
	return pairs, true
}

// Check runs every check on a source document and its translation:
// CheckDocument, and CheckPairs over PairsOf when the segments pair up,
// combined with Merge.
func Check(cfg *Config, srcLang, tgtLang language.Tag, src, tgt *markdown.Document) []Finding {
	doc := CheckDocument(cfg, src, tgt)
	var seg []Finding
	if pairs, ok := PairsOf(src, tgt); ok {
		seg = CheckPairs(cfg, srcLang, tgtLang, pairs)
	}
	return Merge(doc, seg)
}

// Merge combines the findings of CheckDocument and CheckPairs for one
// document: a URL that a segment lost is reported once, on the segment,
// not again from the document's bytes. The result is sorted (see Sort).
func Merge(doc, seg []Finding) []Finding {
	fs := slices.DeleteFunc(slices.Clone(doc), func(f Finding) bool {
		return f.Kind == KindURLs && slices.ContainsFunc(seg, func(g Finding) bool {
			return g.Kind == KindURLs && g.Message == f.Message
		})
	})
	fs = append(fs, seg...)
	Sort(fs)
	return fs
}
