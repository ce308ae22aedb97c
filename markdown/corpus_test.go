package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/diglot/diglot/tags"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../shared/corpus"

// corpus returns the corpus files, skipping the test when it is absent.
func corpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(paths) == 0 {
		tb.Skip("corpus absent")
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files
}

func texts(d *Document) []string {
	out := make([]string, len(d.Segments))
	for i, s := range d.Segments {
		out[i] = s.Text
	}
	return out
}

// pseudo is a local stand-in for the pseudo engine: it changes every text
// run visibly and keeps the tags and line breaks.
func pseudo(text string) string {
	var b strings.Builder
	for _, t := range tags.Parse(text) {
		if t.Kind != tags.Text {
			b.WriteString(t.Text)
			continue
		}
		for _, r := range t.Text {
			switch {
			case unicode.Is(unicode.Han, r):
				b.WriteString("xa")
			case r == '|':
				b.WriteString("|")
			default:
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func pseudoAll(d *Document) []string {
	out := make([]string, len(d.Segments))
	for i, s := range d.Segments {
		out[i] = pseudo(s.Text)
	}
	return out
}

// checkTiling verifies that the blocks tile the source.
func checkTiling(tb testing.TB, d *Document) {
	tb.Helper()
	pos := 0
	for i, b := range d.Blocks {
		if b.Start != pos || b.End <= b.Start {
			tb.Fatalf("block %d = [%d,%d), want start %d", i, b.Start, b.End, pos)
		}
		pos = b.End
	}
	if pos != len(d.Source()) {
		tb.Fatalf("blocks end at %d, source has %d bytes", pos, len(d.Source()))
	}
}

// roundTrip checks Invariant 1 on src.
func roundTrip(tb testing.TB, src []byte) *Document {
	tb.Helper()
	d, err := Parse(src, nil)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	checkTiling(tb, d)
	got, err := d.Assemble(texts(d))
	if err != nil {
		tb.Fatalf("Assemble: %v", err)
	}
	if !bytes.Equal(got, src) {
		tb.Fatalf("Assemble(own texts) differs from the source")
	}
	checkRender(tb, d)
	return d
}

func TestCorpusRoundTrip(t *testing.T) {
	for name, src := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			d := roundTrip(t, src)
			own := texts(d)
			var joined []byte
			for i := range d.Blocks {
				b, err := d.AssembleBlock(i, own)
				if err != nil {
					t.Fatalf("AssembleBlock(%d): %v", i, err)
				}
				joined = append(joined, b...)
			}
			if !bytes.Equal(joined, src) {
				t.Fatalf("AssembleBlock over all blocks differs from the source")
			}
			out, err := d.Assemble(pseudoAll(d))
			if err != nil {
				t.Fatalf("Assemble(pseudo): %v", err)
			}
			d2, err := Parse(out, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := Compare(d, d2); len(diffs) > 0 {
				t.Errorf("Compare(source, pseudo) = %v", diffs)
			}
		})
	}
}

// checkRender checks that each segment's text renders back to its bytes
// through the full render path (Assemble short-cuts unchanged texts).
func checkRender(tb testing.TB, d *Document) {
	tb.Helper()
	for i := range d.Segments {
		s := &d.Segments[i]
		raw := d.src[s.start:s.end]
		if !s.roundTrips(raw) {
			got, _ := s.render(s.Text, raw)
			tb.Fatalf("segment %d %q renders as %q, source %q", i, s.Text, got, raw)
		}
	}
}
