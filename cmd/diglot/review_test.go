package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/tm"
)

// TestReviewCommand starts "diglot review" in process, accepts a unit
// through it as a browser would, stops it as Ctrl-C does, and checks the
// file and the memory.
func TestReviewCommand(t *testing.T) {
	dir := t.TempDir()
	bi := filepath.Join(dir, "bi")
	db := filepath.Join(dir, "tm.db")
	if code, _, stderr := runMain(t, "translate", "--provider", "pseudo", "--source", "zh", "--target", "en", "--no-tm", "-o", bi, "../../examples"); code != 0 {
		t.Fatalf("translate: exit %d\n%s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"review", "--tm", db, bi}, NewIO(strings.NewReader(""), pw, &stderr))
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v (stderr %s)", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(line)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/$`).MatchString(base) {
		t.Fatalf("printed %q, want a loopback URL", base)
	}
	get := func(p string) string {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", p, resp.StatusCode)
		}
		return string(b)
	}
	if list := get(""); !strings.Contains(list, "2549055.md") {
		t.Fatalf("file list lacks 2549055.md")
	}
	page := get("unit?at=0/2549055.md&id=1")
	tok := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
	ver := regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(page)
	if tok == nil || ver == nil {
		t.Fatal("unit page lacks token or version")
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"accept", url.Values{"token": {tok[1]}, "version": {ver[1]}, "at": {"0/2549055.md"}, "id": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Errorf("exit %d after Ctrl-C, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("review did not stop")
	}
	if strings.Contains(stderr.String(), "diglot:") {
		t.Errorf("stderr: %s", stderr.String())
	}

	data, err := os.ReadFile(filepath.Join(bi, "2549055.md"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := out.ReadBilingual("2549055.md", data, out.Format{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Units[0].State != out.StateReviewed {
		t.Errorf("unit 1 state %s after accept", f.Units[0].State)
	}
	mem, err := tm.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	text := f.Source.Segments[f.Source.Blocks[f.Units[0].Block].Segments[0]].Text
	key := pipeline.KeyFor(nil)("zh", "en", text)
	got, err := mem.Get(context.Background(), tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := got[key]; !ok || e.State != tm.Reviewed || e.Origin != tm.OriginHuman {
		t.Errorf("memory entry = %+v, %v; want a reviewed human entry", e, ok)
	}
}

func TestNonLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": false, "localhost:8080": false, "[::1]:0": false,
		":8080": true, "0.0.0.0:0": true, "192.168.1.5:80": true, "example.org:80": true,
	} {
		got, err := nonLoopback(addr)
		if err != nil || got != want {
			t.Errorf("nonLoopback(%q) = %v, %v; want %v", addr, got, err, want)
		}
	}
	if _, err := nonLoopback("nonsense"); err == nil {
		t.Errorf("nonLoopback(nonsense) succeeded")
	}
}
