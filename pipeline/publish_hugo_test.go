package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
)

// writeBilingualFrom writes src as the bilingual file at dir/rel, made
// from the source path rel (its from=), targets equal to the source, each
// unit with the given info (by unit index).
func writeBilingualFrom(t testing.TB, dir, rel, src string, infos ...out.UnitInfo) {
	t.Helper()
	writeBilingualRun(t, dir, rel, "", src, infos...)
}

// writeBilingualRun writes src as the bilingual file at dir/run/rel, as a
// translate run given the directory run writes it: from= is rel.
func writeBilingualRun(t testing.TB, dir, rel, run, src string, infos ...out.UnitInfo) {
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
	if err := out.WriteBilingual(&buf, &out.Bilingual{From: rel, Doc: doc, Targets: doc.Texts(), Units: units}, out.Format{Source: "zh", Target: "en"}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(run), filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hugoSite writes three articles that link to each other as bilingual
// files under dir/bi and returns that directory.
func hugoSite(t *testing.T, dir string) string {
	bi := filepath.Join(dir, "bi")
	writeBilingualFrom(t, bi, "2021/a.md", "---\ntitle: 甲\n---\n\n见[乙](b.md#x)和[丙](../2022/c.md)，[外](https://x.org/a.md)。\n")
	writeBilingualFrom(t, bi, "2021/b.md", "## 乙\n\n回到[甲](/2021/a.md)。\n")
	writeBilingualFrom(t, bi, "2022/c.md", "丙文[不在站内](../README.md)。\n")
	return bi
}

func TestPublishHugo(t *testing.T) {
	dir := t.TempDir()
	bi := hugoSite(t, dir)
	tests := []struct {
		name  string
		hugo  pipeline.HugoOptions
		pages map[string]string // every file written, with its content when not ""
	}{
		{"by file name", pipeline.HugoOptions{}, map[string]string{
			"2021/a.en.md": "---\ntitle: 甲\ntranslationKey: \"2021/a\"\n---\n\n见[乙](b.en.md#x)和[丙](../2022/c.en.md)，[外](https://x.org/a.md)。\n",
			"2021/b.en.md": "---\ntitle: \"乙\"\ntranslationKey: \"2021/b\"\n---\n## 乙\n\n回到[甲](/2021/a.en.md)。\n",
			"2022/c.en.md": "---\ntranslationKey: \"2022/c\"\n---\n丙文[不在站内](../README.md)。\n",
		}},
		{"with the sources", pipeline.HugoOptions{Source: true}, map[string]string{
			"2021/a.en.md": "", "2021/b.en.md": "", "2022/c.en.md": "",
			"2021/a.zh.md": "---\ntitle: 甲\ntranslationKey: \"2021/a\"\n---\n\n见[乙](b.zh.md#x)和[丙](../2022/c.zh.md)，[外](https://x.org/a.md)。\n",
			"2021/b.zh.md": "", "2022/c.zh.md": "",
		}},
		{"by content directory", pipeline.HugoOptions{Tree: true}, map[string]string{
			"content/en/2021/a.md": "---\ntitle: 甲\ntranslationKey: \"2021/a\"\n---\n\n见[乙](b.md#x)和[丙](../2022/c.md)，[外](https://x.org/a.md)。\n",
			"content/en/2021/b.md": "", "content/en/2022/c.md": "",
		}},
		{"by content directory, with the sources", pipeline.HugoOptions{Tree: true, Source: true}, map[string]string{
			"content/en/2021/a.md": "", "content/en/2021/b.md": "", "content/en/2022/c.md": "",
			"content/zh/2021/a.md": "", "content/zh/2021/b.md": "", "content/zh/2022/c.md": "",
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := filepath.Join(dir, "pub", string(rune('a'+i)))
			rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo, Hugo: tt.hugo})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Totals.FilesOK != 3 {
				t.Errorf("%d files ok, want 3: %+v", rep.Totals.FilesOK, rep.Files)
			}
			written := map[string]bool{}
			filepath.WalkDir(pub, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(pub, p)
					written[filepath.ToSlash(rel)] = true
				}
				return err
			})
			for rel, want := range tt.pages {
				if !written[rel] {
					t.Errorf("%s not written", rel)
					continue
				}
				delete(written, rel)
				got, _ := os.ReadFile(filepath.Join(pub, filepath.FromSlash(rel)))
				checkHugoPage(t, rel, got)
				if want != "" && string(got) != want {
					t.Errorf("%s:\n%s\nwant:\n%s", rel, got, want)
				}
			}
			for rel := range written {
				t.Errorf("%s written too", rel)
			}
			for _, f := range rep.Files {
				rel, _ := filepath.Rel(pub, f.Output)
				rel = filepath.ToSlash(rel)
				if _, ok := tt.pages[rel]; !ok || !(strings.Contains(rel, ".en.") || strings.HasPrefix(rel, "content/en/")) {
					t.Errorf("%s: output %q, want its target page", f.Path, f.Output)
				}
			}
		})
	}
}

// checkHugoPage checks a published page: Markdown whose front matter is a
// YAML mapping with a non-empty translationKey. It returns the key.
func checkHugoPage(t *testing.T, name string, page []byte) string {
	t.Helper()
	doc, err := markdown.Parse(page, nil)
	if err != nil || len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter {
		t.Errorf("%s: no front matter (%v):\n%.200s", name, err, page)
		return ""
	}
	fm := bytes.TrimPrefix(page[doc.Blocks[0].Start:doc.Blocks[0].End], []byte("\ufeff"))
	lines := strings.SplitAfter(string(fm), "\n")
	var body strings.Builder
	for _, l := range lines[1:] {
		if t := strings.TrimRight(l, " \t\r\n"); t == "---" || t == "..." {
			break
		}
		body.WriteString(l)
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(body.String()), &m); err != nil {
		t.Errorf("%s: front matter is not YAML: %v\n%s", name, err, fm)
		return ""
	}
	for k, v := range m {
		if strings.EqualFold(k, "translationKey") {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
	}
	t.Errorf("%s: no translationKey in\n%s", name, fm)
	return ""
}

func TestPublishHugoRequire(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	reviewed := out.UnitInfo{State: out.StateReviewed}
	writeBilingualFrom(t, bi, "a.md", "见[乙](b.md)和[丙](c.md)。\n", reviewed)
	writeBilingualFrom(t, bi, "b.md", "乙文。\n") // machine
	writeBilingualFrom(t, bi, "c.md", "丙文。\n", reviewed)
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{
		OutDir: pub, Layout: pipeline.LayoutHugo, Require: pipeline.RequireReviewed,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.FilesOK != 2 || rep.Totals.FilesFailed != 1 {
		t.Errorf("totals %+v, want 2 ok and b.md refused", rep.Totals)
	}
	if _, err := os.Stat(filepath.Join(pub, "b.en.md")); err == nil {
		t.Error("the refused b.md was published")
	}
	a, _ := os.ReadFile(filepath.Join(pub, "a.en.md"))
	if !strings.Contains(string(a), "见[乙](b.md)和[丙](c.en.md)。") {
		t.Errorf("a.en.md should link to the refused b.md as it was and to c.en.md:\n%s", a)
	}
}

func TestPublishHugoRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	writeBilingualFrom(t, bi, "x.zh.md", "段落。\n")

	_, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: filepath.Join(dir, "p"), Hugo: pipeline.HugoOptions{Tree: true}})
	if !errors.Is(err, pipeline.ErrConfig) || !strings.Contains(err.Error(), "need layout hugo") {
		t.Errorf("Hugo options with the target layout: %v, want ErrConfig", err)
	}

	// The source page of bi/x.zh.md is bi/x.zh.md itself.
	in := filepath.Join(bi, "x.zh.md")
	before, _ := os.ReadFile(in)
	_, err = pipeline.Publish(ctx, []string{in}, &pipeline.PublishOptions{OutDir: bi, Layout: pipeline.LayoutHugo, Hugo: pipeline.HugoOptions{Source: true}})
	if !errors.Is(err, pipeline.ErrOutputIsInput) {
		t.Errorf("a source page over its input: %v, want ErrOutputIsInput", err)
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(after, before) {
		t.Error("the input was overwritten")
	}
	if _, err := os.Stat(filepath.Join(bi, "x.en.md")); err == nil {
		t.Error("a refused publish wrote the target page")
	}
	if _, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: filepath.Join(bi, "site"), Layout: pipeline.LayoutHugo}); !errors.Is(err, pipeline.ErrOutputIsInput) {
		t.Errorf("output inside the input: %v, want ErrOutputIsInput", err)
	}

	// Files that fail alone: two making one page, a file that is not
	// bilingual, front matter Hugo cannot read, and one needing attention.
	writeBilingualFrom(t, bi, "x.md", "段落。\n")
	writeBilingualFrom(t, bi, "bad.md", "---\ntitle: [未闭合\n---\n\n段落。\n")
	writeBilingualFrom(t, bi, "failed.md", "段落。\n", out.UnitInfo{State: out.StateFailed})
	if err := os.WriteFile(filepath.Join(bi, "plain.md"), []byte("不是双语文件。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ status, err string }{
		"x.md":      {pipeline.StatusOK, ""},
		"x.zh.md":   {pipeline.StatusFailed, "x.md and x.zh.md both make x.en.md"},
		"bad.md":    {pipeline.StatusFailed, "front matter is not a YAML mapping"},
		"failed.md": {pipeline.StatusAttention, "needs attention: 1 failed unit"},
		"plain.md":  {pipeline.StatusFailed, "not a diglot bilingual file"},
	}
	for _, f := range rep.Files {
		w := want[filepath.Base(f.Path)]
		if f.Status != w.status || !strings.Contains(f.Error, w.err) {
			t.Errorf("%s: %s %q, want %s %q", filepath.Base(f.Path), f.Status, f.Error, w.status, w.err)
		}
	}
	for name, written := range map[string]bool{"x.en.md": true, "failed.en.md": true, "bad.en.md": false, "plain.en.md": false} {
		if _, err := os.Stat(filepath.Join(pub, name)); (err == nil) != written {
			t.Errorf("%s written = %v, want %v", name, err == nil, written)
		}
	}
}

// TestPublishHugoSplitRuns publishes at once articles translated in
// separate runs (translate src/2021 -o bi/2021, then 2022, then misc), so
// that each from= is relative to its own run: keys and links follow where
// the articles lie in the publish's input, and an article whose own key
// is another's is refused, naming both.
func TestPublishHugoSplitRuns(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	writeBilingualRun(t, bi, "a.md", "2021", "---\ntitle: 甲\n---\n\n见[丙](../2022/c.md)和[丙](/2022/c.md#x)。\n")
	writeBilingualRun(t, bi, "c.md", "2022", "## 丙\n\n回到[甲](../2021/a.md)。\n")
	writeBilingualRun(t, bi, "a.md", "misc", "## 杂\n\n另一篇。\n")
	writeBilingualRun(t, bi, "x.md", "misc", "---\ntitle: 重\ntranslationKey: 2021/a\n---\n\n重复的键。\n")
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo, Hugo: pipeline.HugoOptions{Source: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"2021/a.en.md": "---\ntitle: 甲\ntranslationKey: \"2021/a\"\n---\n\n见[丙](../2022/c.en.md)和[丙](/2022/c.en.md#x)。\n",
		"2021/a.zh.md": "---\ntitle: 甲\ntranslationKey: \"2021/a\"\n---\n\n见[丙](../2022/c.zh.md)和[丙](/2022/c.zh.md#x)。\n",
		"2022/c.en.md": "---\ntitle: \"丙\"\ntranslationKey: \"2022/c\"\n---\n## 丙\n\n回到[甲](../2021/a.en.md)。\n",
		"misc/a.en.md": "---\ntitle: \"杂\"\ntranslationKey: \"misc/a\"\n---\n## 杂\n\n另一篇。\n",
	}
	for rel, w := range want {
		got, err := os.ReadFile(filepath.Join(pub, filepath.FromSlash(rel)))
		if err != nil || string(got) != w {
			t.Errorf("%s: %v\n%s\nwant:\n%s", rel, err, got, w)
		}
	}
	for _, f := range rep.Files {
		wantErr := ""
		if filepath.Base(f.Path) == "x.md" {
			wantErr = `translationKey "2021/a" of misc/x.md is 2021/a.md's already`
		}
		if (f.Status == pipeline.StatusFailed) != (wantErr != "") || !strings.Contains(f.Error, wantErr) {
			t.Errorf("%s: %s %q, want the error %q", f.Path, f.Status, f.Error, wantErr)
		}
	}
	if _, err := os.Stat(filepath.Join(pub, "misc", "x.en.md")); err == nil {
		t.Error("misc/x.en.md was written with another article's key")
	}
}

// TestPublishHugoCorpus publishes every corpus file (targets equal to the
// sources) with its source page: every page is Markdown with YAML front
// matter and its translationKey, the same in both languages, reads as the
// article (the same segments), and its links to other articles (the
// corpus's README index pages) lead to pages of its language, which exist.
func TestPublishHugoCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus-wide")
	}
	names, _ := filepath.Glob(filepath.Join(corpus, "*.md"))
	if len(names) == 0 {
		t.Skip("corpus absent: " + corpus)
	}
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	sources := map[string][]byte{}
	inRun := map[string]bool{}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := markdown.Parse(src, nil); err != nil {
			continue // not UTF-8: translate refuses it
		}
		sources[filepath.Base(n)] = src
		inRun[filepath.Base(n)] = true
		writeBilingualFrom(t, bi, filepath.Base(n), string(src))
	}
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo, Hugo: pipeline.HugoOptions{Source: true}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.FilesOK != len(sources) {
		t.Fatalf("%d of %d files ok: %+v", rep.Totals.FilesOK, len(sources), rep.Totals)
	}
	var st linkStats
	for name, src := range sources {
		stem := strings.TrimSuffix(name, ".md")
		want := texts(t, src)
		for _, lang := range []string{"en", "zh"} {
			page := stem + "." + lang + ".md"
			data, err := os.ReadFile(filepath.Join(pub, page))
			if err != nil {
				t.Errorf("%s: %v", page, err)
				continue
			}
			if k := checkHugoPage(t, page, data); k != stem {
				t.Errorf("%s: translationKey %q, want %q", page, k, stem)
			}
			if got := texts(t, data); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s does not read as %s", page, name)
			}
			st.add(checkHugoLinks(t, pub, page, lang, inRun))
		}
	}
	t.Logf("%d files: %+v", len(sources), st)
	if st.rewritten == 0 {
		t.Error("no link rewritten: the corpus's links to its README pages should be")
	}
}

// texts returns the texts of the segments of a document outside its
// front matter.
func texts(t *testing.T, src []byte) []string {
	t.Helper()
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range doc.Segments {
		if s.Kind != markdown.FrontMatterSeg {
			texts = append(texts, s.Text)
		}
	}
	return texts
}

// linkStats counts the links of published pages.
type linkStats struct{ links, rewritten, missed int }

func (s *linkStats) add(o linkStats) {
	s.links += o.links
	s.rewritten += o.rewritten
	s.missed += o.missed
}

// checkHugoLinks checks the links of the page at rel under pub (by file
// name, in language lang): a link to a page of lang (NAME.LANG.md) must
// lead to a file that exists; a link to an article of the run
// (inRun, by its path) must have been rewritten so.
func checkHugoLinks(t *testing.T, pub, rel, lang string, inRun map[string]bool) linkStats {
	t.Helper()
	var st linkStats
	data, err := os.ReadFile(filepath.Join(pub, filepath.FromSlash(rel)))
	if err != nil {
		t.Error(err)
		return st
	}
	for _, dest := range linkDests(data) {
		st.links++
		p, _, _ := strings.Cut(dest, "#")
		if p == "" || strings.Contains(p, "://") {
			continue
		}
		resolved := path.Join(path.Dir(rel), p)
		if strings.HasPrefix(p, "/") {
			resolved = path.Clean(strings.TrimPrefix(p, "/"))
		}
		if strings.HasSuffix(p, "."+lang+".md") {
			st.rewritten++
			if _, err := os.Stat(filepath.Join(pub, filepath.FromSlash(resolved))); err != nil {
				t.Errorf("%s: link %q leads nowhere", rel, dest)
			}
		} else if inRun[resolved] {
			st.missed++
			t.Errorf("%s: link %q to an article of the run not rewritten", rel, dest)
		}
	}
	return st
}

// TestPublishHugoArchive publishes a slice of the archive (the last two
// months of 2020's transcripts and the index pages, from the archive's
// root, as a translate of it would) and checks every link of every target
// page as TestPublishHugoCorpus does; links from the root
// (/content/transcript/…) are among them. DIGLOT_ARCHIVE names the
// archive.
func TestPublishHugoArchive(t *testing.T) {
	root := os.Getenv("DIGLOT_ARCHIVE")
	if root == "" || testing.Short() {
		t.Skip("DIGLOT_ARCHIVE not set, or -short")
	}
	var rels []string
	for _, pattern := range []string{"content/*.md", "content/transcript/*.md", "content/transcript/2020/1[12]/*.md"} {
		m, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
		for _, p := range m {
			rel, _ := filepath.Rel(root, p)
			rels = append(rels, filepath.ToSlash(rel))
		}
	}
	if len(rels) == 0 {
		t.Skip("no archive files under " + root)
	}
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	inRun := map[string]bool{}
	for _, rel := range rels {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := markdown.Parse(src, nil); err != nil {
			continue
		}
		inRun[rel] = true
		writeBilingualFrom(t, bi, rel, string(src))
	}
	pub := filepath.Join(dir, "pub")
	start := time.Now()
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if rep.Totals.FilesOK != len(inRun) {
		t.Errorf("%d of %d files ok", rep.Totals.FilesOK, len(inRun))
	}
	var st linkStats
	for rel := range inRun {
		st.add(checkHugoLinks(t, pub, strings.TrimSuffix(rel, ".md")+".en.md", "en", inRun))
	}
	t.Logf("%d files published in %v: %d links, %d rewritten to English pages (all exist), %d missed",
		len(inRun), elapsed.Round(time.Millisecond), st.links, st.rewritten, st.missed)
}

// linkDests returns the destination of every link of a page, as goldmark
// (Hugo's Markdown parser) reads it.
func linkDests(page []byte) []string {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	root := md.Parser().Parse(text.NewReader(page))
	var dests []string
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			dests = append(dests, string(l.Destination))
		}
		return ast.WalkContinue, nil
	})
	return dests
}

// BenchmarkPublishHugo publishes the corpus's bilingual files (targets
// equal to the sources) as Hugo pages and, in the same iteration, with
// the target layout, and reports the ratio of the two times: what the
// header pass, the front matter, finding links and checking every page
// cost over writing the target document.
func BenchmarkPublishHugo(b *testing.B) {
	names, _ := filepath.Glob(filepath.Join(corpus, "*.md"))
	if len(names) == 0 {
		b.Skip("corpus absent: " + corpus)
	}
	dir := b.TempDir()
	bi := filepath.Join(dir, "bi")
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := markdown.Parse(src, nil); err == nil {
			writeBilingualFrom(b, bi, filepath.Base(n), string(src))
		}
	}
	var target, hugo time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, layout := range []string{pipeline.LayoutTarget, pipeline.LayoutHugo} {
			start := time.Now()
			if _, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: filepath.Join(dir, layout), Layout: layout}); err != nil {
				b.Fatal(err)
			}
			if layout == pipeline.LayoutHugo {
				hugo += time.Since(start)
			} else {
				target += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(hugo)/float64(target), "hugo/target")
	b.ReportMetric(target.Seconds()/float64(b.N), "target-s/op")
	b.ReportMetric(hugo.Seconds()/float64(b.N), "hugo-s/op")
}

// TestPublishHugoLongFrontMatter checks a file whose header, after its
// front matter, lies beyond the first bytes publish reads for it.
func TestPublishHugoLongFrontMatter(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	var fm strings.Builder
	fm.WriteString("---\ntitle: 标题\n")
	for i := 0; fm.Len() < 100<<10; i++ {
		fmt.Fprintf(&fm, "k%d: %s\n", i, strings.Repeat("v", 60))
	}
	fm.WriteString("---\n\n正文。\n")
	writeBilingualFrom(t, bi, "a.md", fm.String())
	pub := filepath.Join(dir, "pub")
	rep, err := pipeline.Publish(context.Background(), []string{bi}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHugo})
	if err != nil || rep.Totals.FilesOK != 1 {
		t.Fatalf("Publish = %+v, %v", rep.Files, err)
	}
	page, _ := os.ReadFile(filepath.Join(pub, "a.en.md"))
	if k := checkHugoPage(t, "a.en.md", page); k != "a" {
		t.Errorf("translationKey %q, want a", k)
	}
}
