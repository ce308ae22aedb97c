package review

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tm"
)

var screenshots = flag.String("screenshots", "", "write the browser test's screenshots to `DIR` (the README's are in ../docs)")

// chromium returns the browser to drive: $DIGLOT_CHROMIUM, else Debian's
// chromium. Without one the test fails in CI (CI=true; .ci/run installs
// it) and skips loudly elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DIGLOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (CI=true): .ci/run installs it with apt-get install -y chromium")
	}
	msg := "SKIPPING the review browser tests: no Chromium found; install it with `apt-get install -y chromium` or set DIGLOT_CHROMIUM"
	fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium with a fresh profile and returns its
// context. The flags keep it off the network: this machine refuses its
// background connections.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// step runs actions with a deadline, failing the test with what was going
// on.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		c2, cancel2 := context.WithTimeout(ctx, 5*time.Second)
		defer cancel2()
		loc, _ := chromedp.Run(c2, chromedp.Location())
		body, _ := chromedp.Run(c2, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
		t.Fatalf("%s (at %s): %v\npage:\n%s", what, loc, err, body)
	}
}

// textOf returns the visible text of the first element sel selects.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		// A page that a submit replaces between finding the node and
		// reading it loses the node: read the new page's.
		if err != nil && strings.Contains(err.Error(), "No node with given id") && c.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
}

// waitLoaded waits until the page's address holds query and the page has
// loaded.
func waitLoaded(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.readyState"))
		if strings.Contains(loc, query) && state == "complete" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("page %s (%s) never showed %q", loc, state, query)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unitNumber returns the unit number the page shows.
func unitNumber(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimPrefix(textOf(t, ctx, "#unit-id"), "#")
}

// waitFile waits until the file's bytes differ from old and returns them.
func waitFile(t *testing.T, path string, old []byte) []byte {
	t.Helper()
	for range 100 {
		b := mustRead(t, path)
		if !bytes.Equal(b, old) {
			return b
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not change", path)
	return nil
}

func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser drives the workbench in a real headless Chromium: filter to
// flagged units, move with the keyboard, edit and save a unit, accept
// another, see a broken edit refused and a concurrent change on disk
// kept, and check the file and the memory after each step.
func TestBrowser(t *testing.T) {
	sources := []string{"testdata/article.md"}
	if _, err := os.Stat(corpusDir); err == nil {
		sources = append(sources, corpusArticles(t, 2)...)
	}
	dir := translateFixture(t, sources)
	path := filepath.Join(dir, "article.md")
	// Flag the paragraph with a number as a QA run would.
	data := mustRead(t, path)
	re := regexp.MustCompile(`(<!-- diglot:t id=6 [^\n]*?state=machine[^\n]*?)( -->)`)
	os.WriteFile(path, re.ReplaceAll(data, []byte("$1 flags=numbers$2")), 0o644)

	g, err := glossary.New([]glossary.Entry{{Source: "拜登", Target: "Biden"}, {Source: "普京", Target: "Putin"}, {Source: "日内瓦", Target: "Geneva"}})
	if err != nil {
		t.Fatal(err)
	}
	// Serve the directory by a relative name, as a reviewer would type it,
	// so the pages (and the README's screenshots) show short paths.
	t.Chdir(filepath.Dir(dir))
	env := newEnv(t, filepath.Base(dir), &Options{Glossary: g})
	_, f := env.read("article.md")
	ctx := browser(t)
	base := env.ts.URL

	// The file list, then the units of article.md that are flagged.
	step(t, ctx, "open the file list", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#files")))
	if list := textOf(t, ctx, "#files"); !strings.Contains(list, "article.md") {
		t.Fatalf("file list lacks article.md:\n%s", list)
	}
	step(t, ctx, "open article.md's units",
		chromedp.Click(chromedp.CSS(`a.name[href*="article.md"]`)),
		chromedp.WaitVisible(chromedp.CSS("#units")))
	step(t, ctx, "filter to flagged units",
		chromedp.SetValue(chromedp.CSS("#f-flag"), "any"),
		chromedp.Click(chromedp.CSS(`#filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#units")))
	// The submit replaces the page: read the rows once the new page has
	// loaded, not the old page's table.
	waitLoaded(t, ctx, "flag=any")
	rows := textOf(t, ctx, "#units")
	if !strings.Contains(rows, "article.md #6") || strings.Contains(rows, "article.md #5") {
		t.Fatalf("flagged units of article.md:\n%s", rows)
	}
	step(t, ctx, "open the flagged unit", chromedp.Click(chromedp.CSS("a.unit-link")), chromedp.WaitVisible(chromedp.CSS("#unit")))
	if n := unitNumber(t, ctx); n != "6" {
		t.Fatalf("opened unit %s, want 6", n)
	}

	// Keyboard: k and j move through article.md's units (the filter keeps
	// the file but the flag filter allows only #6, so clear it first).
	step(t, ctx, "all units of the file", chromedp.Navigate(base+"/unit?file=0/article.md&id=1"), chromedp.WaitVisible(chromedp.CSS("#unit")))
	step(t, ctx, "j", chromedp.KeyEvent("j"), chromedp.WaitVisible(chromedp.CSS(`#unit-id`)))
	waitUnit(t, ctx, "2")
	step(t, ctx, "j", chromedp.KeyEvent("j"))
	waitUnit(t, ctx, "3")
	step(t, ctx, "k", chromedp.KeyEvent("k"))
	waitUnit(t, ctx, "2")
	step(t, ctx, "n: next flagged", chromedp.KeyEvent("n"))
	waitUnit(t, ctx, "6")
	if src := textOf(t, ctx, "#source"); !strings.Contains(src, "numbers") {
		t.Errorf("the flag is not shown in the source column: %q", src)
	}

	// Edit and save with the keyboard: e opens the editor, Ctrl+Enter saves.
	before := mustRead(t, path)
	step(t, ctx, "e: edit", chromedp.KeyEvent("e"), chromedp.WaitVisible(chromedp.CSS("#target-text")))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.activeElement.id"))
	if err != nil || focused != "target-text" {
		t.Fatalf("the editor has no focus after e (%q, %v)", focused, err)
	}
	step(t, ctx, "type and save",
		chromedp.SetValue(chromedp.CSS("#target-text"), "The summit lasted about 4 hours, shorter than expected."),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#notice")))
	if n := textOf(t, ctx, "#notice"); n != "Saved." {
		t.Errorf("notice after save: %q", n)
	}
	after := waitFile(t, path, before)
	_, f2 := env.read("article.md")
	u6 := &f2.Units[5]
	if string(u6.TargetBytes) != "The summit lasted about 4 hours, shorter than expected.\n" || u6.State != out.StateReviewed {
		t.Errorf("unit 6 on disk: %q, %s", u6.TargetBytes, u6.State)
	}
	if got := env.reviewed(f2, unitTexts(f2, u6)); len(got) != 1 || got[env.srv.keyOf("zh", "en", unitTexts(f2, u6)[0])].State != tm.Reviewed {
		t.Errorf("memory after save: %v", got)
	}
	step(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#target")))
	if tg := textOf(t, ctx, "#target"); !strings.Contains(tg, "shorter than expected") {
		t.Errorf("target after reload: %q", tg)
	}

	// The paragraph with glossary terms: highlighted in the source column,
	// listed as missing from the pseudo translation.
	step(t, ctx, "terms", chromedp.Navigate(base+"/unit?file=0/article.md&id=3"), chromedp.WaitVisible(chromedp.CSS("#terms")))
	if html, _ := chromedp.Run(ctx, chromedp.InnerHTML(chromedp.CSS("#source"))); !strings.Contains(html, `<mark class="term">拜登</mark>`) {
		t.Errorf("glossary term not highlighted in the source: %s", html)
	}
	shoot(t, ctx, "review-unit.png")

	// Accept the heading with a.
	step(t, ctx, "heading", chromedp.Navigate(base+"/unit?file=0/article.md&id=2"), chromedp.WaitVisible(chromedp.CSS("#unit")))
	step(t, ctx, "a: accept", chromedp.KeyEvent("a"), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if n := textOf(t, ctx, "#notice"); n != "Accepted." {
		t.Errorf("notice after accept: %q", n)
	}
	after2 := waitFile(t, path, after)
	_, f3 := env.read("article.md")
	if f3.Units[1].State != out.StateReviewed || !bytes.Equal(f3.Units[1].TargetBytes, f.Units[1].TargetBytes) {
		t.Errorf("accepted heading: %s %q", f3.Units[1].State, f3.Units[1].TargetBytes)
	}
	if s := textOf(t, ctx, "#state"); s != "reviewed" {
		t.Errorf("state shown after accept: %q", s)
	}

	// A broken edit: an item added to the list is refused with the reason.
	list := unitOfKind(t, f3, "- ")
	step(t, ctx, "list unit", chromedp.Navigate(fmt.Sprintf("%s/unit?file=0/article.md&id=%d", base, list.ID)), chromedp.WaitVisible(chromedp.CSS("#unit")))
	step(t, ctx, "broken edit",
		chromedp.KeyEvent("e"),
		chromedp.SetValue(chromedp.CSS("#target-text"), string(list.TargetBytes)+"- one item too many\n"),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if e := textOf(t, ctx, "#error"); !strings.Contains(e, "Not saved") || !strings.Contains(e, "article.md:") {
		t.Errorf("refusal: %q", e)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#target-text"))); !strings.Contains(v, "one item too many") {
		t.Errorf("the refused text is not kept in the editor: %q", v)
	}
	shoot(t, ctx, "review-refused.png")
	if !bytes.Equal(mustRead(t, path), after2) {
		t.Fatal("a refused edit was written")
	}

	// A concurrent change on disk: the page's save answers 412 with the
	// unit reloaded, and the other change stays.
	para := unitOfKind(t, f3, "美国总统")
	step(t, ctx, "paragraph", chromedp.Navigate(fmt.Sprintf("%s/unit?file=0/article.md&id=%d", base, para.ID)), chromedp.WaitVisible(chromedp.CSS("#unit")))
	// The heading's target: the line after its marker (pseudo's words).
	theirs := regexp.MustCompile(`(state=\w+ by=pseudo -->\n)## [a-z ]+：`).ReplaceAll(after2, []byte("${1}## Edited elsewhere："))
	if bytes.Equal(theirs, after2) {
		t.Fatal("fixture: heading not found")
	}
	os.WriteFile(path, theirs, 0o644)
	step(t, ctx, "save over a changed file",
		chromedp.KeyEvent("e"),
		chromedp.SetValue(chromedp.CSS("#target-text"), "Mine, in a stale tab."),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if e := textOf(t, ctx, "#error"); !strings.Contains(e, "changed on disk") {
		t.Errorf("conflict message: %q", e)
	}
	if u := textOf(t, ctx, "#unsaved"); !strings.Contains(u, "Mine, in a stale tab.") {
		t.Errorf("the unsaved text is not shown: %q", u)
	}
	if !bytes.Equal(mustRead(t, path), theirs) {
		t.Fatal("the concurrent change was overwritten")
	}
	// The reloaded page carries the new version: saving now works.
	step(t, ctx, "save again",
		chromedp.KeyEvent("e"),
		chromedp.SetValue(chromedp.CSS("#target-text"), "Biden and Putin met in [Geneva](https://example.org/geneva) on June 16."),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#notice")))
	final := waitFile(t, path, theirs)
	if !bytes.Contains(final, []byte("## Edited elsewhere：")) || !bytes.Contains(final, []byte("Biden and Putin met in [Geneva]")) {
		t.Errorf("final file lacks one of the two edits:\n%s", final)
	}
	// The glossary terms are now present and highlighted in the target.
	html, _ := chromedp.Run(ctx, chromedp.InnerHTML(chromedp.CSS("#target")))
	if !strings.Contains(html, `<mark class="term">Biden</mark>`) {
		t.Errorf("glossary term not highlighted in the target: %s", html)
	}
	// The file list counts the three reviewed units of article.md.
	step(t, ctx, "file list", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#files")))
	if row := textOf(t, ctx, "#files"); !regexp.MustCompile(`article\.md\s+6\s+3\s+3\s+0\s+0\s+0`).MatchString(row) {
		t.Errorf("file list row of article.md after three reviews:\n%s", row)
	}
	shoot(t, ctx, "review-files.png")
}

// waitUnit waits until the page shows unit n.
func waitUnit(t *testing.T, ctx context.Context, n string) {
	t.Helper()
	for range 100 {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS("#unit-id"), chromedp.NodeVisible))
		cancel()
		if err == nil && strings.TrimPrefix(s, "#") == n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("the page did not show unit %s (at %s)", n, loc)
}
