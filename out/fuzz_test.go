package out

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
)

// FuzzBilingual checks that the reader never panics on arbitrary input,
// and that for any input that parses as Markdown, writing its bilingual
// file (copy targets, every other unit stale) then reading it back gives
// the source, the target document and the same bilingual file again; and
// that every way of reading targets (readPaths) agrees on it and on a
// file of translated targets mixed with identical ones.
func FuzzBilingual(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/golden/*.md")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "\n", "段落", "# 标题\r\n\r\n段落\r\n", "\ufeff---\ntitle: 标题\n---", "- a\n\n- b\n\n  c\n",
		"<!-- diglot v1 -->\n\n段落。\n\n<!-- diglot:t id=1 src=00000000 mt=00000000 state=machine -->\nx\n",
		"\ufeff\ufeffText.\n", "- a\n\n[^1]: 注。\n\n正文[^1]。\n", "标题\n===\n正文。\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if f, err := ReadBilingual("fuzz.md", data, testFormat); err == nil {
			_ = f.TargetDocument()
			_ = f.PairedDocument()
			if _, _, err := f.HTMLPage(nil); err != nil {
				t.Errorf("HTMLPage of a read file: %v", err)
			}
			if _, err := AppendBilingual(nil, f.Bilingual(), f.Format); err != nil {
				t.Logf("rewrite of a read file: %v", err)
			}
		}
		if len(data) > 1<<16 || !utf8.Valid(data) {
			return
		}
		doc, err := markdown.Parse(data, nil)
		if err != nil {
			return
		}
		units := map[int]UnitInfo{}
		n := 0
		for i, b := range doc.Blocks {
			if len(b.Segments) > 0 {
				if n++; n%2 == 0 && b.Kind != markdown.FrontMatter {
					units[i] = UnitInfo{State: StateStale, Previous: []byte("Old\ntext.\n")}
				}
			}
		}
		var buf bytes.Buffer
		if err := WriteBilingual(&buf, &Bilingual{Doc: doc, Targets: copyTargets(doc), Units: units}, testFormat); err != nil {
			t.Fatalf("WriteBilingual: %v", err)
		}
		bi := buf.Bytes()
		got, err := ReadBilingual("fuzz.md", bi, testFormat)
		if err != nil {
			t.Fatalf("ReadBilingual of a written file: %v\n%q", err, bi)
		}
		samePaths(t, "fuzz.md", bi)
		if mixed, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: mixedTargets(doc), Units: units}, testFormat); err == nil {
			samePaths(t, "fuzz.md", mixed)
		}
		if !bytes.Equal(got.Source.Source(), data) {
			t.Fatalf("source = %q, want %q", got.Source.Source(), data)
		}
		if !bytes.Equal(got.TargetDocument(), data) {
			t.Fatalf("target document = %q, want %q", got.TargetDocument(), data)
		}
		if _, _, err := got.HTMLPage(nil); err != nil {
			t.Fatalf("HTMLPage: %v", err)
		}
		again, err := AppendBilingual(nil, got.Bilingual(), got.Format)
		if err != nil || !bytes.Equal(again, bi) {
			t.Fatalf("write(read(bi)) = %q, %v; want %q", again, err, bi)
		}
	})
}
