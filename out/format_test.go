package out

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/markdown"
)

// TestRecordedOptions fails when markdown.Options gains a field that the
// header neither records nor is known not to need: a file would then be
// read with other options than it was written with.
func TestRecordedOptions(t *testing.T) {
	typ := reflect.TypeFor[markdown.Options]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		_, rec := recordedOptions[name]
		_, ign := ignoredOptions[name]
		if !rec && !ign {
			t.Errorf("markdown.Options.%s is neither recorded in the header (recordedOptions) nor listed in ignoredOptions", name)
		}
	}
}

// TestDefaultOptions checks that this package's idea of markdown's
// defaults is markdown's: a header without options must mean them.
func TestDefaultOptions(t *testing.T) {
	segs := func(src string, o *markdown.Options) []string {
		doc, err := markdown.Parse([]byte(src), o)
		if err != nil {
			t.Fatal(err)
		}
		return doc.Texts()
	}
	fm := "---\ntitle: 标题\ndescription: 描述\nsummary: 摘要\nsubtitle: 副标题\n---\n\n正文。\n"
	want := segs(fm, nil)
	for _, o := range []*markdown.Options{
		{FrontMatterFields: defaultFrontMatterFields},
		{FrontMatterFields: []string{"title", "summary", "description", "title"}},
	} {
		if diff := cmp.Diff(want, segs(fm, o)); diff != "" {
			t.Errorf("segments with %+v differ from the defaults (-want +got):\n%s", o, diff)
		}
		if !SameSegmentation(nil, o) {
			t.Errorf("SameSegmentation(nil, %+v) = false", o)
		}
	}
	for _, o := range []*markdown.Options{{FrontMatterFields: []string{"title", "subtitle"}}, {FrontMatterFields: []string{}}} {
		if cmp.Equal(want, segs(fm, o)) {
			t.Errorf("options %+v cut as the defaults do: the test source does not tell them apart", o)
		}
		if SameSegmentation(nil, o) {
			t.Errorf("SameSegmentation(nil, %+v) = true", o)
		}
	}
	// Depth: the defaults and MaxDepth 64 agree at every depth; a smaller
	// bound differs somewhere.
	differs := false
	for n := 1; n <= defaultMaxDepth+8; n++ {
		deep := strings.Repeat("> ", n) + "深处。\n"
		if d, e := segs(deep, nil), segs(deep, &markdown.Options{MaxDepth: defaultMaxDepth}); !cmp.Equal(d, e) {
			t.Errorf("depth %d: the defaults cut %q, MaxDepth %d cuts %q", n, d, defaultMaxDepth, e)
		}
		differs = differs || !cmp.Equal(segs(deep, nil), segs(deep, &markdown.Options{MaxDepth: 8}))
	}
	if !differs || SameSegmentation(nil, &markdown.Options{MaxDepth: 8}) {
		t.Error("MaxDepth 8 cuts as the defaults do")
	}
}

func TestHeaderOptions(t *testing.T) {
	tests := []struct {
		name  string
		opts  *markdown.Options
		attrs string // what the header carries after from=
	}{
		{"nil", nil, ""},
		{"defaults spelled out", &markdown.Options{FrontMatterFields: []string{"title", "summary", "description"}, MaxDepth: 64}, ""},
		{"fields", &markdown.Options{FrontMatterFields: []string{"title", "subtitle", "title"}}, " front_matter_fields=subtitle,title"},
		{"no fields", &markdown.Options{FrontMatterFields: []string{}}, ` front_matter_fields=""`},
		{"field with a space", &markdown.Options{FrontMatterFields: []string{"title", "sub title"}}, ` front_matter_fields="sub title,title"`},
		{"depth", &markdown.Options{MaxDepth: 8}, " max_depth=8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Header{Source: "zh", Target: "en", From: "a.md", Markdown: tt.opts}
			line, err := formatHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			if want := "<!-- diglot v1 source=zh target=en from=a.md" + tt.attrs + " -->"; line != want {
				t.Errorf("formatHeader = %s, want %s", line, want)
			}
			got, ok, err := parseHeader([]byte(line))
			if !ok || err != nil {
				t.Fatalf("parseHeader = %v, %v", ok, err)
			}
			if (got.Markdown == nil) != (tt.attrs == "") || !SameSegmentation(got.Markdown, tt.opts) {
				t.Errorf("parseHeader options = %+v, want %+v", got.Markdown, tt.opts)
			}
		})
	}
	for _, bad := range [][]string{{"a,b"}, {""}} {
		h := Header{Source: "zh", Target: "en", Markdown: &markdown.Options{FrontMatterFields: bad}}
		if _, err := formatHeader(h); !errors.Is(err, ErrOption) {
			t.Errorf("formatHeader with fields %q: err = %v, want ErrOption", bad, err)
		}
	}
	for _, line := range []string{"<!-- diglot v1 source=zh target=en max_depth=x -->", "<!-- diglot v1 source=zh target=en max_depth=0 -->"} {
		if _, _, err := parseHeader([]byte(line)); !errors.Is(err, ErrFormat) {
			t.Errorf("parseHeader(%s): err = %v, want ErrFormat", line, err)
		}
	}
}

// subtitleSource has a front-matter field that only a configured option
// translates.
const subtitleSource = "---\ntitle: 峰会\nsubtitle: 两国领导人会谈\n---\n\n正文。\n"

// subtitleOptions translate the subtitle.
var subtitleOptions = &markdown.Options{FrontMatterFields: []string{"title", "subtitle"}}

// writeWith writes src as a bilingual file for format, pseudo targets.
func writeWith(t *testing.T, src string, format Format) []byte {
	t.Helper()
	doc, err := markdown.Parse([]byte(src), format.Markdown)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBilingual(&buf, &Bilingual{From: "a.md", Doc: doc, Targets: pseudoTargets(doc)}, format); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadWithRecordedOptions is issue 13's first case at the reader: a
// file written with front_matter_fields = [title, subtitle] keeps the
// reviewer's edit of the subtitle, whatever options the reader is given.
func TestReadWithRecordedOptions(t *testing.T) {
	bi := writeWith(t, subtitleSource, Format{Source: "zh", Target: "en", Markdown: subtitleOptions})
	if !bytes.Contains(bi, []byte("front_matter_fields=subtitle,title")) {
		t.Fatalf("header does not record the fields:\n%s", bi)
	}
	edited := bytes.Replace(bi, []byte("subtitle: "+pseudo("两国领导人会谈")), []byte("subtitle: The leaders meet"), 1)
	if bytes.Equal(edited, bi) {
		t.Fatal("the edit was not applied")
	}
	for _, reader := range []Format{{}, {Source: "zh", Target: "en"}, {Source: "zh", Target: "en", Markdown: &markdown.Options{MaxDepth: 3}}} {
		f, err := ReadBilingual("a.md", edited, reader)
		if err != nil {
			t.Fatalf("ReadBilingual with %+v: %v", reader, err)
		}
		u := f.Units[0]
		if !u.Edited || len(u.Targets) != 2 || u.Targets[1] != "The leaders meet" {
			t.Errorf("with %+v: front matter unit = edited %v, targets %q; want the edited subtitle", reader, u.Edited, u.Targets)
		}
		if !SameSegmentation(f.Format.Markdown, subtitleOptions) {
			t.Errorf("with %+v: File.Format.Markdown = %+v, want the recorded options", reader, f.Format.Markdown)
		}
		again, err := AppendBilingual(nil, f.Bilingual(), f.Format)
		if err != nil || !bytes.Equal(again, edited) {
			t.Errorf("with %+v: rewrite differs (%v): %s", reader, err, firstDiff(edited, again))
		}
	}
}

// TestReadLegacyOptions reads files written with options by a writer that
// did not record them. The header is the truth: such a file is read with
// the defaults, and File.Format says so, so that a caller whose options
// differ knows the segmentation changed. Only a file the defaults cannot
// read, or read only by taking a marker for a look-alike, is read with the
// caller's options. (Format.Markdown also carries the header's source
// language, which SameSegmentation leaves aside.)
func TestReadLegacyOptions(t *testing.T) {
	bi := writeWith(t, subtitleSource, Format{Source: "zh", Target: "en", Markdown: subtitleOptions})
	legacy := bytes.Replace(bi, []byte(" front_matter_fields=subtitle,title"), nil, 1)
	f, err := ReadBilingual("a.md", legacy, Format{Markdown: subtitleOptions})
	if err != nil {
		t.Fatal(err)
	}
	if !SameSegmentation(f.Format.Markdown, nil) || len(f.Units[0].Targets) != 1 {
		t.Errorf("legacy file: Format.Markdown = %+v, front matter targets %q; want the defaults", f.Format.Markdown, f.Units[0].Targets)
	}

	deep := strings.Repeat("> ", defaultMaxDepth) + "深处的段落。\n"
	deepOptions := &markdown.Options{MaxDepth: 100}
	bi = writeWith(t, deep, Format{Source: "zh", Target: "en", Markdown: deepOptions})
	legacy = bytes.Replace(bi, []byte(" max_depth=100"), nil, 1)
	if bytes.Equal(legacy, bi) {
		t.Fatalf("header does not record max_depth:\n%s", bi)
	}
	if f, err := ReadBilingual("a.md", legacy, Format{}); err == nil && len(f.Units) > 0 {
		t.Fatal("the defaults read a unit nested deeper than they translate")
	}
	f, err = ReadBilingual("a.md", legacy, Format{Markdown: deepOptions})
	if err != nil {
		t.Fatalf("ReadBilingual with the caller's options: %v", err)
	}
	if len(f.Units) != 1 || !SameSegmentation(f.Format.Markdown, deepOptions) {
		t.Errorf("units %d, Format.Markdown %+v; want 1 unit read with the caller's options", len(f.Units), f.Format.Markdown)
	}
}

func TestReadPair(t *testing.T) {
	bi := writeWith(t, "段落。\n", Format{Source: "zh", Target: "en"})
	for _, ok := range []Format{{}, {Source: "zh", Target: "en"}, {Source: "ZH", Target: "en"}, {Target: "en"}} {
		if _, err := ReadBilingual("a.md", bi, ok); err != nil {
			t.Errorf("ReadBilingual with %+v: %v", ok, err)
		}
	}
	_, err := ReadBilingual("a.md", bi, Format{Source: "zh", Target: "ja"})
	var pe *ParseError
	if !errors.Is(err, ErrPair) || !errors.As(err, &pe) || pe.Line != 1 {
		t.Fatalf("ReadBilingual zh→ja of a zh→en file: err = %v, want ErrPair at line 1", err)
	}
	for _, s := range []string{"zh→en", "zh→ja"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
	if _, err := AppendBilingual(nil, &Bilingual{Doc: mustParse(t, "段落。\n")}, Format{Source: "zh"}); !errors.Is(err, ErrNoPair) {
		t.Errorf("writing without a target language: err = %v, want ErrNoPair", err)
	}
}

func mustParse(t *testing.T, src string) *markdown.Document {
	t.Helper()
	doc, err := markdown.Parse([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
