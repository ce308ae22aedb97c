package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
)

// writeBilingual writes src as a bilingual file at path, each unit with
// the given info (by unit index), targets equal to the source.
func writeBilingual(t *testing.T, path, src string, infos ...out.UnitInfo) {
	t.Helper()
	doc, err := markdown.Parse([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	units := map[int]out.UnitInfo{}
	n := 0
	for i, b := range doc.Blocks {
		if len(b.Segments) > 0 {
			if n < len(infos) {
				units[i] = infos[n]
			}
			n++
		}
	}
	var buf bytes.Buffer
	if err := out.WriteBilingual(&buf, &out.Bilingual{From: filepath.Base(path), Doc: doc, Targets: doc.Texts(), Units: units}, out.Format{Source: "zh", Target: "en"}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPublishRefusesItsInput(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	writeBilingual(t, filepath.Join(bi, "x.md"), "段落。\n")
	before, _ := os.ReadFile(filepath.Join(bi, "x.md"))
	tests := []struct {
		name   string
		inputs []string
		outDir string
	}{
		{"output is the input file", []string{filepath.Join(bi, "x.md")}, bi},
		{"output is the input directory", []string{bi}, bi},
		{"output inside the input directory", []string{bi}, filepath.Join(bi, "site")},
		{"the same directory spelled otherwise", []string{bi}, filepath.Join(dir, "bi", "..", "bi")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pipeline.Publish(context.Background(), tt.inputs, &pipeline.PublishOptions{OutDir: tt.outDir})
			if !errors.Is(err, pipeline.ErrOutputIsInput) || !errors.Is(err, pipeline.ErrConfig) {
				t.Errorf("Publish = %v, want ErrOutputIsInput and ErrConfig", err)
			}
			if got, _ := os.ReadFile(filepath.Join(bi, "x.md")); !bytes.Equal(got, before) {
				t.Error("the input was overwritten")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(bi, "site")); err == nil {
		t.Error("a refused output directory was created")
	}
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: filepath.Join(dir, "pub")})
	if err != nil || rep.Totals.FilesOK != 1 {
		t.Errorf("Publish elsewhere = %+v, %v", rep, err)
	}
}

func TestPublishRequire(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	src := "第一段。\n\n第二段。\n"
	writeBilingual(t, filepath.Join(bi, "failed.md"), src, out.UnitInfo{State: out.StateFailed})
	writeBilingual(t, filepath.Join(bi, "stale.md"), src, out.UnitInfo{}, out.UnitInfo{State: out.StateStale, Previous: []byte("Old.\n")})
	writeBilingual(t, filepath.Join(bi, "machine.md"), src)
	writeBilingual(t, filepath.Join(bi, "reviewed.md"), src, out.UnitInfo{State: out.StateReviewed}, out.UnitInfo{MT: "00000000"})
	writeBilingual(t, filepath.Join(bi, "fixed.md"), src, out.UnitInfo{State: out.StateFailed, MT: "00000000"})
	type outcome struct{ status, err string }
	tests := []struct {
		require string
		want    map[string]outcome
	}{
		{"", map[string]outcome{
			"failed.md":   {pipeline.StatusAttention, "needs attention: 1 failed unit (line 5)"},
			"stale.md":    {pipeline.StatusAttention, "needs attention: 1 stale unit (line 10)"},
			"machine.md":  {pipeline.StatusOK, ""},
			"reviewed.md": {pipeline.StatusOK, ""},
			"fixed.md":    {pipeline.StatusOK, ""}, // a failed unit the reviewer translated
		}},
		{pipeline.RequireTranslated, map[string]outcome{
			"failed.md":   {pipeline.StatusFailed, "not published (--require translated): 1 failed unit (line 5)"},
			"stale.md":    {pipeline.StatusFailed, "not published (--require translated): 1 stale unit (line 10)"},
			"machine.md":  {pipeline.StatusOK, ""},
			"reviewed.md": {pipeline.StatusOK, ""},
			"fixed.md":    {pipeline.StatusOK, ""},
		}},
		{pipeline.RequireReviewed, map[string]outcome{
			"failed.md":   {pipeline.StatusFailed, "not published (--require reviewed): 1 failed unit (line 5), 1 machine unit (line 10)"},
			"stale.md":    {pipeline.StatusFailed, "not published (--require reviewed): 1 machine unit (line 5), 1 stale unit (line 10)"},
			"machine.md":  {pipeline.StatusFailed, "not published (--require reviewed): 2 machine units (lines 5, 10)"},
			"reviewed.md": {pipeline.StatusOK, ""},
			"fixed.md":    {pipeline.StatusFailed, "not published (--require reviewed): 1 machine unit (line 10)"},
		}},
	}
	for _, tt := range tests {
		t.Run("require "+tt.require, func(t *testing.T) {
			pub := filepath.Join(dir, "pub-"+tt.require)
			rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Require: tt.require})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Files {
				name := filepath.Base(f.Path)
				w := tt.want[name]
				if f.Status != w.status || !strings.HasSuffix(f.Error, w.err) || (w.err == "") != (f.Error == "") {
					t.Errorf("%s: status %q, error %q; want %q, %q", name, f.Status, f.Error, w.status, w.err)
				}
				_, statErr := os.Stat(filepath.Join(pub, name))
				if written := statErr == nil; written != (f.Status != pipeline.StatusFailed) {
					t.Errorf("%s: written = %v with status %s", name, written, f.Status)
				}
			}
		})
	}
	if _, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: filepath.Join(dir, "x"), Require: "all"}); !errors.Is(err, pipeline.ErrConfig) {
		t.Errorf("unknown requirement: err = %v, want ErrConfig", err)
	}
}

// TestReadBilingualFileLimit checks that the limit for a bilingual file
// follows from the source limit: a file made from a source at the limit
// reads however short its paragraphs (markers do not count), one with
// more text than eight times the limit does not.
func TestReadBilingualFileLimit(t *testing.T) {
	dir := t.TempDir()
	for _, para := range []string{"这是一段不长的话。", "短", strings.Repeat("很长的一段话，", 2000)} {
		var src strings.Builder
		for src.Len() < 20000 {
			src.WriteString(para + "\n\n")
		}
		path := filepath.Join(dir, "a.md")
		writeBilingual(t, path, src.String())
		size := int64(src.Len())
		if _, _, err := pipeline.ReadBilingualFile(path, size, out.Format{}); err != nil {
			t.Errorf("%d-byte paragraphs: ReadBilingualFile with the source's size as limit: %v", len(para), err)
		}
		if _, _, err := pipeline.ReadBilingualFile(path, size/8, out.Format{}); !errors.Is(err, pipeline.ErrTooLarge) {
			t.Errorf("%d-byte paragraphs: ReadBilingualFile with an eighth of the limit: err = %v, want ErrTooLarge", len(para), err)
		}
	}
}

func TestPublishHTML(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	writeBilingual(t, filepath.Join(bi, "a.md"), "# 甲\n\n段落。\n")
	writeBilingual(t, filepath.Join(bi, "sub", "b.md"), "## 乙\n\n见[甲](../a.md)。\n")
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHTML})
	if err != nil || rep.Totals.FilesOK != 2 {
		t.Fatalf("Publish = %+v, %v", rep, err)
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(pub, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	index := read(pipeline.IndexPage)
	for _, want := range []string{`<a href="a.html">甲</a>`, `<a href="sub/b.html">乙</a>`} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %s:\n%s", want, index)
		}
	}
	if b := read("sub/b.html"); !strings.Contains(b, `href="../index.html"`) || !strings.Contains(b, `href="../a.html"`) {
		t.Errorf("sub/b.html does not link to ../index.html and ../a.html:\n%s", b)
	}
	if rep.Files[0].Output != filepath.Join(pub, "a.html") {
		t.Errorf("output %s, want a.html", rep.Files[0].Output)
	}

	// An article named index takes index.html; the list moves aside.
	writeBilingual(t, filepath.Join(bi, "index.md"), "# 目录\n")
	if _, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHTML}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(read("index.html"), `<div class="pair">`) || !strings.Contains(read(pipeline.IndexPageAlt), `href="index.html"`) {
		t.Errorf("index.html should be the article, %s the list", pipeline.IndexPageAlt)
	}
}

// TestPublishNotThroughSymlinks checks that publish writes nothing outside
// its output directory: a subdirectory there that is a symlink to
// elsewhere fails its files (ErrOutsideOutput), the others are published.
func TestPublishNotThroughSymlinks(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	writeBilingual(t, filepath.Join(bi, "a.md"), "段落。\n")
	writeBilingual(t, filepath.Join(bi, "sub", "b.md"), "另一段。\n")
	pub, elsewhere := filepath.Join(dir, "pub"), filepath.Join(dir, "elsewhere")
	for _, d := range []string{pub, elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(elsewhere, filepath.Join(pub, "sub")); err != nil {
		t.Skip("no symlinks:", err)
	}
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		want := pipeline.StatusOK
		if filepath.Base(f.Path) == "b.md" {
			want = pipeline.StatusFailed
			if !strings.Contains(f.Error, pipeline.ErrOutsideOutput.Error()) {
				t.Errorf("b.md: error %q, want %q", f.Error, pipeline.ErrOutsideOutput)
			}
		}
		if f.Status != want {
			t.Errorf("%s: status %s, want %s", f.Path, f.Status, want)
		}
	}
	if names, _ := os.ReadDir(elsewhere); len(names) > 0 {
		t.Errorf("publish wrote through the symlink: %v", names)
	}
	if _, err := os.Stat(filepath.Join(pub, "a.md")); err != nil {
		t.Errorf("a.md not published: %v", err)
	}
}

// TestReadBilingualFileEncodings checks that a bilingual file an editor
// saved as UTF-16 reads as its UTF-8 text, and that a binary file or one
// of invalid UTF-8 is refused saying why.
func TestReadBilingualFileEncodings(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.md")
	writeBilingual(t, path, "第一段。\n\n第二段。\n")
	utf8Text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"utf-8", utf8Text, nil},
		{"utf-16le", u16le(string(utf8Text)), nil},
		{"binary", append(slices.Clone(utf8Text), 0), pipeline.ErrBinary},
		{"invalid utf-8", append(slices.Clone(utf8Text), 0xff, '\n'), pipeline.ErrInvalidUTF8},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name+".md")
		if err := os.WriteFile(p, tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, text, err := pipeline.ReadBilingualFile(p, 0, out.Format{})
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if !bytes.Equal(text, utf8Text) || len(f.Units) != 2 {
			t.Errorf("%s: read %d units from %q", tt.name, len(f.Units), text)
		}
	}
}

// u16le encodes s as UTF-16LE with a byte order mark.
func u16le(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
