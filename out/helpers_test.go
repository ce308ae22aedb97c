package out

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/tags"
)

// pseudo is a visible, structure-keeping transform for tests: every Han
// character becomes another Han character, everything else (tags, Latin,
// digits, punctuation, white space) is kept, so Markdown structure and
// autolink extents cannot change.
func pseudo(text string) string {
	var b strings.Builder
	for _, tok := range tags.Parse(text) {
		if tok.Kind != tags.Text {
			b.WriteString(tok.Text)
			continue
		}
		for _, r := range tok.Text {
			if unicode.Is(unicode.Han, r) && r >= 0x4e00 && r <= 0x9fa5 {
				r = 0x4e00 + (r-0x4e00+7)%(0x9fa5-0x4e00+1)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// copyTargets returns each segment's own text: the copy engine.
func copyTargets(doc *markdown.Document) []string {
	t := make([]string, len(doc.Segments))
	for i, s := range doc.Segments {
		t[i] = s.Text
	}
	return t
}

// pseudoTargets returns the pseudo transform of each segment.
func pseudoTargets(doc *markdown.Document) []string {
	t := make([]string, len(doc.Segments))
	for i, s := range doc.Segments {
		t[i] = pseudo(s.Text)
	}
	return t
}

// writeBi parses src and writes its bilingual file.
func writeBi(t testing.TB, src []byte, targets func(*markdown.Document) []string, units map[int]UnitInfo) (*markdown.Document, []byte) {
	t.Helper()
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatalf("markdown.Parse: %v", err)
	}
	var buf bytes.Buffer
	b := &Bilingual{From: "articles/a.md", Doc: doc, Targets: targets(doc), Units: units}
	if err := WriteBilingual(&buf, b, testFormat); err != nil {
		t.Fatalf("WriteBilingual: %v", err)
	}
	return doc, buf.Bytes()
}

// testFormat is the format the tests write and read: zh to en, default
// markdown options.
var testFormat = Format{Source: "zh", Target: "en"}
