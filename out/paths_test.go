package out

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/diglot/diglot/markdown"
)

// readPaths are the ways a target can be read: taken from its source when
// identical, from a chunk of the target document (large chunks, the whole
// document, one chunk per blank-separated run of blocks), or parsed alone.
// Every file must read the same whichever is used.
var readPaths = []struct {
	name string
	cfg  readConfig
}{
	{"default", readConfig{chunk: chunkSize}},
	{"whole", readConfig{chunk: math.MaxInt, parse: true}},
	{"tiny chunks", readConfig{chunk: 1}},
	{"alone", readConfig{alone: true}},
	{"parse adjacent", readConfig{chunk: chunkSize, parseAdjacent: true}},
}

// mixedTargets returns, unit by unit, the source's own texts (the copy
// engine) or their pseudo transform, so that identical and translated
// targets alternate.
func mixedTargets(doc *markdown.Document) []string {
	t := copyTargets(doc)
	n := 0
	for _, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		if n++; n%3 != 0 {
			for _, si := range b.Segments {
				t[si] = pseudo(t[si])
			}
		}
	}
	return t
}

// samePaths reads bi in each of readPaths and fails unless all give the
// same units and source, or the same error.
func samePaths(t *testing.T, name string, bi []byte) {
	t.Helper()
	var first *File
	var firstErr error
	for i, p := range readPaths {
		f, err := readBilingual(name, bi, testFormat, p.cfg)
		if i == 0 {
			first, firstErr = f, err
			continue
		}
		if fmt.Sprint(err) != fmt.Sprint(firstErr) {
			t.Errorf("%s: %s: err = %v, %s: %v", name, p.name, err, readPaths[0].name, firstErr)
			continue
		}
		if err != nil {
			continue
		}
		if !bytes.Equal(f.Source.Source(), first.Source.Source()) {
			t.Errorf("%s: %s: the source differs", name, p.name)
		}
		// cmp.Diff on every file costs most of this test: compare first.
		if reflect.DeepEqual(first.Units, f.Units) {
			continue
		}
		if diff := cmp.Diff(first.Units, f.Units); diff != "" {
			t.Errorf("%s: units read %s (-%s +%s):\n%s", name, p.name, readPaths[0].name, p.name, diff)
		}
	}
	if firstErr != nil {
		return
	}
	// Read for publishing: the same units, without the targets of the
	// unedited ones, which File.Targets parses when asked.
	f, err := ReadBilingualWith(name, bi, testFormat, &ReadOptions{SkipUnedited: true})
	if err != nil {
		t.Errorf("%s: SkipUnedited: %v", name, err)
		return
	}
	for i, u := range f.Units {
		if want := first.Units[i].Targets; u.Edited && !slices.Equal(u.Targets, want) || !u.Edited && u.Targets != nil {
			t.Errorf("%s: SkipUnedited: unit %d (edited %v): Targets %q, want %q", name, u.ID, u.Edited, u.Targets, want)
		}
	}
	if !sameUnitsButTargets(first.Units, f.Units) {
		t.Errorf("%s: units read with SkipUnedited (-want +got):\n%s", name, cmp.Diff(first.Units, f.Units, cmpopts.IgnoreFields(Unit{}, "Targets")))
	}
	if want, got := first.Targets(), f.Targets(); !slices.Equal(want, got) {
		t.Errorf("%s: File.Targets read with SkipUnedited (-want +got):\n%s", name, cmp.Diff(want, got))
	}
	if !bytes.Equal(f.TargetDocument(), first.TargetDocument()) {
		t.Errorf("%s: target document read with SkipUnedited differs", name)
	}
}

// TestReadPaths checks over the corpus that the fast ways of reading a
// target agree with parsing each alone: targets identical to their source
// (copy), translated (pseudo), both mixed, and edited units among them.
func TestReadPaths(t *testing.T) {
	files := corpusFiles(t)
	if testing.Short() {
		files = files[:20]
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(src) {
			continue
		}
		doc, err := markdown.Parse(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Every fourth unit edited: its mt no longer describes it.
		edits := map[int]UnitInfo{}
		n := 0
		for i, b := range doc.Blocks {
			if len(b.Segments) > 0 {
				if n++; n%4 == 0 {
					edits[i] = UnitInfo{MT: "00000000"}
				}
			}
		}
		for _, tt := range []struct {
			name    string
			targets func(*markdown.Document) []string
			units   map[int]UnitInfo
		}{
			{"copy", copyTargets, nil},
			{"pseudo", pseudoTargets, nil},
			{"mixed", mixedTargets, nil},
			{"mixed and edited", mixedTargets, edits},
		} {
			_, bi := writeBi(t, src, tt.targets, tt.units)
			samePaths(t, path+" ("+tt.name+")", bi)
		}
	}
}

// TestReadPathsLarge reads a file of many blocks of every kind, in chunks
// of every size, and checks the targets against parsing each alone.
func TestReadPathsLarge(t *testing.T) {
	var src bytes.Buffer
	src.WriteString("---\ntitle: 标题\n---\n\n[ref]: https://example.org/\n\n")
	for i := range 300 {
		switch i % 10 {
		case 0:
			fmt.Fprintf(&src, "## 第%d节\n", i)
		case 1:
			fmt.Fprintf(&src, "第%d段，见[链接][ref]和注释[^n]。\n第二行。\n\n", i)
		case 2:
			fmt.Fprintf(&src, "- 第%d项\n- 第二项\n\n  续。\n\n", i)
		case 3:
			fmt.Fprintf(&src, "> 引文%d。\n>\n> 第二段。\n\n", i)
		case 4:
			fmt.Fprintf(&src, "| 甲%d | 乙 |\n| --- | --- |\n| 丙 | 丁 |\n\n", i)
		case 5:
			fmt.Fprintf(&src, "```\n代码%d\n\n代码\n```\n", i)
		case 6:
			fmt.Fprintf(&src, "    缩进%d\n\n", i)
		case 7:
			fmt.Fprintf(&src, "---\n\n标题%d\n===\n\n", i)
		case 8:
			fmt.Fprintf(&src, "1. 第%d项\n2. 第二项\n", i)
		case 9:
			fmt.Fprintf(&src, "<div>\n\n段落%d。\n\n</div>\n\n", i)
		}
	}
	src.WriteString("[^n]: 注释。\n")
	for _, targets := range []func(*markdown.Document) []string{copyTargets, pseudoTargets, mixedTargets} {
		_, bi := writeBi(t, src.Bytes(), targets, nil)
		for _, size := range []int{1, 100, 1000, 10000} {
			var st readStats
			f, err := readBilingual("large.md", bi, testFormat, readConfig{chunk: size, stats: &st})
			if err != nil {
				t.Fatalf("chunks of %d: %v", size, err)
			}
			// Only the front matter's unit, whose target is not at the
			// start of a chunk after the first, is parsed alone.
			if st.alone > 1 || st.identical+st.chunked+st.alone != len(f.Units) {
				t.Errorf("chunks of %d: %+v for %d units, want all but one from the source or a chunk", size, st, len(f.Units))
			}
			g, err := readBilingual("large.md", bi, testFormat, readConfig{alone: true})
			if err != nil {
				t.Fatalf("alone: %v", err)
			}
			if diff := cmp.Diff(g.Units, f.Units); diff != "" {
				t.Errorf("chunks of %d (-alone +chunks):\n%s", size, diff)
			}
		}
	}
}

// TestLineOfCounted checks that lines counted without the index are the
// lines the index gives.
func TestLineOfCounted(t *testing.T) {
	for _, data := range []string{"", "\n", "a", "a\n", "a\nb", "a\nb\n", "\n\n\n", "a\r\n\r\nb\r\n"} {
		lines, _ := indexLines([]byte(data))
		indexed := &reader{data: []byte(data), lines: lines}
		counted := &reader{data: []byte(data)}
		for off := 0; off <= len(data); off++ {
			if a, b := indexed.lineOf(off), counted.lineOf(off); a != b {
				t.Errorf("%q: lineOf(%d) = %d indexed, %d counted", data, off, a, b)
			}
		}
	}
}

// TestLineHash checks that hashing a block line by line gives Hash of
// every prefix of whole lines.
func TestLineHash(t *testing.T) {
	for _, block := range []string{"", "a", "a\n", "a\n\nb\n", "\ufeff\ufeffa\r\n \r\n\tb  \n\n", "\n\na\n", "a\u00a0\n\u00a0\nb", "- a\n\n  b\n\n- c\n"} {
		var hs hasher
		var lh lineHash
		lh.start(&hs)
		lines := bytes.SplitAfter([]byte(block), []byte("\n"))
		for i, l := range lines {
			lh.add(l)
			prefix := bytes.Join(lines[:i+1], nil)
			if got, want := lh.sum(), Hash(prefix); !got.is(want) {
				t.Errorf("%q: line by line to %q = %s, Hash = %s", block, prefix, got[:], want)
			}
		}
	}
}

// TestReadAdjacent checks targets whose source block the next block
// follows at once, without a blank line: they read by their hash, unedited;
// a line a reviewer adds to such a target belongs to the target, and the
// source stays as it was.
func TestReadAdjacent(t *testing.T) {
	src := "# 标题\n正文。\n- 一项\n- 二项\n\n结尾。\n"
	doc, bi := writeBi(t, []byte(src), pseudoTargets, nil)
	samePaths(t, "adjacent", bi)
	f, err := ReadBilingual("a.md", bi, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range f.Units {
		if u.Edited {
			t.Errorf("unit %d reads as edited", u.ID)
		}
	}
	if diff := cmp.Diff(pseudoTargets(doc), f.Targets()); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	// The paragraph's target gains a line.
	para := pseudo("正文。")
	edited := bytes.Replace(bi, []byte(para+"\n"), []byte(para+"\nMore text.\n"), 1)
	samePaths(t, "adjacent, edited", edited)
	g, err := ReadBilingual("a.md", edited, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	if string(g.Source.Source()) != src {
		t.Errorf("source = %q, want %q", g.Source.Source(), src)
	}
	if u := g.Units[1]; !u.Edited || !strings.HasSuffix(string(u.TargetBytes), "More text.\n") {
		t.Errorf("unit 2: edited %v, target %q; want the added line in it", u.Edited, u.TargetBytes)
	}
	// A list item added to the list's target is a structure error.
	item := pseudo("- 二项")
	_, err = ReadBilingual("a.md", bytes.Replace(bi, []byte(item+"\n"), []byte(item+"\n- 三项\n"), 1), testFormat)
	if !errors.Is(err, ErrStructure) {
		t.Errorf("an item added: err = %v, want ErrStructure", err)
	}
}

// sameUnitsButTargets reports whether a and b are equal but for their
// Targets.
func sameUnitsButTargets(a, b []Unit) bool {
	strip := func(us []Unit) []Unit {
		c := slices.Clone(us)
		for i := range c {
			c[i].Targets = nil
		}
		return c
	}
	return reflect.DeepEqual(strip(a), strip(b))
}
