package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/pseudo"
	"github.com/diglot/diglot/tm"
)

// counting wraps an engine and counts the segments sent to it.
type counting struct {
	providers.Provider
	segments atomic.Int64
	texts    chan string
}

func (c *counting) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	c.segments.Add(int64(len(req.Segments)))
	for _, s := range req.Segments {
		select {
		case c.texts <- s:
		default:
		}
	}
	return c.Provider.Translate(ctx, req)
}

func newCounting() *counting {
	return &counting{Provider: pseudo.NewTranslator(nil), texts: make(chan string, 10000)}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(to, e.Name()), data)
	}
}

// editTargets appends a reviewer's mark to the target of up to n paragraph
// or heading units across the bilingual files in dir, and returns the
// edited target blocks.
func editTargets(t *testing.T, dir string, n int) []string {
	t.Helper()
	var edits []string
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, name := range names {
		data, _ := os.ReadFile(name)
		bf, err := out.ReadBilingual(name, data, out.Format{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range bf.Units {
			kind := bf.Source.Blocks[u.Block].Kind
			if len(edits) == n || (kind != markdown.Paragraph && kind != markdown.Heading) {
				continue
			}
			old := u.TargetBytes
			body := bytes.TrimRight(old, "\r\n")
			edited := append(append(append([]byte{}, body...), fmt.Sprintf(" (reviewed %d)", len(edits))...), old[len(body):]...)
			if bytes.Count(data, old) != 1 {
				continue
			}
			data = bytes.Replace(data, old, edited, 1)
			edits = append(edits, string(edited))
		}
		write(t, name, data)
	}
	if len(edits) != n {
		t.Fatalf("made %d edits, want %d", len(edits), n)
	}
	return edits
}

func TestReviewLoop(t *testing.T) {
	ctx := context.Background()
	in, bi, pub := t.TempDir(), t.TempDir(), t.TempDir()
	copyDir(t, "../examples", in)
	mem := tm.NewMemory(nil)
	eng := newCounting()
	o := translateOpts(t, bi)
	o.Provider, o.ProviderName, o.Memory = eng, "pseudo", mem
	if rep, _ := pipeline.Translate(ctx, []string{in}, o); rep.Failed() {
		t.Fatalf("first run: %+v", rep.Totals)
	}
	edits := editTargets(t, bi, 5)

	// Change, add and delete paragraphs in one source.
	src := filepath.Join(in, "1348375.md")
	data, _ := os.ReadFile(src)
	paras := strings.Split(string(data), "\n\n")
	paras[len(paras)-2] = "这是一个被修改过的段落，内容全新。"    // changed
	paras = append(paras[:3], paras[4:]...)      // deleted
	paras = append(paras, "新增加的一个段落，之前从未出现过。\n") // added
	write(t, src, []byte(strings.Join(paras, "\n\n")))

	eng.segments.Store(0)
	for len(eng.texts) > 0 {
		<-eng.texts
	}
	rep, _ := pipeline.Translate(ctx, []string{in}, o)
	if rep.Failed() {
		t.Fatalf("second run: %+v", rep.Files)
	}
	if got := eng.segments.Load(); got != 2 {
		var sent []string
		for len(eng.texts) > 0 {
			sent = append(sent, <-eng.texts)
		}
		t.Errorf("second run sent %d segments, want 2 (the changed and the added paragraph): %q", got, sent)
	}
	all := readAll(t, bi)
	for _, e := range edits {
		if !strings.Contains(all, e) {
			t.Errorf("reviewer edit lost: %q", e)
		}
	}
	if _, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: pub}); err != nil {
		t.Fatal(err)
	}
	published := readAll(t, pub)
	for i := range edits {
		if !strings.Contains(published, fmt.Sprintf(" (reviewed %d)", i)) {
			t.Errorf("edit %d not published", i)
		}
	}
}

func readAll(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestReviewedTakesEffectEverywhere: a reviewer's edit of a paragraph that
// recurs in another file becomes that file's translation too, in one run.
func TestReviewedTakesEffectEverywhere(t *testing.T) {
	ctx := context.Background()
	in, bi := t.TempDir(), t.TempDir()
	shared := "本文内容仅代表作者个人观点，并不代表平台立场。"
	write(t, filepath.Join(in, "a.md"), []byte("# 甲\n\n"+shared+"\n"))
	write(t, filepath.Join(in, "b.md"), []byte("# 乙\n\n"+shared+"\n"))
	o := translateOpts(t, bi)
	o.Provider, o.ProviderName, o.Memory = newCounting(), "pseudo", tm.NewMemory(nil)
	pipeline.Translate(ctx, []string{in}, o)
	// Review the paragraph in b.md only.
	name := filepath.Join(bi, "b.md")
	data, _ := os.ReadFile(name)
	bf, _ := out.ReadBilingual(name, data, out.Format{})
	u := bf.Units[1]
	reviewed := "The views expressed are the author's own.\n"
	write(t, name, bytes.Replace(data, u.TargetBytes, []byte(reviewed), 1))
	// Touch a.md's source so its output is rewritten, and run again.
	write(t, filepath.Join(in, "a.md"), []byte("# 甲乙\n\n"+shared+"\n"))
	pipeline.Translate(ctx, []string{in}, o)
	got, _ := os.ReadFile(filepath.Join(bi, "a.md"))
	if !bytes.Contains(got, []byte(reviewed)) {
		t.Errorf("a.md does not use the reviewed translation:\n%s", got)
	}
}

// TestStale: when a reviewed paragraph's source changes, the new machine
// translation is written as stale with the reviewed one kept beside it.
func TestStale(t *testing.T) {
	ctx := context.Background()
	in, bi := t.TempDir(), t.TempDir()
	write(t, filepath.Join(in, "a.md"), []byte("# 标题\n\n第一段。\n\n第二段。\n"))
	o := translateOpts(t, bi)
	o.Provider, o.ProviderName, o.Memory = newCounting(), "pseudo", tm.NewMemory(nil)
	pipeline.Translate(ctx, []string{in}, o)
	name := filepath.Join(bi, "a.md")
	data, _ := os.ReadFile(name)
	bf, _ := out.ReadBilingual(name, data, out.Format{})
	write(t, name, bytes.Replace(data, bf.Units[1].TargetBytes, []byte("First paragraph.\n"), 1))
	write(t, filepath.Join(in, "a.md"), []byte("# 标题\n\n第一段，改了。\n\n第二段。\n"))
	pipeline.Translate(ctx, []string{in}, o)
	data, _ = os.ReadFile(name)
	bf, err := out.ReadBilingual(name, data, out.Format{})
	if err != nil {
		t.Fatal(err)
	}
	if u := bf.Units[1]; u.State != out.StateStale || string(u.Previous) != "First paragraph.\n" {
		t.Errorf("unit 2: state %s, previous %q; want stale with the reviewed text\n%s", u.State, u.Previous, data)
	}
	// Unchanged on the next run: still stale, previous still there.
	pipeline.Translate(ctx, []string{in}, o)
	data2, _ := os.ReadFile(name)
	if !bytes.Equal(data, data2) {
		t.Errorf("a run over unchanged input changed the output:\n%s\n---\n%s", data, data2)
	}
}
