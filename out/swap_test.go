package out

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
)

// swapTargets moves the target blocks of the units ids (1-based) round in
// bi, unit ids[k] getting the block of ids[k+1]: with two ids, exchanges
// them. Everything else, markers included, stays in place.
func swapTargets(t *testing.T, bi []byte, ids ...int) []byte {
	t.Helper()
	f, err := ReadBilingual("a.md", bi, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	type span struct{ start, end int }
	lines := bytes.SplitAfter(bi, []byte("\n"))
	spans := make([]span, len(ids))
	for k, id := range ids {
		u := f.Units[id-1]
		start := len(bytes.Join(lines[:u.TargetLine-1], nil))
		// The text of the block, as a reviewer selects it: without the
		// line ending and blank lines after it.
		spans[k] = span{start, start + len(bytes.TrimRight(u.TargetBytes, " \t\r\n"))}
	}
	order := slices.Clone(spans)
	slices.SortFunc(order, func(a, b span) int { return a.start - b.start })
	var out []byte
	pos := 0
	for _, s := range order {
		k := slices.Index(spans, s)
		from := spans[(k+1)%len(spans)]
		out = append(out, bi[pos:s.start]...)
		out = append(out, bi[from.start:from.end]...)
		pos = s.end
	}
	return append(out, bi[pos:]...)
}

func TestSwappedTargets(t *testing.T) {
	src := "# 峰会\n\n第一段。\n\n第二段。\n\n第三段。\n\n> 引文。\n"
	_, bi := writeBi(t, []byte(src), pseudoTargets, nil)
	tests := []struct {
		name  string
		ids   []int
		line  int
		names []string
	}{
		{"two paragraphs", []int{2, 4}, 11, []string{"unit 2 (line 11)", "unit 4 (line 21)"}},
		{"neighbours", []int{3, 4}, 16, []string{"unit 3 (line 16)", "unit 4 (line 21)"}},
		{"heading and paragraph", []int{1, 2}, 6, nil}, // a structure error comes first
		{"three round", []int{2, 3, 4}, 11, []string{"units 2, 3, 4", "lines 11, 16, 21"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			swapped := swapTargets(t, bi, tt.ids...)
			_, err := ReadBilingual("a.md", swapped, testFormat)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadBilingual of swapped targets: err = %v, want a ParseError\n%s", err, swapped)
			}
			if tt.names == nil {
				if !errors.Is(err, ErrStructure) && !errors.Is(err, ErrSwapped) {
					t.Errorf("err = %v, want ErrStructure or ErrSwapped", err)
				}
				return
			}
			if !errors.Is(err, ErrSwapped) || pe.Line != tt.line {
				t.Errorf("err = %v (line %d), want ErrSwapped at line %d", err, pe.Line, tt.line)
			}
			for _, n := range tt.names {
				if !strings.Contains(err.Error(), n) {
					t.Errorf("error %q does not name %q", err, n)
				}
			}
		})
	}
}

// TestEditLikeAnotherUnit checks the cases that look like a swap but are
// legitimate edits: a target rewritten into another unit's machine text
// while that unit keeps its own, and a repeated source paragraph.
func TestEditLikeAnotherUnit(t *testing.T) {
	src := "参考资料\n\n资料来源\n\n正文。\n\n正文。\n"
	doc := mustParse(t, src)
	targets := []string{"References", "Sources", "Text.", "Text."}
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: targets}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	// The reviewer prefers "References" for the second heading too.
	edited := bytes.Replace(bi, []byte("\nSources\n"), []byte("\nReferences\n"), 1)
	f, err := ReadBilingual("a.md", edited, testFormat)
	if err != nil {
		t.Fatalf("an edit equal to another unit's machine text: %v", err)
	}
	if !f.Units[1].Edited || f.Units[0].Edited {
		t.Errorf("Edited = %v, %v; want false, true", f.Units[0].Edited, f.Units[1].Edited)
	}
	// Two units of one source paragraph exchanged: nothing changes.
	if _, err := ReadBilingual("a.md", swapTargets(t, bi, 3, 4), testFormat); err != nil {
		t.Errorf("repeated paragraphs exchanged: %v", err)
	}
	// Both headings edited into each other's machine text: that is a swap.
	both := bytes.Replace(edited, []byte("\nReferences\n"), []byte("\nSources\n"), 1)
	if _, err := ReadBilingual("a.md", both, testFormat); !errors.Is(err, ErrSwapped) {
		t.Errorf("each heading holding the other's machine text: err = %v, want ErrSwapped", err)
	}
}

// TestCorpusSwap exchanges two targets in every corpus file that has two
// paragraph units with different sources: it must be reported as such.
// Two units of other kinds exchanged must at least make the file
// unreadable, never import as reviews.
func TestCorpusSwap(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus-wide")
	}
	swaps := 0
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(src) {
			continue
		}
		_, bi := writeBi(t, src, pseudoTargets, nil)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		kind := func(u Unit) markdown.BlockKind { return f.Source.Blocks[u.Block].Kind }
		// The last two units with different sources and machine
		// targets: of the same kind (paragraphs), and of any kinds.
		pick := func(same bool) (int, int) {
			for i := len(f.Units) - 1; i > 0; i-- {
				for j := i - 1; j >= 0; j-- {
					u, v := f.Units[i], f.Units[j]
					if u.Src == v.Src || u.MT == v.MT || kind(v) == markdown.FrontMatter {
						continue
					}
					if !same || kind(u) == markdown.Paragraph && kind(v) == markdown.Paragraph {
						return v.ID, u.ID
					}
				}
			}
			return 0, 0
		}
		if a, b := pick(true); a > 0 {
			swaps++
			_, err = ReadBilingual(path, swapTargets(t, bi, a, b), testFormat)
			if !errors.Is(err, ErrSwapped) {
				t.Errorf("%s: paragraph units %d and %d exchanged: err = %v, want ErrSwapped", path, a, b, err)
			}
		}
		if a, b := pick(false); a > 0 {
			if g, err := ReadBilingual(path, swapTargets(t, bi, a, b), testFormat); err == nil {
				t.Errorf("%s: units %d and %d exchanged read with Edited %v, %v", path, a, b, g.Units[a-1].Edited, g.Units[b-1].Edited)
			}
		}
	}
	if swaps == 0 {
		t.Error("no file with two paragraph units to exchange")
	}
	t.Logf("%d files with two paragraphs exchanged", swaps)
}

// TestStaleReconciled checks the reader's side of a stale unit: the
// reviewer reconciles it by editing its target or by setting
// state=reviewed; left alone it is not approved.
func TestStaleReconciled(t *testing.T) {
	doc := mustParse(t, "第一段。\n\n第二段。\n")
	units := map[int]UnitInfo{0: {State: StateStale, Previous: []byte("An older translation.\n")}}
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: []string{"First.", "Second."}, Units: units}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		edit     func([]byte) []byte
		approved bool
	}{
		{"left alone", func(b []byte) []byte { return b }, false},
		{"target edited", func(b []byte) []byte { return bytes.Replace(b, []byte("\nFirst.\n"), []byte("\nThe first.\n"), 1) }, true},
		{"marked reviewed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("state=stale"), []byte("state=reviewed"), 1)
		}, true},
		{"previous taken over", func(b []byte) []byte {
			return bytes.Replace(b, []byte("\nFirst.\n"), []byte("\nAn older translation.\n"), 1)
		}, true},
	}
	for _, tt := range tests {
		f, err := ReadBilingual("a.md", tt.edit(bi), testFormat)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := f.Units[0].Approved(); got != tt.approved {
			t.Errorf("%s: Approved() = %v, want %v", tt.name, got, tt.approved)
		}
		if f.Units[1].Approved() {
			t.Errorf("%s: the other unit reads as approved", tt.name)
		}
	}
}
