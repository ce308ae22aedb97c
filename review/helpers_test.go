package review

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tm"
)

// testEnv is a server over a fixture directory, reached over real HTTP.
type testEnv struct {
	t   testing.TB
	dir string
	mem *tm.Memory
	srv *Server
	ts  *httptest.Server
	c   *http.Client
}

// newEnv serves dir with an in-memory translation memory.
func newEnv(t testing.TB, dir string, opts *Options) *testEnv {
	t.Helper()
	mem := tm.NewMemory(nil)
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Memory == nil {
		o.Memory = mem
	}
	srv, err := New([]string{dir}, &o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testEnv{t: t, dir: dir, mem: mem, srv: srv, ts: ts, c: c}
}

// get fetches path and returns the status and body.
func (e *testEnv) get(path string) (int, string) {
	e.t.Helper()
	resp, err := e.c.Get(e.ts.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form the way the page does (same origin) and returns the
// response with its body read.
func (e *testEnv) post(path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.ts.URL)
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := e.c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var (
	tokenRE   = regexp.MustCompile(`name="token" value="([^"]+)"`)
	versionRE = regexp.MustCompile(`name="version" value="([^"]+)"`)
)

// unitForm loads the unit view and returns the save form's fields as the
// page has them.
func (e *testEnv) unitForm(file string, id int) url.Values {
	e.t.Helper()
	code, body := e.get("/unit?at=" + url.QueryEscape(file) + "&id=" + itoa(id))
	if code != http.StatusOK {
		e.t.Fatalf("GET unit %s#%d = %d:\n%s", file, id, code, body)
	}
	tok := tokenRE.FindStringSubmatch(body)
	ver := versionRE.FindStringSubmatch(body)
	if tok == nil || ver == nil {
		e.t.Fatalf("unit page lacks token or version:\n%s", body)
	}
	return url.Values{"token": {tok[1]}, "version": {ver[1]}, "at": {file}, "id": {itoa(id)}}
}

// read returns a file of the fixture and its bilingual reading.
func (e *testEnv) read(rel string) ([]byte, *out.File) {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(rel)))
	if err != nil {
		e.t.Fatal(err)
	}
	f, err := out.ReadBilingual(rel, data, out.Format{})
	if err != nil {
		e.t.Fatalf("%s does not read back: %v", rel, err)
	}
	return data, f
}

// reviewed returns the memory's reviewed entries of the given source texts,
// keyed as the server keys them.
func (e *testEnv) reviewed(f *out.File, texts []string) map[string]tm.Entry {
	e.t.Helper()
	var keys []string
	for _, s := range texts {
		keys = append(keys, e.srv.keyOf(f.Header.Source, f.Header.Target, s))
	}
	got, err := e.mem.Get(context.Background(), tm.Query{SourceLang: f.Header.Source, TargetLang: f.Header.Target, Keys: keys})
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

// unitTexts returns the neutral source texts of a unit's segments.
func unitTexts(f *out.File, u *out.Unit) []string {
	var texts []string
	for _, si := range f.Source.Blocks[u.Block].Segments {
		texts = append(texts, f.Source.Segments[si].Text)
	}
	return texts
}

func itoa(n int) string { return strconv.Itoa(n) }
