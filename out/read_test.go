package out

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/markdown"
)

// editTarget returns bi with the target block of unit id replaced by
// edit(old target).
func editTarget(t *testing.T, bi []byte, id int, edit func(string) string) []byte {
	t.Helper()
	f, err := ReadBilingual("before-edit.md", bi, testFormat)
	if err != nil {
		t.Fatalf("ReadBilingual before edit: %v", err)
	}
	u := f.Units[id-1]
	lines := bytes.SplitAfter(bi, []byte("\n"))
	start := len(bytes.Join(lines[:u.TargetLine-1], nil))
	end := start + len(u.TargetBytes)
	return slices.Concat(bi[:start], []byte(edit(string(u.TargetBytes))), bi[end:])
}

// nthUnitBlock returns the index of the block of the n-th unit (1-based).
func nthUnitBlock(doc *markdown.Document, n int) int {
	for i, b := range doc.Blocks {
		if len(b.Segments) > 0 {
			if n--; n == 0 {
				return i
			}
		}
	}
	return -1
}

func TestReadBilingual(t *testing.T) {
	para := "段落一。\n"
	image := "![](https://example.org/a.png)\n"
	tests := []struct {
		name     string
		src      string
		units    func(doc *markdown.Document) map[int]UnitInfo
		edit     func(t *testing.T, bi []byte) []byte
		wantErr  error
		wantLine int // with wantErr: the line the error names
		check    func(t *testing.T, f *File, bi []byte)
	}{
		{
			name: "fake markers",
			// A look-alike with the right next id and hash after a block
			// with segments' target, one after an image block (nothing
			// to translate), one with a wrong hash, one in code.
			src: para + "\n" +
				fmt.Sprintf("<!-- diglot:t id=2 src=%s mt=%s state=machine -->\n", Hash([]byte(para)), Hash([]byte(para))) + "\n" +
				image + "\n" +
				fmt.Sprintf("<!-- diglot:t id=2 src=%s mt=%s state=machine -->\n", Hash([]byte(image)), Hash([]byte(image))) +
				"译文看起来像目标。\n\n" +
				"段落二。\n\n<!-- diglot:t id=3 src=00000000 mt=00000000 state=reviewed -->\n假的译文。\n\n" +
				"```\n段落三。\n\n<!-- diglot:t id=4 src=" + Hash([]byte("段落三。\n")) + " mt=00000000 state=machine -->\n```\n",
			check: func(t *testing.T, f *File, bi []byte) {
				var blocks []int
				for i, b := range f.Source.Blocks {
					if len(b.Segments) > 0 {
						blocks = append(blocks, i)
					}
				}
				var got []int
				for _, u := range f.Units {
					got = append(got, u.Block)
				}
				if diff := cmp.Diff(blocks, got); diff != "" {
					t.Errorf("unit blocks (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "list item added",
			src:  "# 标题\n\n- 一\n- 二\n\n结尾。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 2, func(s string) string { return s + "- 三\n" })
			},
			wantErr: ErrStructure, wantLine: 12,
		},
		{
			name: "table cell lost",
			src:  "| 名称 | 数量 |\n|---|---|\n| 苹果 | 3 |\n| 香蕉 | 5 |\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 1, func(s string) string {
					lines := strings.SplitAfter(s, "\n")
					lines[3] = "| 5 |\n"
					return strings.Join(lines, "")
				})
			},
			wantErr: ErrStructure, wantLine: 12,
		},
		{
			name: "link dropped",
			src:  "见[报告](https://example.org/r)全文。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 1, func(string) string { return "See the full report.\n" })
			},
			wantErr: ErrStructure, wantLine: 6,
		},
		{
			name: "target split in two",
			src:  "第一段。\n\n第二段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 1, func(string) string { return "First\n\nparagraph.\n" })
			},
			wantErr: ErrFormat, wantLine: 8,
		},
		{
			name: "target deleted",
			src:  "第一段。\n\n第二段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 1, func(string) string { return "" })
			},
			wantErr: ErrStructure, wantLine: 6,
		},
		{
			name: "source edited",
			src:  "第一段。\n\n第二段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return bytes.Replace(bi, []byte("第一段。\n\n<!--"), []byte("第一段改了。\n\n<!--"), 1)
			},
			wantErr: ErrFormat, wantLine: 5,
		},
		{
			name: "reviewed by hand",
			src:  "第一段。\n\n第二段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				i := bytes.LastIndex(bi, []byte("state=machine"))
				return slices.Concat(bi[:i], []byte("state=reviewed"), bi[i+len("state=machine"):])
			},
			check: func(t *testing.T, f *File, bi []byte) {
				u := f.Units[1]
				if u.State != StateReviewed || u.Edited || !u.Approved() {
					t.Errorf("unit 2: State %q Edited %v Approved %v, want reviewed, false, true", u.State, u.Edited, u.Approved())
				}
				if f.Units[0].Approved() {
					t.Error("unit 1 approved")
				}
			},
		},
		{
			name: "edited target",
			src:  "第一段，有**粗体**和[链接](https://example.org)。\n\n第二段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return editTarget(t, bi, 1, func(string) string {
					return "The first paragraph has [a link](https://example.org) and **bold**.\n"
				})
			},
			check: func(t *testing.T, f *File, bi []byte) {
				if !f.Units[0].Edited || f.Units[1].Edited {
					t.Errorf("Edited = %v, %v; want true, false", f.Units[0].Edited, f.Units[1].Edited)
				}
				want := []string{"The first paragraph has <g2>a link</g2> and <g1>bold</g1>."}
				if diff := cmp.Diff(want, f.Units[0].Targets); diff != "" {
					t.Errorf("Targets (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "stale with previous",
			src:  "# 标题\n\n新的段落。\n\n结尾。\n",
			units: func(doc *markdown.Document) map[int]UnitInfo {
				return map[int]UnitInfo{nthUnitBlock(doc, 2): {State: StateStale, Previous: []byte("The old reviewed paragraph.\n")}}
			},
			check: func(t *testing.T, f *File, bi []byte) {
				u := f.Units[1]
				if u.State != StateStale || string(u.Previous) != "The old reviewed paragraph.\n" {
					t.Errorf("unit 2: State %q Previous %q", u.State, u.Previous)
				}
				if !bytes.Contains(bi, []byte("<!-- diglot:previous id=2 -->\nThe old reviewed paragraph.\n\n\n结尾")) {
					t.Errorf("previous block not laid out as documented:\n%s", bi)
				}
			},
		},
		{
			name: "stale at end without final newline",
			src:  "# 标题\n\n最后一段",
			units: func(doc *markdown.Document) map[int]UnitInfo {
				return map[int]UnitInfo{nthUnitBlock(doc, 2): {State: StateStale, Previous: []byte("Old last\nparagraph.\n\n")}}
			},
			check: func(t *testing.T, f *File, bi []byte) {
				if got := string(f.Units[1].Previous); got != "Old last\nparagraph." {
					t.Errorf("Previous = %q", got)
				}
				if bytes.HasSuffix(f.TargetDocument(), []byte("\n")) {
					t.Errorf("target document gained a final newline: %q", f.TargetDocument())
				}
			},
		},
		{
			name: "failed",
			src:  "第一段。\n\n第二段。\n",
			units: func(doc *markdown.Document) map[int]UnitInfo {
				return map[int]UnitInfo{nthUnitBlock(doc, 1): {State: StateFailed, Flags: []string{"untranslated"}}}
			},
			check: func(t *testing.T, f *File, bi []byte) {
				u := f.Units[0]
				if u.State != StateFailed || !slices.Equal(u.Flags, []string{"untranslated", "failed"}) {
					t.Errorf("State %q Flags %q", u.State, u.Flags)
				}
				if string(u.TargetBytes) != "第一段。\n" || u.Targets[0] != "第一段。" {
					t.Errorf("target slot %q %q, want the source", u.TargetBytes, u.Targets)
				}
			},
		},
		{
			name: "crlf",
			src:  "# 标题\r\n\r\n段落，\r\n两行。\r\n\r\n- 一\r\n- 二\r\n",
			check: func(t *testing.T, f *File, bi []byte) {
				if n := bytes.Count(bi, []byte("\n")); n != bytes.Count(bi, []byte("\r\n")) {
					t.Errorf("bilingual file has %d LF but %d CRLF:\n%q", n, bytes.Count(bi, []byte("\r\n")), bi)
				}
			},
		},
		{
			name: "mixed line endings without final newline",
			src:  "# 标题\n\r\n段落。\r\n\n最后一段",
			check: func(t *testing.T, f *File, bi []byte) {
				// The last block, without a line ending of its own, takes
				// the style of the line ending before it.
				if !bytes.Contains(bi, []byte("\n\n最后一段\n\n<!-- diglot:t id=3 ")) {
					t.Errorf("unexpected line endings around the last block:\n%q", bi)
				}
			},
		},
		{
			name: "bom",
			src:  "\ufeff# 标题\n\n段落。\n",
			check: func(t *testing.T, f *File, bi []byte) {
				if !bytes.HasPrefix(bi, []byte("\ufeff<!-- diglot v1 ")) {
					t.Errorf("file does not start with BOM and header: %q", bi[:20])
				}
				if bytes.Count(bi, []byte("\ufeff")) != 1 {
					t.Errorf("BOM written %d times", bytes.Count(bi, []byte("\ufeff")))
				}
			},
		},
		{
			name: "front matter",
			src:  "---\ntitle: 标题\ndate: 2021-06-16\n---\n正文。\n",
			check: func(t *testing.T, f *File, bi []byte) {
				want := "---\ntitle: 标题\ndate: 2021-06-16\n---\n<!-- diglot v1 "
				if !bytes.HasPrefix(bi, []byte(want)) {
					t.Errorf("front matter not first:\n%s", bi)
				}
				if len(f.Units) != 2 || f.Units[0].Block != 0 {
					t.Errorf("units %+v", f.Units)
				}
			},
		},
		{
			name: "front matter without segments",
			src:  "---\ndate: 2021-06-16\n---\n\n正文。\n",
		},
		{
			name: "front matter only without final newline",
			src:  "---\ndate: 2021-06-16\n---",
		},
		{
			name: "translated front matter only without final newline",
			src:  "---\ntitle: 标题\n---",
		},
		{
			name: "stale front matter",
			src:  "---\ntitle: 新标题\n---\n正文。\n",
			units: func(doc *markdown.Document) map[int]UnitInfo {
				return map[int]UnitInfo{0: {State: StateStale, Previous: []byte("---\ntitle: Old title\n---\n")}}
			},
		},
		{
			name: "no final newline",
			src:  "# 标题\n\n最后一段",
		},
		{
			name: "skeleton last without final newline",
			src:  "段落。\n\n```\ncode",
		},
		{
			name: "empty",
			src:  "",
		},
		{
			name: "blank",
			src:  "\n\n",
		},
		{
			name: "not bilingual",
			src:  "第一段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return []byte("第一段。\n")
			},
			wantErr: ErrNoHeader,
		},
		{
			name: "newer version",
			src:  "第一段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return bytes.Replace(bi, []byte("diglot v1"), []byte("diglot v2"), 1)
			},
			wantErr: ErrVersion, wantLine: 1,
		},
		{
			name: "unknown state",
			src:  "第一段。\n",
			edit: func(t *testing.T, bi []byte) []byte {
				return bytes.Replace(bi, []byte("state=machine"), []byte("state=done"), 1)
			},
			wantErr: ErrFormat, wantLine: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var units map[int]UnitInfo
			if tt.units != nil {
				doc, err := markdown.Parse([]byte(tt.src), nil)
				if err != nil {
					t.Fatal(err)
				}
				units = tt.units(doc)
			}
			doc, bi := writeBi(t, []byte(tt.src), pseudoTargets, units)
			written := bi
			if tt.edit != nil {
				bi = tt.edit(t, bi)
			}
			f, err := ReadBilingual("a.bi.md", bi, testFormat)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ReadBilingual error = %v, want %v\n%s", err, tt.wantErr, bi)
				}
				if f != nil {
					t.Error("ReadBilingual returned a file with an error")
				}
				var pe *ParseError
				if !errors.As(err, &pe) || pe.File != "a.bi.md" || pe.Line != tt.wantLine {
					t.Errorf("error %q: want a *ParseError naming a.bi.md:%d\n%s", err, tt.wantLine, bi)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadBilingual: %v\n%s", err, bi)
			}
			if got := f.Source.Source(); string(got) != tt.src {
				t.Errorf("reconstructed source = %q, want %q", got, tt.src)
			}
			if tt.edit == nil {
				again, err := AppendBilingual(nil, f.Bilingual(), f.Format)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, written) {
					t.Errorf("read then write differs: %s", firstDiff(written, again))
				}
				if units == nil {
					want, err := doc.Assemble(pseudoTargets(doc))
					if err != nil {
						t.Fatal(err)
					}
					if got := f.TargetDocument(); !bytes.Equal(got, want) {
						t.Errorf("TargetDocument = %q, want %q", got, want)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, f, bi)
			}
		})
	}
}

func TestHeaderQuoting(t *testing.T) {
	for _, from := range []string{"articles/a.md", "my articles/a b.md", `odd"--> name.md`, "文章/峰会.md", ""} {
		h := Header{Source: "zh-Hans", Target: "en", From: from}
		line, err := formatHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := parseHeader([]byte(line + "\n"))
		if !ok || err != nil || !cmp.Equal(got, h) {
			t.Errorf("parseHeader(formatHeader(%+v)) = %+v, %v, %v", h, got, ok, err)
		}
		if strings.Contains(line[4:len(line)-4], "-->") {
			t.Errorf("header for %q closes the comment early: %s", from, line)
		}
	}
}

func TestHash(t *testing.T) {
	tests := []struct{ a, b string }{
		{"段落。\n", "段落。"},
		{"段落。\r\n", "段落。\n"},
		{"a  \nb\t\n\n\n", "a\nb"},
		{"\ufeff# 标题\n", "# 标题\n"},
	}
	for _, tt := range tests {
		if Hash([]byte(tt.a)) != Hash([]byte(tt.b)) {
			t.Errorf("Hash(%q) != Hash(%q)", tt.a, tt.b)
		}
	}
	if Hash([]byte("a\nb")) == Hash([]byte("a b")) {
		t.Error("Hash ignores line breaks")
	}
	if h := Hash([]byte("x")); !isHash(h) {
		t.Errorf("Hash = %q, want 8 hex digits", h)
	}
}

func TestWriteErrors(t *testing.T) {
	doc, err := markdown.Parse([]byte("段落。\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBilingual(&buf, &Bilingual{Doc: doc}, testFormat); !errors.Is(err, ErrTargetCount) {
		t.Errorf("no targets: err = %v, want ErrTargetCount", err)
	}
	b := &Bilingual{Doc: doc, Targets: []string{"x"}, Units: map[int]UnitInfo{0: {Flags: []string{"Bad Flag"}}}}
	if err := WriteBilingual(&buf, b, testFormat); err == nil {
		t.Error("bad flag: no error")
	}
	b = &Bilingual{Doc: doc, Targets: []string{"x"}, Units: map[int]UnitInfo{0: {State: "done"}}}
	if err := WriteBilingual(&buf, b, testFormat); err == nil {
		t.Error("bad state: no error")
	}
	if err := WriteBilingual(&buf, &Bilingual{Doc: doc, Targets: []string{""}}, testFormat); !errors.Is(err, ErrEmptyTarget) {
		t.Errorf("empty target: err = %v, want ErrEmptyTarget", err)
	}
}

// TestReadManyLookAlikes checks that thousands of look-alike markers
// between units do not make reading quadratic in parses (it would take
// minutes), and that they stay source text.
func TestReadManyLookAlikes(t *testing.T) {
	var src strings.Builder
	src.WriteString("第一段。\n\n")
	for i := 0; i < 3000; i++ {
		src.WriteString("    code\n\n<!-- diglot:t id=2 src=00000000 mt=00000000 state=machine -->\n\n")
	}
	src.WriteString("最后一段。\n")
	_, bi := writeBi(t, []byte(src.String()), copyTargets, nil)
	f, err := ReadBilingual("many.md", bi, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Source.Source(); string(got) != src.String() {
		t.Errorf("source differs: %s", firstDiff([]byte(src.String()), got))
	}
}

// TestDoubleBOM is issue 11's file that starts with two byte order marks:
// the first stays at byte 0, the second is part of the first block, and
// the file reads back with its source and target exact.
func TestDoubleBOM(t *testing.T) {
	for _, src := range []string{"\ufeff\ufeffText.\n", "\ufeff\ufeff# 标题\r\n\r\n段落。\r\n", "\ufeff\ufeff\ufeff段落。", "\ufeff\ufeff---\ntitle: 标题\n---\n正文。\n"} {
		for name, targets := range map[string]func(*markdown.Document) []string{"copy": copyTargets, "pseudo": pseudoTargets} {
			doc, bi := writeBi(t, []byte(src), targets, nil)
			f, err := ReadBilingual("a.md", bi, testFormat)
			if err != nil {
				t.Errorf("%q, %s: ReadBilingual: %v\n%q", src, name, err, bi)
				continue
			}
			if got := f.Source.Source(); string(got) != src {
				t.Errorf("%q, %s: source = %q", src, name, got)
			}
			var want bytes.Buffer
			if err := WriteTarget(&want, doc, targets(doc)); err != nil {
				t.Fatal(err)
			}
			if got := f.TargetDocument(); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%q, %s: target document = %q, want %q", src, name, got, want.Bytes())
			}
			if len(f.Units) == 0 || f.Units[0].Edited {
				t.Errorf("%q, %s: units %+v, want the first unedited", src, name, f.Units)
			}
			if again, err := AppendBilingual(nil, f.Bilingual(), f.Format); err != nil || !bytes.Equal(again, bi) {
				t.Errorf("%q, %s: rewrite differs (%v): %s", src, name, err, firstDiff(bi, again))
			}
		}
	}
}
