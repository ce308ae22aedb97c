package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/identity"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
	"github.com/diglot/diglot/providers/pseudo"
	"github.com/diglot/diglot/tm"
)

// These tests are issue 11's and 13's guarantees, through Translate: who
// translated what is recorded and respected, nothing rejected is stored,
// and a reviewer's work is never overwritten.

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// latin translates as the fake chat server does: CJK to Latin syllables.
func latin(segs []string) []string {
	res := make([]string, len(segs))
	for i, s := range segs {
		res[i] = openaitest.Translate(s)
	}
	return res
}

// realEngine is a fake engine whose output is a translation, as far as the
// checks can tell.
func realEngine() *fakeEngine {
	return &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 1}, tr: latin}
}

func runOpts(p providers.Provider, name, outDir string, mem tm.Store) *Options {
	return &Options{Provider: p, ProviderName: name, Source: language.Chinese, Target: language.English,
		OutDir: outDir, Memory: mem, Backoff: time.Millisecond, MaxAttempts: 3}
}

func mustTranslate(t *testing.T, in string, o *Options) *Report {
	t.Helper()
	rep, err := Translate(context.Background(), []string{in}, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func entries(t *testing.T, mem *tm.Memory) []tm.Entry {
	t.Helper()
	var es []tm.Entry
	if err := mem.Each(context.Background(), nil, func(e tm.Entry) error { es = append(es, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return es
}

const twoParas = "# 标题\n\n第一段。\n\n第二段。\n"

// TestSyntheticEnginesStoreNothing: pseudo and copy output is not a
// translation; a real engine afterwards translates every unit.
func TestSyntheticEnginesStoreNothing(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	mem := tm.NewMemory(nil)
	for _, p := range []struct {
		p    providers.Provider
		name string
	}{{pseudo.NewTranslator(nil), "pseudo"}, {identity.Translator{}, "copy"}} {
		rep := mustTranslate(t, in, runOpts(p.p, p.name, bi, mem))
		if rep.Failed() {
			t.Fatalf("%s run: %+v", p.name, rep.Totals)
		}
		if es := entries(t, mem); len(es) != 0 {
			t.Fatalf("after %s: %d memory entries, want none: %+v", p.name, len(es), es)
		}
	}
	fe := realEngine()
	rep := mustTranslate(t, in, runOpts(fe, "real", bi, mem))
	if _, segs := fe.sent(); segs != 3 || rep.Totals.Translated != 3 || rep.Totals.Reused != 0 {
		t.Errorf("real engine after copy: sent %d segments, totals %+v; want all 3 sent", segs, rep.Totals)
	}
	data, _ := os.ReadFile(filepath.Join(bi, "a.md"))
	bf, err := out.ReadBilingual("a.md", data, out.Format{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range bf.Units {
		for _, tgt := range u.Targets {
			if strings.ContainsAny(tgt, "第段标题") {
				t.Errorf("unit %d still holds the copy engine's text %q", u.ID, tgt)
			}
			if false {
				t.Errorf("unit %d still holds the copy engine's text %q", u.ID, tgt)
			}
		}
	}
	if es := entries(t, mem); len(es) != 3 || es[0].Origin != "real" {
		t.Errorf("memory after the real run: %+v", es)
	}
}

// TestRejectedTranslationNeverStored: a translation the run rejects (here an
// echo of the source, every attempt) fails its unit, is not stored, and is
// sent again by the next run.
func TestRejectedTranslationNeverStored(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	mem := tm.NewMemory(nil)
	echo := &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 1},
		script: func(_ int, req providers.Request) ([]string, error) {
			res := latin(req.Segments)
			for i, s := range req.Segments {
				if s == "第一段。" {
					res[i] = s // an echo, every time
				}
			}
			return res, nil
		}}
	rep := mustTranslate(t, in, runOpts(echo, "real", bi, mem))
	if rep.Totals.Failed != 1 || rep.Files[0].Status != StatusAttention || !rep.Failed() {
		t.Fatalf("echo run: totals %+v, file %+v", rep.Totals, rep.Files[0])
	}
	if !strings.Contains(rep.Failures[0].Reason, "untranslated") {
		t.Errorf("failure reason %q, want the echo named", rep.Failures[0].Reason)
	}
	for _, e := range entries(t, mem) {
		if e.Source == "第一段。" {
			t.Fatalf("the rejected echo was stored: %+v", e)
		}
	}
	clean := realEngine()
	rep = mustTranslate(t, in, runOpts(clean, "real", bi, mem))
	if _, segs := clean.sent(); segs != 1 || rep.Totals.Failed != 0 || rep.Failed() {
		t.Errorf("rerun sent %d segments (want the failed one), totals %+v", segs, rep.Totals)
	}
}

// TestReadBackFailuresCounted: totals count every failed unit, those the
// writer fails too.
func TestReadBackFailuresCounted(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), "第一段。\n\n第二段。\n")
	o := runOpts(markdownMakerEngine{}, "maker", bi, nil)
	rep := mustTranslate(t, in, o)
	if rep.Totals.Failed != 2 || len(rep.Failures) != 2 || rep.Files[0].Failed != 2 {
		t.Errorf("totals %+v, failures %d, file %+v", rep.Totals, len(rep.Failures), rep.Files[0])
	}
}

// markdownMakerEngine turns every paragraph into a lone pipe, which reads
// back as no segment at all (a list item or a heading mark would be
// escaped and read back).
type markdownMakerEngine struct{}

func (markdownMakerEngine) Translate(_ context.Context, req providers.Request) ([]string, error) {
	res := make([]string, len(req.Segments))
	for i := range res {
		res[i] = "|"
	}
	return res, nil
}

// TestEditSavedDuringRun: an output a reviewer saves while the run is
// translating it is not overwritten; its edit reaches the memory.
func TestEditSavedDuringRun(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	mem := tm.NewMemory(nil)
	first := realEngine()
	mustTranslate(t, in, runOpts(first, "real", bi, mem))
	// The source changes, so the next run must translate again; while its
	// request is in flight, a reviewer saves an edit of the output.
	writeFile(t, filepath.Join(in, "a.md"), twoParas+"\n第三段。\n")
	outPath := filepath.Join(bi, "a.md")
	edited := make(chan struct{})
	var once sync.Once
	second := &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 1}, tr: latin,
		script: func(int, providers.Request) ([]string, error) {
			data, _ := os.ReadFile(outPath)
			text := replaceTarget(t, string(data), 3, "Paragraph two, as the reviewer wrote it.")
			if err := os.WriteFile(outPath, []byte(text), 0o644); err != nil {
				t.Error(err)
			}
			future := time.Now().Add(2 * time.Second)
			os.Chtimes(outPath, future, future)
			once.Do(func() { close(edited) })
			return nil, nil
		}}
	rep := mustTranslate(t, in, runOpts(second, "real", bi, mem))
	<-edited
	if rep.Files[0].Status != StatusAttention || !strings.Contains(rep.Files[0].Error, "during the run") {
		t.Fatalf("file %+v: want attention, not overwritten", rep.Files[0])
	}
	data, _ := os.ReadFile(outPath)
	if !strings.Contains(string(data), "as the reviewer wrote it") {
		t.Fatalf("the reviewer's edit was overwritten:\n%s", data)
	}
	found := false
	for _, e := range entries(t, mem) {
		found = found || e.State == tm.Reviewed && strings.Contains(e.Target, "as the reviewer wrote it")
	}
	if !found {
		t.Error("the edit saved during the run is not in the memory")
	}
	// The next run merges: the edit is kept, the new paragraph written.
	third := realEngine()
	rep = mustTranslate(t, in, runOpts(third, "real", bi, mem))
	data, _ = os.ReadFile(outPath)
	if rep.Failed() || !strings.Contains(string(data), "as the reviewer wrote it") || !strings.Contains(string(data), "第三段") {
		t.Errorf("merge run: %+v\n%s", rep.Files, data)
	}
}

// replaceTarget replaces the target block of unit id in a bilingual text.
// It reports failures with t.Error: it runs on the run's goroutines too.
func replaceTarget(t *testing.T, text string, id int, target string) string {
	t.Helper()
	bf, err := out.ReadBilingual("x.md", []byte(text), out.Format{})
	if err != nil {
		t.Error(err)
		return text
	}
	for _, u := range bf.Units {
		if u.ID == id {
			old := strings.TrimRight(string(u.TargetBytes), "\r\n")
			return strings.Replace(text, "\n"+old+"\n", "\n"+target+"\n", 1)
		}
	}
	t.Errorf("no unit %d in\n%s", id, text)
	return text
}

// TestEditedUnitMarkedReviewedInItsFile: after a reviewer edits a target,
// the next run writes state=reviewed in that very file, and reports a
// different reviewed translation of the same paragraph elsewhere as a
// conflict.
func TestEditedUnitMarkedReviewedInItsFile(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	writeFile(t, filepath.Join(in, "b.md"), twoParas)
	mem := tm.NewMemory(nil)
	mustTranslate(t, in, runOpts(realEngine(), "real", bi, mem))
	for name, text := range map[string]string{"a.md": "Paragraph two (a).", "b.md": "Paragraph two (b)."} {
		p := filepath.Join(bi, name)
		data, _ := os.ReadFile(p)
		writeFile(t, p, replaceTarget(t, string(data), 3, text))
	}
	rep := mustTranslate(t, in, runOpts(realEngine(), "real", bi, mem))
	for _, name := range []string{"a.md", "b.md"} {
		data, _ := os.ReadFile(filepath.Join(bi, name))
		bf, err := out.ReadBilingual(name, data, out.Format{})
		if err != nil {
			t.Fatal(err)
		}
		if bf.Units[2].State != out.StateReviewed {
			t.Errorf("%s: edited unit is %s, want reviewed", name, bf.Units[2].State)
		}
	}
	if len(rep.Conflicts) != 1 || len(rep.Conflicts[0].Places) != 2 {
		t.Errorf("conflicts = %+v, want one naming both files", rep.Conflicts)
	}
}

// TestReviewedUnitDropsMachineFlags: the QA flags of a machine translation
// do not stay on the reviewer's text that replaced it.
func TestReviewedUnitDropsMachineFlags(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	mem := tm.NewMemory(nil)
	mustTranslate(t, in, runOpts(realEngine(), "real", bi, mem))
	p := filepath.Join(bi, "a.md")
	data, _ := os.ReadFile(p)
	// Flag unit 3 as a QA run would, then let a reviewer rewrite it.
	flagged := regexp.MustCompile(`(<!-- diglot:t id=3 [^\n]*?)( -->)`).ReplaceAllString(string(data), "$1 flags=numbers$2")
	writeFile(t, p, replaceTarget(t, flagged, 3, "Paragraph two, reviewed."))
	mustTranslate(t, in, runOpts(realEngine(), "real", bi, mem))
	data, _ = os.ReadFile(p)
	bf, err := out.ReadBilingual("a.md", data, out.Format{})
	if err != nil {
		t.Fatal(err)
	}
	if u := bf.Units[2]; u.State != out.StateReviewed || len(u.Flags) != 0 {
		t.Errorf("reviewed unit: state %s, flags %v; want reviewed, no flags", u.State, u.Flags)
	}
}

// TestRerunSkipsUnchangedFiles: a second run recognises files whose source
// and output did not change without parsing them; an edited output is read
// again and its edit imported.
func TestRerunSkipsUnchangedFiles(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	writeFile(t, filepath.Join(in, "b.md"), "# 另一篇\n\n第三段。\n")
	mem := tm.NewMemory(nil)
	o := runOpts(realEngine(), "real", bi, mem)
	mustTranslate(t, in, o)
	rep := mustTranslate(t, in, o)
	for _, f := range rep.Files {
		if f.Status != StatusUnchanged {
			t.Errorf("rerun: %s is %s, want unchanged", f.Path, f.Status)
		}
	}
	if rep.Totals.Segments != 5 || rep.Totals.Requests != 0 {
		t.Errorf("rerun totals %+v", rep.Totals)
	}
	p := filepath.Join(bi, "a.md")
	data, _ := os.ReadFile(p)
	writeFile(t, p, replaceTarget(t, string(data), 2, "First, reviewed."))
	future := time.Now().Add(2 * time.Second)
	os.Chtimes(p, future, future)
	rep = mustTranslate(t, in, o)
	if rep.Files[0].Status == StatusUnchanged {
		t.Errorf("an edited output was skipped as unchanged")
	}
	reviewed := 0
	for _, e := range entries(t, mem) {
		if e.State == tm.Reviewed {
			reviewed++
		}
	}
	if reviewed != 1 {
		t.Errorf("%d reviewed entries after the edit, want 1", reviewed)
	}
}

// TestInputSymlinkLeavingRootSkipped: a symlink in an input directory that
// leads out of it is skipped with a report entry, unless followed.
func TestInputSymlinkLeavingRootSkipped(t *testing.T) {
	in, outside, bi := t.TempDir(), t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	writeFile(t, filepath.Join(outside, "secret.md"), "# 秘密\n")
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(in, "link.md")); err != nil {
		t.Skip(err)
	}
	o := runOpts(identity.Translator{}, "copy", bi, nil)
	rep := mustTranslate(t, in, o)
	if len(rep.Files) != 1 || len(rep.Inputs) != 1 || !strings.Contains(rep.Inputs[0], "symlink") {
		t.Errorf("files %+v, input errors %q", rep.Files, rep.Inputs)
	}
	o.FollowSymlinks = true
	rep = mustTranslate(t, in, o)
	if len(rep.Files) != 2 || len(rep.Inputs) != 0 {
		t.Errorf("with FollowSymlinks: files %+v, input errors %q", rep.Files, rep.Inputs)
	}
}

// TestSymlinkPlantedInOutputDuringRun: a directory of the output tree
// replaced by a symlink to elsewhere while the run goes never receives a
// write.
func TestSymlinkPlantedInOutputDuringRun(t *testing.T) {
	in, bi, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "sub", "a.md"), twoParas)
	planted := &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 1}, tr: latin,
		script: func(int, providers.Request) ([]string, error) {
			os.RemoveAll(filepath.Join(bi, "sub"))
			if err := os.Symlink(elsewhere, filepath.Join(bi, "sub")); err != nil {
				t.Error(err)
			}
			return nil, nil
		}}
	rep := mustTranslate(t, in, runOpts(planted, "real", bi, nil))
	if ents, _ := os.ReadDir(elsewhere); len(ents) != 0 {
		t.Fatalf("the run wrote through the planted symlink: %v", ents)
	}
	if rep.Files[0].Status != StatusFailed || !strings.Contains(rep.Files[0].Error, "escapes") {
		t.Errorf("file %+v: want failed, naming the escape", rep.Files[0])
	}
}

// TestReviewFromElsewhereReachesSkippedFiles: a reviewed entry that reaches
// the memory from elsewhere (tm import, another machine) is applied on the
// next run, though the files themselves did not change.
func TestReviewFromElsewhereReachesSkippedFiles(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	mem := tm.NewMemory(nil)
	o := runOpts(realEngine(), "real", bi, mem)
	mustTranslate(t, in, o)
	key := KeyFor(nil)("zh", "en", "第二段。")
	err := mem.Put(context.Background(), []tm.Entry{{SourceLang: "zh", TargetLang: "en", Key: key,
		Source: "第二段。", Target: "Paragraph two, from the team's memory.", Origin: tm.OriginHuman, State: tm.Reviewed}})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustTranslate(t, in, o)
	data, _ := os.ReadFile(filepath.Join(bi, "a.md"))
	if rep.Files[0].Status == StatusUnchanged || !strings.Contains(string(data), "from the team's memory") {
		t.Errorf("file %+v; output:\n%s", rep.Files[0], data)
	}
}

// TestTargetPagesNotSources: pages publish --layout hugo wrote beside their
// sources (a.en.md) are not translated again as sources.
func TestTargetPagesNotSources(t *testing.T) {
	in, bi := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(in, "a.md"), twoParas)
	writeFile(t, filepath.Join(in, "a.en.md"), "# Title\n\nParagraph one.\n")
	writeFile(t, filepath.Join(in, "b.zh.md"), twoParas)
	rep := mustTranslate(t, in, runOpts(identity.Translator{}, "copy", bi, nil))
	var names []string
	for _, f := range rep.Files {
		names = append(names, filepath.Base(f.Path))
	}
	if strings.Join(names, " ") != "a.md b.zh.md" {
		t.Errorf("translated %v, want a.md and b.zh.md only", names)
	}
}
