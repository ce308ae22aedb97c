package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tm"
)

// articleFixture translates testdata/article.md with the pseudo engine
// and returns the bilingual directory.
func articleFixture(t testing.TB) string {
	t.Helper()
	return translateFixture(t, []string{"testdata/article.md"})
}

// unitOfKind returns the first unit whose source block starts with prefix.
func unitOfKind(t testing.TB, f *out.File, prefix string) *out.Unit {
	t.Helper()
	for i := range f.Units {
		u := &f.Units[i]
		b := f.Source.Blocks[u.Block]
		if strings.HasPrefix(string(f.Source.Source()[b.Start:b.End]), prefix) {
			return u
		}
	}
	t.Fatalf("no unit whose source starts with %q", prefix)
	return nil
}

func TestFileList(t *testing.T) {
	dir := translateFixture(t, corpusArticles(t, 3))
	env := newEnv(t, dir, nil)
	resp, err := env.c.Get(env.ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("header %s = %q, want it to contain %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	code, body := env.get("/")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d", code)
	}
	ents, _ := os.ReadDir(dir)
	n := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			if strings.Contains(body, e.Name()) {
				t.Errorf("file list shows hidden %s", e.Name())
			}
			continue
		}
		n++
		_, f := env.read(e.Name())
		// Each row: the name, then units, machine, reviewed counts.
		row := fmt.Sprintf(`href="/units?file=0%%2f%s">%s</a></td>
<td>%d</td><td>%d</td><td>0</td>`, e.Name(), filepath.Join(dir, e.Name()), len(f.Units), len(f.Units))
		if !strings.Contains(body, row) {
			t.Errorf("file list lacks the row of %s with %d units:\n%s", e.Name(), len(f.Units), body)
		}
	}
	if !strings.Contains(body, fmt.Sprintf("<small>%d</small>", n)) {
		t.Errorf("file list does not count %d files", n)
	}
	if strings.Contains(body, "<script>") || regexp.MustCompile(`\son[a-z]+=`).MatchString(body) {
		t.Errorf("page has inline script")
	}
}

func TestFileListPaginates(t *testing.T) {
	src, err := os.ReadFile("testdata/article.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := articleFixture(t)
	bi, _ := os.ReadFile(filepath.Join(dir, "article.md"))
	for i := range pageSize + 5 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("copy%03d.md", i)), bi, 0o644)
	}
	_ = src
	env := newEnv(t, dir, nil)
	_, body := env.get("/")
	if got := strings.Count(body, `class="name"`); got != pageSize {
		t.Errorf("first page shows %d files, want %d", got, pageSize)
	}
	if !strings.Contains(body, `rel="next"`) {
		t.Errorf("first page has no next link")
	}
	_, body = env.get("/?page=1")
	if got := strings.Count(body, `class="name"`); got != 6 {
		t.Errorf("second page shows %d files, want 6", got)
	}
}

func TestUnitView(t *testing.T) {
	dir := articleFixture(t)
	g, err := glossary.New([]glossary.Entry{{Source: "拜登", Target: "Biden", Forbidden: []string{"Baiden"}}, {Source: "普京", Target: "Putin"}, {Source: "日内瓦", Target: "Geneva"}})
	if err != nil {
		t.Fatal(err)
	}
	env := newEnv(t, dir, &Options{Glossary: g})
	_, f := env.read("article.md")
	u := unitOfKind(t, f, "美国总统拜登")
	code, body := env.get(fmt.Sprintf("/unit?at=0/article.md&id=%d", u.ID))
	if code != http.StatusOK {
		t.Fatalf("GET unit = %d:\n%s", code, body)
	}
	for _, want := range []string{
		`id="source"`, `id="target"`,
		// rendered Markdown: the link is a link, the term is highlighted
		`<a href="https://example.org/geneva">`,
		`<mark class="term">拜登</mark>`, `<mark class="term">普京</mark>`,
		`<td><mark class="term">拜登</mark></td><td>Biden</td>`,
		`<td><mark class="term">拜登</mark></td><td>Biden</td><td><span class="missing">missing</span>`, // pseudo does not write Biden
		// "geneva" is in the link's URL, not in the translation
		`<td><mark class="term">日内瓦</mark></td><td>Geneva</td><td><span class="missing">missing</span>`,
		`name="version" value="` + versionOf(mustRead(t, filepath.Join(dir, "article.md"))) + `"`,
		`id="next"`, `id="prev"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("unit view lacks %q", want)
		}
	}
	// The raw view shows the Markdown source, escaped.
	_, raw := env.get(fmt.Sprintf("/unit?at=0/article.md&id=%d&raw=1", u.ID))
	if !strings.Contains(raw, `[<mark class="term">日内瓦</mark>](https://example.org/geneva)`) || !strings.Contains(raw, `class="raw"`) {
		t.Errorf("raw view lacks the Markdown source:\n%s", raw)
	}
	// Unknown units and files.
	for _, p := range []string{"/unit?at=0/article.md&id=999", "/unit?at=0/nosuch.md&id=1", "/unit?at=7/article.md&id=1"} {
		if code, _ := env.get(p); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRawHTMLNotPassedThrough checks that HTML in a file never reaches the
// page as markup, in either view.
func TestRawHTMLNotPassedThrough(t *testing.T) {
	in := filepath.Join(t.TempDir(), "evil.md")
	os.WriteFile(in, []byte("危险<script>alert(1)</script>的文字和[链接](javascript:alert(2))。\n"), 0o644)
	dir := translateFixture(t, []string{in})
	env := newEnv(t, dir, nil)
	for _, q := range []string{"", "&raw=1"} {
		_, body := env.get("/unit?at=0/evil.md&id=1" + q)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, `href="javascript:`) {
			t.Errorf("page%s passes raw HTML or a javascript: link through:\n%s", q, body)
		}
	}
}

func TestFiltersAndSearch(t *testing.T) {
	dir := translateFixture(t, corpusArticles(t, 3))
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	// Flag unit 2 of the last file by hand, as a QA run would, with a kind
	// the pseudo engine never causes, and unit 3 of the first with numbers
	// (pseudo renders numbers as a translator does, so it flags none).
	flaggedFile := names[2]
	plant := func(name string, id int, flag string) {
		p := filepath.Join(dir, name)
		re := regexp.MustCompile(fmt.Sprintf(`(<!-- diglot:t id=%d [^\n]*?state=machine[^\n]*?)( -->)`, id))
		data := re.ReplaceAll(mustRead(t, p), []byte("$1 flags="+flag+"$2"))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plant(flaggedFile, 2, "leaked")
	plant(names[0], 3, "numbers")

	env := newEnv(t, dir, nil)
	if f := env.mustFile(flaggedFile); !slices.Equal(f.Units[1].Flags, []string{"leaked"}) {
		t.Fatalf("fixture: unit 2 flags = %v", f.Units[1].Flags)
	}

	units := func(q string) []string {
		t.Helper()
		code, body := env.get("/units?" + q)
		if code != http.StatusOK {
			t.Fatalf("GET /units?%s = %d", q, code)
		}
		var got []string
		for _, m := range regexp.MustCompile(`class="unit-link" href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		return got
	}
	one := func(file string, id int) string { return fmt.Sprintf("%s #%d", filepath.Join(dir, file), id) }
	// want lists the units that have a flag kind ("" for any), in order.
	want := func(kind string) []string {
		var w []string
		for _, n := range names {
			f := env.mustFile(n)
			for _, u := range f.Units {
				if len(u.Flags) > 0 && (kind == "" || slices.Contains(u.Flags, kind)) {
					w = append(w, one(n, u.ID))
				}
			}
		}
		return w
	}

	if got := units("flag=leaked"); !slices.Equal(got, []string{one(flaggedFile, 2)}) {
		t.Errorf("flag=leaked: %v", got)
	}
	if got, w := units("flag=any"), want(""); !slices.Equal(got, w) || len(w) < 2 {
		t.Errorf("flag=any: %v, want %v", got, w)
	}
	if got, w := units("flag=numbers"), want("numbers"); !slices.Equal(got, w) {
		t.Errorf("flag=numbers: %v, want %v", got, w)
	}
	if got := units("flag=merged"); len(got) != 0 {
		t.Errorf("flag=merged: %v", got)
	}
	if got := units("file=0/" + names[0]); len(got) != len(env.mustFile(names[0]).Units) {
		t.Errorf("file filter: %d units, want %d", len(got), len(env.mustFile(names[0]).Units))
	}
	if got := units("state=reviewed"); len(got) != 0 {
		t.Errorf("state=reviewed before any review: %v", got)
	}
	// Accept one unit; the state filter finds it.
	form := env.unitForm("0/"+names[2], 3)
	if resp, body := env.post("/accept", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d:\n%s", resp.StatusCode, body)
	}
	if got := units("state=reviewed"); len(got) != 1 || got[0] != one(names[2], 3) {
		t.Errorf("state=reviewed after accepting: %v", got)
	}
	machine := units("state=machine")
	total := 0
	for _, n := range names {
		total += len(env.mustFile(n).Units)
	}
	if len(machine) != total-1 && len(machine) != pageSize {
		t.Errorf("state=machine: %d units, want %d", len(machine), total-1)
	}

	// Search: a source word, in the source only, then a target word.
	f0 := env.mustFile(names[0])
	src := string(sourceOf(f0, &f0.Units[1]))
	word := []rune(strings.TrimSpace(strings.TrimLeft(src, "#* ")))
	needle := string(word[:min(4, len(word))])
	got := units("q=" + url.QueryEscape(needle) + "&in=source")
	if len(got) == 0 {
		t.Fatalf("search %q in source found nothing", needle)
	}
	for _, n := range names {
		fn := env.mustFile(n)
		for i := range fn.Units {
			u := &fn.Units[i]
			has := strings.Contains(strings.ToLower(string(sourceOf(fn, u))), strings.ToLower(needle))
			listed := false
			for _, g := range got {
				listed = listed || g == one(n, u.ID)
			}
			if has != listed && len(got) < pageSize {
				t.Errorf("search %q: %s listed=%v, source has it=%v", needle, one(n, u.ID), listed, has)
			}
		}
	}
	tword := strings.Fields(string(f0.Units[1].TargetBytes))[1]
	if got := units("q=" + url.QueryEscape(tword) + "&in=target"); len(got) == 0 {
		t.Errorf("search %q in target found nothing", tword)
	}
	if got := units("q=" + url.QueryEscape(tword) + "&in=source"); len(got) != 0 && !strings.Contains(src, tword) {
		t.Errorf("search %q in source found target text: %v", tword, got)
	}

	// Navigation inside a filter: next and previous stay in the file.
	_, body := env.get("/unit?file=0/" + url.QueryEscape(names[0]) + "&id=1")
	if !strings.Contains(body, `id="next"`) || strings.Contains(body, `id="prev"`) {
		t.Errorf("first unit of a file filter: want next, no previous")
	}
	last := len(f0.Units)
	_, body = env.get(fmt.Sprintf("/unit?file=0/%s&id=%d", url.QueryEscape(names[0]), last))
	if strings.Contains(body, `id="next"`) {
		t.Errorf("last unit of a file filter has a next link")
	}
	// Without a file filter, the last unit of a file leads to the next file.
	_, body = env.get(fmt.Sprintf("/unit?at=0/%s&id=%d", url.QueryEscape(names[0]), last))
	if !strings.Contains(body, "at=0%2F"+url.QueryEscape(names[1])+"&amp;id=1") {
		t.Errorf("last unit of the first file does not lead to the second file")
	}
	// Next flagged, from the first unit of all, finds the first flagged
	// unit; from the last flagged unit there is none.
	firstFlagged := want("")[0]
	_, body = env.get("/unit?at=0/" + url.QueryEscape(names[0]) + "&id=1")
	m := regexp.MustCompile(`href="([^"]*)" id="next-flagged"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no next flagged link")
	}
	_, target := env.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if !strings.Contains(target, "<title>"+firstFlagged+" · diglot review</title>") {
		t.Errorf("next flagged does not lead to %s", firstFlagged)
	}
	_, body = env.get("/unit?at=0/" + url.QueryEscape(flaggedFile) + "&id=2")
	if strings.Contains(body, `id="next-flagged"`) {
		t.Errorf("the last flagged unit has a next flagged link")
	}
}

func (e *testEnv) mustFile(rel string) *out.File {
	_, f := e.read(rel)
	return f
}

func sourceOf(f *out.File, u *out.Unit) []byte {
	b := f.Source.Blocks[u.Block]
	return f.Source.Source()[b.Start:b.End]
}

func TestSave(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	before, f := env.read("article.md")
	u := unitOfKind(t, f, "峰会持续")
	form := env.unitForm("0/article.md", u.ID)
	// A textarea sends CRLF; the file is LF.
	form.Set("target", "The summit lasted about 4 hours, shorter than expected.\r\n")
	resp, body := env.post("/save", form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d:\n%s", resp.StatusCode, body)
	}
	after, f2 := env.read("article.md")
	u2 := &f2.Units[u.ID-1]
	if got, want := string(u2.TargetBytes), "The summit lasted about 4 hours, shorter than expected.\n"; got != want {
		t.Errorf("target on disk = %q, want %q", got, want)
	}
	if u2.State != out.StateReviewed || !u2.Edited {
		t.Errorf("saved unit: state %s, edited %v", u2.State, u2.Edited)
	}
	if etag := resp.Header.Get("ETag"); etag != `"`+versionOf(after)+`"` {
		t.Errorf("ETag = %s, want the new version", etag)
	}
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "saved=1") {
		t.Errorf("redirect to %q", loc)
	}
	code, page := env.get(loc)
	if code != http.StatusOK || !strings.Contains(page, "Saved.") || !strings.Contains(page, "shorter than expected") {
		t.Errorf("page after save (%d) lacks the notice or the new text", code)
	}
	// The memory holds the reviewed entry, keyed as a run keys it.
	got := env.reviewed(f2, unitTexts(f2, u2))
	for _, s := range unitTexts(f2, u2) {
		e, ok := got[env.srv.keyOf("zh", "en", s)]
		if !ok || e.State != tm.Reviewed || e.Origin != tm.OriginHuman || e.Target != u2.Targets[0] {
			t.Errorf("memory entry for %q = %+v", s, e)
		}
	}
	if bytes.Equal(before, after) {
		t.Fatal("file unchanged")
	}
	// The server's cached reading of what it wrote is the reader's.
	d, err := env.srv.load(fileRef{0, "article.md"})
	if err != nil {
		t.Fatal(err)
	}
	if d.version != versionOf(after) || !slices.Equal(d.file.Units[u.ID-1].Flags, u2.Flags) || d.file.Units[u.ID-1].State != u2.State {
		t.Errorf("cached unit after save: version %s flags %v state %s; on disk %s %v %s",
			d.version, d.file.Units[u.ID-1].Flags, d.file.Units[u.ID-1].State, versionOf(after), u2.Flags, u2.State)
	}
	// Saving again with the old version is a conflict.
	resp, _ = env.post("/save", form, nil)
	if resp.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("second save with the old version = %d, want 412", resp.StatusCode)
	}
}

func TestAccept(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	_, f := env.read("article.md")
	u := unitOfKind(t, f, "## ")
	form := env.unitForm("0/article.md", u.ID)
	resp, body := env.post("/accept", form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d:\n%s", resp.StatusCode, body)
	}
	_, f2 := env.read("article.md")
	u2 := &f2.Units[u.ID-1]
	if u2.State != out.StateReviewed || u2.Edited || !bytes.Equal(u2.TargetBytes, u.TargetBytes) {
		t.Errorf("accepted unit: state %s, edited %v, target %q (was %q)", u2.State, u2.Edited, u2.TargetBytes, u.TargetBytes)
	}
	if got := env.reviewed(f2, unitTexts(f2, u2)); len(got) != 1 {
		t.Errorf("memory has %d reviewed entries for the accepted unit, want 1", len(got))
	}
}

func TestStaleVersion(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	_, f := env.read("article.md")
	u := unitOfKind(t, f, "峰会持续")
	form := env.unitForm("0/article.md", u.ID)
	// Another editor changes the file: a reviewer's edit of another unit.
	p := filepath.Join(dir, "article.md")
	data := mustRead(t, p)
	other := unitOfKind(t, f, "## ")
	changed := bytes.Replace(data, other.TargetBytes, []byte("## Edited in an editor\n"), 1)
	if err := os.WriteFile(p, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/save", "/accept"} {
		form.Set("target", "Mine.")
		resp, body := env.post(path, form, nil)
		if resp.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("%s with a stale version = %d, want 412", path, resp.StatusCode)
		}
		if now := mustRead(t, p); !bytes.Equal(now, changed) {
			t.Fatalf("%s with a stale version wrote the file", path)
		}
		// The page is the unit reloaded from disk: the new version, the
		// other editor's change visible in the file, the reviewer's text
		// kept aside.
		if !strings.Contains(body, `value="`+versionOf(changed)+`"`) || !strings.Contains(body, "changed on disk") {
			t.Errorf("%s: 412 page is not the reloaded unit:\n%s", path, body)
		}
	}
	// A script may send the token and version as headers.
	form = env.unitForm("0/article.md", u.ID)
	hdr := map[string]string{"X-Diglot-Token": form.Get("token"), "If-Match": `"` + form.Get("version") + `"`}
	form.Del("token")
	form.Del("version")
	form.Set("target", "Sent by a script.")
	if resp, body := env.post("/save", form, hdr); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with header token and If-Match = %d:\n%s", resp.StatusCode, body)
	}
	changed = mustRead(t, p)
	if !bytes.Contains(changed, []byte("Sent by a script.")) {
		t.Fatalf("header save not written")
	}
	// If-Match carries the version too, and wins over the form.
	form = env.unitForm("0/article.md", u.ID)
	form.Set("target", "Mine.")
	resp, _ := env.post("/save", form, map[string]string{"If-Match": `"0123456789abcdef01234567"`})
	if resp.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("save with a stale If-Match = %d, want 412", resp.StatusCode)
	}
}

func TestTokenAndOrigin(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	p := filepath.Join(dir, "article.md")
	before := mustRead(t, p)
	good := env.unitForm("0/article.md", 1)
	good.Set("target", "## X")
	tests := []struct {
		name string
		form func(url.Values)
		hdr  map[string]string
	}{
		{"no token", func(v url.Values) { v.Del("token") }, nil},
		{"wrong token", func(v url.Values) {
			tok := v.Get("token")
			first := "x"
			if tok[0] == 'x' { // a token may start with x
				first = "y"
			}
			v.Set("token", first+tok[1:])
		}, nil},
		{"cross-site fetch", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"other origin", nil, map[string]string{"Origin": "http://evil.example"}},
		{"null origin", nil, map[string]string{"Origin": "null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range good {
				v[k] = append([]string(nil), vs...)
			}
			if tt.form != nil {
				tt.form(v)
			}
			for _, path := range []string{"/save", "/accept"} {
				resp, _ := env.post(path, v, tt.hdr)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s = %d, want 403", path, resp.StatusCode)
				}
			}
			if !bytes.Equal(mustRead(t, p), before) {
				t.Fatal("file written")
			}
		})
	}
	// A page reached through another host name (DNS rebinding) is refused,
	// reads included.
	req, _ := http.NewRequest(http.MethodGet, env.ts.URL+"/", nil)
	req.Host = "evil.example:80"
	resp, err := env.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET with Host evil.example = %d, want 403", resp.StatusCode)
	}
	// GET never changes anything.
	if resp, _ := env.post("/unit?at=0/article.md&id=1", good, nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /unit = %d, want 405", resp.StatusCode)
	}
}

func TestHostAllowed(t *testing.T) {
	s := &Server{}
	for host, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, "127.0.0.2": true, "LOCALHOST.": true,
		"evil.example": false, "10.0.0.1:80": false, "": false, "127.0.0.1.evil.example": false,
	} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	s.opts.Hosts = []string{"review.lan"}
	if !s.hostAllowed("review.lan:8080") || s.hostAllowed("evil.example") {
		t.Errorf("Options.Hosts not honoured")
	}
	s.opts.Hosts = []string{"*"}
	if !s.hostAllowed("anything.example") {
		t.Errorf(`Options.Hosts "*" not honoured`)
	}
}

func TestPathsOutsideRefused(t *testing.T) {
	base := t.TempDir()
	dir := articleFixture(t)
	// A bilingual file outside the served directory, reached three ways: a
	// symlink to it, a symlinked directory, and ".." in the address.
	outside := filepath.Join(base, "outside")
	os.MkdirAll(outside, 0o755)
	secret := filepath.Join(outside, "secret.md")
	data := mustRead(t, filepath.Join(dir, "article.md"))
	os.WriteFile(secret, data, 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "link.md")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(outside, filepath.Join(dir, "linkdir"))
	// A symlink that stays inside is served.
	os.Symlink("article.md", filepath.Join(dir, "inside.md"))

	env := newEnv(t, dir, nil)
	_, list := env.get("/")
	if strings.Contains(list, "link.md") || strings.Contains(list, "linkdir") || strings.Contains(list, "secret") {
		t.Errorf("file list shows a path outside the directory:\n%s", list)
	}
	if !strings.Contains(list, "inside.md") {
		t.Errorf("file list lacks a symlink that stays inside")
	}
	tok := env.unitForm("0/article.md", 1).Get("token")
	for _, at := range []string{
		"0/link.md", "0/linkdir/secret.md", "0/../outside/secret.md", "0/" + secret, "0//" + secret,
		"0/./article.md", "-1/article.md", "1/article.md", "00/article.md", "0/%2e%2e/outside/secret.md",
	} {
		if code, body := env.get("/unit?at=" + url.QueryEscape(at) + "&id=1"); code == http.StatusOK {
			t.Errorf("GET unit %q = 200:\n%s", at, body)
		}
		v := url.Values{"token": {tok}, "at": {at}, "id": {"1"}, "version": {versionOf(data)}, "target": {"## pwned"}}
		for _, path := range []string{"/save", "/accept"} {
			if resp, _ := env.post(path, v, nil); resp.StatusCode < 400 {
				t.Errorf("POST %s %q = %d", path, at, resp.StatusCode)
			}
		}
	}
	if !bytes.Equal(mustRead(t, secret), data) {
		t.Fatal("a file outside the directory was written")
	}
	if code, _ := env.get("/static/../../../etc/passwd"); code == http.StatusOK {
		t.Errorf("static path traversal answered 200")
	}
	// Saving through the inside symlink writes its target, keeping the link.
	form := env.unitForm("0/inside.md", 1)
	form.Set("at", "0/inside.md")
	if resp, body := env.post("/accept", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept through an inside symlink = %d:\n%s", resp.StatusCode, body)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "inside.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a file")
	}
	if _, f := env.read("article.md"); f.Units[0].State != out.StateReviewed {
		t.Errorf("the symlink's target was not written")
	}
}

func TestStructureBreakingEditRefused(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	p := filepath.Join(dir, "article.md")
	_, f := env.read("article.md")
	list := unitOfKind(t, f, "- ")
	link := unitOfKind(t, f, "美国总统")
	para := unitOfKind(t, f, "峰会持续")
	tests := []struct {
		name   string
		unit   *out.Unit
		target string
		reason string // in the page
	}{
		{"item added", list, string(list.TargetBytes) + "- a third item\n", "target does not match its source"},
		{"link dropped", link, "The presidents met in Geneva.", "article.md:"},
		{"split in two", para, "First half.\n\nSecond half.", "article.md"},
		{"marker in target", para, "Text.\n<!-- diglot:t id=9 src=00000000 mt=00000000 state=machine -->\nmore", "article.md"},
		{"empty", para, " \r\n ", "the target is empty"},
		{"heading into a paragraph", unitOfKind(t, f, "## "), "Just text", "article.md:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := mustRead(t, p)
			form := env.unitForm("0/article.md", tt.unit.ID)
			form.Set("target", tt.target)
			resp, body := env.post("/save", form, nil)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("save = %d, want 422:\n%s", resp.StatusCode, body)
			}
			if !strings.Contains(body, "Not saved: ") || !strings.Contains(body, htmlEscape(tt.reason)) {
				t.Errorf("page lacks the reason %q:\n%s", tt.reason, body)
			}
			// The refused text stays in the editor.
			if !strings.Contains(body, `class="editor editing"`) {
				t.Errorf("editor not open with the refused text")
			}
			if !bytes.Equal(mustRead(t, p), before) {
				t.Fatal("file written")
			}
		})
	}
	if got := env.reviewed(f, unitTexts(f, para)); len(got) != 0 {
		t.Errorf("a refused edit reached the memory: %v", got)
	}
}

// htmlEscape escapes s as html/template does in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestStaleUnit(t *testing.T) {
	dir := articleFixture(t)
	p := filepath.Join(dir, "article.md")
	_, f := (&testEnv{t: t, dir: dir}).read("article.md")
	// Rewrite the file with the paragraph stale: a previous reviewed
	// translation kept beside the new machine one.
	b := f.Bilingual()
	u := unitOfKind(t, f, "峰会持续")
	info := b.Units[u.Block]
	info.State = out.StateStale
	info.Previous = []byte("The summit lasted about four hours.\n")
	info.Target = []byte("The summit lasted about 4 hours, shorter than hoped.\n")
	info.MT = ""
	b.Units[u.Block] = info
	var buf bytes.Buffer
	if err := out.WriteBilingual(&buf, b, f.Format); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, buf.Bytes(), 0o644)

	env := newEnv(t, dir, nil)
	_, body := env.get(fmt.Sprintf("/unit?at=0/article.md&id=%d", u.ID))
	for _, want := range []string{`id="previous"`, "<del>four</del>", "<ins>4</ins>", "<ins>, shorter than hoped</ins>", `data-state="stale"`} {
		if !strings.Contains(body, want) {
			t.Errorf("stale unit view lacks %q", want)
		}
	}
	if _, list := env.get("/units?state=stale"); !strings.Contains(list, fmt.Sprintf("#%d</a>", u.ID)) {
		t.Errorf("state=stale does not list the unit")
	}
	// Accepting reconciles it: reviewed, the previous target gone, every
	// other byte kept.
	before := mustRead(t, p)
	form := env.unitForm("0/article.md", u.ID)
	if resp, body := env.post("/accept", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d:\n%s", resp.StatusCode, body)
	}
	after, f2 := env.read("article.md")
	u2 := &f2.Units[u.ID-1]
	if u2.State != out.StateReviewed || u2.Previous != nil {
		t.Errorf("accepted stale unit: state %s, previous %q", u2.State, u2.Previous)
	}
	prev := "<!-- diglot:previous id=" + itoa(u.ID) + " -->\n" + "The summit lasted about four hours.\n\n"
	want := strings.Replace(string(before), prev, "", 1)
	want = strings.Replace(want, "state=stale", "state=reviewed", 1)
	if string(after) != want {
		t.Errorf("file after accepting a stale unit:\n%s\nwant:\n%s", after, want)
	}
}

func TestVariants(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	_, f := env.read("article.md")
	u := unitOfKind(t, f, "峰会持续")
	texts := unitTexts(f, u)
	key := env.srv.keyOf("zh", "en", texts[0])
	old := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err := env.mem.Put(context.Background(), []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: key, Source: texts[0], Target: "From GPT.", Origin: "openai:gpt-4o-mini", State: tm.Machine, Created: old, Updated: old},
		{SourceLang: "zh", TargetLang: "en", Key: key, Source: texts[0], Target: "From Google.", Origin: "google:nmt", State: tm.Machine, Created: old.Add(time.Hour), Updated: old.Add(time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := env.get(fmt.Sprintf("/unit?at=0/article.md&id=%d", u.ID))
	g := strings.Index(body, "From Google.")
	o := strings.Index(body, "From GPT.")
	if g < 0 || o < 0 || g > o {
		t.Errorf("variants missing or not newest first (google at %d, gpt at %d)", g, o)
	}
	if !strings.Contains(body, "openai:gpt-4o-mini") || !strings.Contains(body, "2026-01-02 03:04:05") {
		t.Errorf("variant origin or time missing")
	}
	// After a save the reviewed entry comes first and is the current one.
	form := env.unitForm("0/article.md", u.ID)
	form.Set("target", "Reviewed text.")
	if resp, _ := env.post("/save", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	_, body = env.get(fmt.Sprintf("/unit?at=0/article.md&id=%d", u.ID))
	r := strings.Index(body, `<li class="variant current"><span class="state">reviewed</span> <span class="origin">human</span>`)
	if r < 0 || r > strings.Index(body, "From Google.") {
		t.Errorf("reviewed entry not listed first as current:\n%s", body)
	}
}

func TestNoMemory(t *testing.T) {
	dir := articleFixture(t)
	srv, err := New([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, f := (&testEnv{t: t, dir: dir}).read("article.md")
	res, err := srv.accept(context.Background(), fileRef{0, "article.md"}, 1, versionOf(mustRead(t, filepath.Join(dir, "article.md"))))
	if err != nil || res.Imported != 0 || res.MemoryErr != nil {
		t.Errorf("accept without a memory = %+v, %v", res, err)
	}
	_ = f
	if _, err := New(nil, nil); !errors.Is(err, ErrNoDirs) {
		t.Errorf("New(nil) = %v, want ErrNoDirs", err)
	}
	if _, err := New([]string{filepath.Join(dir, "article.md")}, nil); err == nil {
		t.Errorf("New on a file succeeded")
	}
}
