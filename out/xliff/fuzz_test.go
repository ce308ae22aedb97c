package xliff_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
)

// FuzzParse: the reader never panics and fails only with a *ParseError;
// whatever it reads, applied to the fixture, never panics, fails only with
// an *ApplyError, and otherwise gives a file that reads back.
func FuzzParse(f *testing.F) {
	bi := article(f)
	edited := roundTripEdit(f, export(f, "summit.bi.md", string(bi)))
	f.Add(edited)
	for _, d := range dialects {
		f.Add([]byte(d.rewrite(string(edited))))
	}
	f.Add([]byte(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh" trgLang="en"><file id="f">` +
		`<unit id="u41f6ad63"><segment state="final"><source/><target>a<pc id="1"><ph id="2"/></pc><ec startRef="2"/><cp hex="1"/></target></segment></unit></file></xliff>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := xliff.Parse("f.xlf", bytes.NewReader(data))
		if err != nil {
			var pe *xliff.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v (%T) is not a *ParseError", err, err)
			}
			return
		}
		for i := range d.Files {
			next, res, err := xliff.Apply("summit.bi.md", bi, "f.xlf", &d.Files[i], nil)
			if err != nil {
				if !errors.Is(err, xliff.ErrApply) {
					t.Fatalf("Apply error %v (%T) is not an *ApplyError", err, err)
				}
				continue
			}
			got, err := out.ReadBilingual("next", next, out.Format{})
			if err != nil {
				t.Fatalf("Apply gave a file that does not read: %v\n%s", err, next)
			}
			for _, id := range res.Approved {
				if !got.Units[id-1].Approved() {
					t.Fatalf("unit %d reported approved is not", id)
				}
			}
		}
	})
}

// FuzzExportApply: for any Markdown source, the bilingual file's XLIFF
// parses, and applied to the file changes nothing; the XLIFF of another
// translation applies or fails cleanly.
func FuzzExportApply(f *testing.F) {
	src, err := os.ReadFile("testdata/article.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(src), "tr")
	f.Add("# 标题\r\n\r\n段落\f有控制字符 & <b>HTML</b>  \r\n第二行 [链接](a \"t\")\r\n", "\r\n<x1/>")
	f.Add("| a | b |\n|---|---|\n| 一 \\| 二 | `代码` |\n\n> 引用\n> *强调*\n", "*")
	f.Fuzz(func(t *testing.T, src, word string) {
		first, err := bilingualWith([]byte(src), english)
		if err != nil {
			return // not Markdown diglot reads, or a blank target
		}
		if _, err := out.ReadBilingual("a.md", first, out.Format{}); err != nil {
			return // a stand-in translation that does not read back
		}
		in, err := xliff.ReadInput("a.md", first, nil)
		if err != nil {
			t.Fatal(err)
		}
		var x bytes.Buffer
		if _, err := xliff.Export(&x, []*xliff.Input{in}); errors.Is(err, xliff.ErrNothing) {
			return
		} else if err != nil {
			t.Fatalf("Export: %v", err)
		}
		d, err := xliff.Parse("a.xlf", bytes.NewReader(x.Bytes()))
		if err != nil {
			t.Fatalf("Parse of an export: %v\n%s", err, x.Bytes())
		}
		same, res, err := xliff.Apply("a.md", first, "a.xlf", &d.Files[0], nil)
		if err != nil {
			t.Fatalf("Apply of its own export: %v\n%s", err, x.Bytes())
		}
		if !bytes.Equal(same, first) || len(res.Changed)+len(res.Approved)+len(res.Skipped) != 0 {
			t.Fatalf("Apply of its own export changed the file (%+v)\n%s", res, x.Bytes())
		}
		second, err := bilingualWith([]byte(src), func(s string) string { return latin.ReplaceAllString(s, word) })
		if err != nil {
			return
		}
		in2, err := xliff.ReadInput("a.md", second, nil)
		if err != nil {
			return
		}
		x.Reset()
		if _, err := xliff.Export(&x, []*xliff.Input{in2}); err != nil {
			t.Fatalf("Export: %v", err)
		}
		d, err = xliff.Parse("b.xlf", bytes.NewReader(targetHash.ReplaceAll(x.Bytes(), nil)))
		if err != nil {
			t.Fatalf("Parse of an export: %v\n%s", err, x.Bytes())
		}
		next, _, err := xliff.Apply("a.md", first, "b.xlf", &d.Files[0], nil)
		if err != nil {
			if !errors.Is(err, xliff.ErrApply) {
				t.Fatalf("Apply: %v", err)
			}
			return
		}
		if _, err := out.ReadBilingual("a.md", next, out.Format{}); err != nil {
			t.Fatalf("Apply gave a file that does not read: %v", err)
		}
	})
}
