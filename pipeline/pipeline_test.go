package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/identity"
	"github.com/diglot/diglot/providers/pseudo"
)

const corpus = "../../shared/corpus"

func translateOpts(t *testing.T, outDir string) *pipeline.Options {
	t.Helper()
	return &pipeline.Options{
		Provider: identity.Translator{}, ProviderName: "copy",
		Source: language.Chinese, Target: language.English, OutDir: outDir,
	}
}

// roundTrip translates dir with the copy engine, publishes the target
// layout, and checks every published file equals its source.
func roundTrip(t *testing.T, dir string) int {
	t.Helper()
	ctx := context.Background()
	bi, pub := t.TempDir(), t.TempDir()
	rep, err := pipeline.Translate(ctx, []string{dir}, translateOpts(t, bi))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		if f.Status != pipeline.StatusOK {
			t.Errorf("translate %s: %s %s", f.Path, f.Status, f.Error)
		}
	}
	prep, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: pub})
	if err != nil {
		t.Fatal(err)
	}
	if prep.Failed() {
		for _, f := range prep.Files {
			if f.Error != "" {
				t.Errorf("publish %s: %s", f.Path, f.Error)
			}
		}
	}
	n := 0
	for _, f := range rep.Files {
		rel, _ := filepath.Rel(dir, f.Path)
		want, _ := os.ReadFile(f.Path)
		got, err := os.ReadFile(filepath.Join(pub, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: published target differs from source (%d vs %d bytes)", rel, len(got), len(want))
		}
		n++
	}
	return n
}

func TestCopyRoundTripExamples(t *testing.T) {
	if n := roundTrip(t, "../examples"); n < 3 {
		t.Errorf("only %d examples round-tripped", n)
	}
}

func TestCopyRoundTripCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus absent:", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	if n := roundTrip(t, corpus); n < 150 {
		t.Errorf("only %d corpus files round-tripped", n)
	}
}

// TestPseudoKeepsStructure checks Invariant 2 through the whole pipeline.
func TestPseudoKeepsStructure(t *testing.T) {
	dir := "../examples"
	if _, err := os.Stat(corpus); err == nil && !testing.Short() {
		dir = corpus
	}
	ctx := context.Background()
	bi, pub := t.TempDir(), t.TempDir()
	o := translateOpts(t, bi)
	o.Provider, o.ProviderName = pseudo.NewTranslator(nil), "pseudo"
	rep, err := pipeline.Translate(ctx, []string{dir}, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("pseudo run failed: %+v", rep.Totals)
	}
	if _, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: pub}); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		rel, _ := filepath.Rel(dir, f.Path)
		src, _ := os.ReadFile(f.Path)
		tgt, err := os.ReadFile(filepath.Join(pub, rel))
		if err != nil {
			t.Fatal(err)
		}
		sd, _ := markdown.Parse(src, nil)
		td, _ := markdown.Parse(tgt, nil)
		if diffs := markdown.Compare(sd, td); len(diffs) > 0 {
			t.Errorf("%s: structure changed: %+v", rel, diffs[0])
		}
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBadInput(t *testing.T) {
	in := t.TempDir()
	good := "# 标题\n\n正文。\n"
	files := map[string][]byte{
		"good.md":       []byte(good),
		"invalid.md":    []byte("好\xff\xfe坏\n"),
		"binary.md":     []byte("abc\x00def"),
		"empty.md":      {},
		"blank.md":      []byte("  \n\n\t\n"),
		"utf16.md":      append([]byte{0xFF, 0xFE}, utf16le("# 标题\n")...),
		"big.md":        bytes.Repeat([]byte("大"), 20000),
		"longline.md":   bytes.Repeat([]byte("长句"), 5<<20/6),
		"quotes.md":     []byte(strings.Repeat(">", 10000) + " 深\n"),
		"lists.md":      nestedList(10000),
		"sub/nested.md": []byte(good),
	}
	for name, data := range files {
		write(t, filepath.Join(in, name), data)
	}
	if err := os.Symlink(in, filepath.Join(in, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	// The output directory lies inside the input directory: its files
	// must not be read as input on the next run.
	outDir := filepath.Join(in, "out")
	o := translateOpts(t, outDir)
	o.Provider, o.ProviderName = pseudo.NewTranslator(nil), "pseudo"
	o.MaxFileSize = 50000
	for run := 0; run < 2; run++ {
		rep, err := pipeline.Translate(context.Background(), []string{in}, o)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]pipeline.FileReport{}
		for _, f := range rep.Files {
			rel, _ := filepath.Rel(in, f.Path)
			status[filepath.ToSlash(rel)] = f
		}
		if len(status) != len(files) {
			t.Errorf("run %d: %d files reported, want %d (output dir read as input?)", run, len(status), len(files))
		}
		wantErr := map[string]string{
			"invalid.md":  "invalid UTF-8 at byte offset 3",
			"binary.md":   "binary file (NUL byte at offset 3)",
			"big.md":      "file too large",
			"longline.md": "file too large",
		}
		for name, f := range status {
			if want, bad := wantErr[name]; bad {
				if f.Status != pipeline.StatusFailed || !strings.Contains(f.Error, want) || strings.Contains(f.Error, "\n") {
					t.Errorf("%s: status %s, error %q; want one-line failure containing %q", name, f.Status, f.Error, want)
				}
				if _, err := os.Stat(filepath.Join(outDir, name)); err == nil {
					t.Errorf("%s: an output was written for a failed file", name)
				}
				continue
			}
			if f.Status != pipeline.StatusOK && !(run == 1 && f.Status == pipeline.StatusUnchanged) {
				t.Errorf("run %d: %s: status %s (%s), want ok", run, name, f.Status, f.Error)
			}
		}
		if len(rep.Inputs) != 1 || !strings.Contains(rep.Inputs[0], "symlink loop") {
			t.Errorf("input errors = %q, want the symlink loop", rep.Inputs)
		}
		if !rep.Failed() {
			t.Error("report does not say that something failed")
		}
	}
	for _, name := range []string{"empty.md", "blank.md"} {
		data, err := os.ReadFile(filepath.Join(outDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if bf, err := out.ReadBilingual(name, data, out.Format{}); err != nil || len(bf.Units) != 0 {
			t.Errorf("%s: output %q does not read back as an empty bilingual file: %v", name, data, err)
		}
	}
	o.MaxFileSize = 0
	rep, _ := pipeline.Translate(context.Background(), []string{filepath.Join(in, "longline.md")}, o)
	if rep.Files[0].Status != pipeline.StatusOK {
		t.Errorf("5 MB single line: %s %s", rep.Files[0].Status, rep.Files[0].Error)
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// nestedList nests depth lists on one line: each "- " opens an item whose
// content starts another list.
func nestedList(depth int) []byte {
	return []byte(strings.Repeat("- ", depth) + "项\n")
}

func TestOutputOutsideOutDir(t *testing.T) {
	outDir := t.TempDir()
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(outDir, "sub")); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"../x.md", "/abs.md", "sub/x.md"} {
		if _, err := pipeline.OutputPath(outDir, rel); err == nil {
			t.Errorf("OutputPath(%q) allowed a path outside the output directory", rel)
		}
	}
	in := t.TempDir()
	write(t, filepath.Join(in, "sub", "x.md"), []byte("正文\n"))
	rep, err := pipeline.Translate(context.Background(), []string{in}, translateOpts(t, outDir))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files[0].Status != pipeline.StatusFailed || !strings.Contains(rep.Files[0].Error, "escapes the output directory") {
		t.Errorf("got %+v, want a failure naming the escape", rep.Files[0])
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("wrote outside the output directory: %v", entries)
	}
}

// markdownMaker ends every translation with a byte that is not UTF-8: the
// markdown writer escapes Markdown that would read back otherwise (a URL
// an engine adds is no longer a link), but no writer can make this read.
type markdownMaker struct{ providers.Provider }

func (m markdownMaker) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	res := make([]string, len(req.Segments))
	for i := range req.Segments {
		res[i] = "|" // a lone pipe reads back as no text at all
	}
	return res, nil
}

// TestTranslationThatDoesNotReadBack: a block whose translation would not
// read back is written failed, with the source kept, and the file stays
// readable.
func TestTranslationThatDoesNotReadBack(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	write(t, filepath.Join(in, "a.md"), []byte("第一段。\n\n第二段。\n"))
	o := translateOpts(t, bi)
	o.Provider, o.ProviderName = markdownMaker{}, "maker"
	o.Backoff = time.Millisecond
	rep, err := pipeline.Translate(context.Background(), []string{in}, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files[0].Status != pipeline.StatusAttention || len(rep.Failures) != 2 ||
		!strings.Contains(rep.Failures[0].Reason, "does not read back") {
		t.Fatalf("file %+v, failures %+v", rep.Files[0], rep.Failures)
	}
	data, _ := os.ReadFile(filepath.Join(bi, "a.md"))
	f, err := out.ReadBilingual("a.md", data, out.Format{})
	if err != nil {
		t.Fatalf("output does not read back: %v\n%s", err, data)
	}
	if f.Units[0].State != out.StateFailed {
		t.Errorf("unit state %s, want failed", f.Units[0].State)
	}
}

// TestIndentedProseInTheRunsLanguage: a mostly English transcript with an
// indented Chinese line (archive 20190702-53478766.md). The document's own
// script would call the line code; the run's source language (zh), which
// the header records and every reader parses with, calls it prose. The
// writer must parse as the readers will, or publish refuses the file.
func TestIndentedProseInTheRunsLanguage(t *testing.T) {
	in := t.TempDir()
	src := "  If people believe that this would happen they would have said so. You know what the opinion is.\r\n\r\n" +
		"  Two days ago we have broken in, everybody say why? Every time is the 3rd. You have to come to federal.\r\n\r\n" +
		"    OK, 谢谢大家，我和王先生很好，我们今天在这里。\r\n"
	write(t, filepath.Join(in, "a.md"), []byte(src))
	if n := roundTrip(t, in); n != 1 {
		t.Fatalf("%d files published, want 1", n)
	}
}
