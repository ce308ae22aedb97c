package openaitest_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
	"github.com/diglot/diglot/tags"
)

func TestTranslate(t *testing.T) {
	for _, src := range []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会。",
		"点击<g1>这里</g1>查看<x2/>，或者<x3/>。",
		"  前后空白  ",
		"English stays, 中文 changes.",
		"全角１２３（括号）",
	} {
		got := openaitest.Translate(src)
		if err := tags.Check(src, got); err != nil {
			t.Errorf("Translate(%q) = %q: %v", src, got, err)
		}
		for _, r := range got {
			if unicode.Is(unicode.Han, r) {
				t.Errorf("Translate(%q) = %q still holds Han", src, got)
				break
			}
		}
		if got != openaitest.Translate(src) {
			t.Errorf("Translate(%q) is not deterministic", src)
		}
	}
	if got := openaitest.Translate("  前后空白  "); !strings.HasPrefix(got, "  ") || !strings.HasSuffix(got, "  ") {
		t.Errorf("Translate kept edges badly: %q", got)
	}
	if got := openaitest.Translate("English stays."); got != "English stays." {
		t.Errorf("Translate(English) = %q", got)
	}
}

func TestUnknownEndpoint(t *testing.T) {
	srv := openaitest.NewServer(nil)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /v1/models = %d, want 404", resp.StatusCode)
	}
	if st := srv.Stats(); st.Requests != 1 || st.OK != 0 {
		t.Errorf("Stats() = %+v", st)
	}
}

func TestPack(t *testing.T) {
	size := func(s string) int { return len(s) }
	l := providers.Limits{MaxSegments: 3, MaxTokens: 10}
	segs := []string{"aaaaaa", "bbbbbbbb", "cc", "dddd", "e", "ffffffffffff", "g"}
	got := openaitest.Pack(segs, l, size)
	seen := map[int]bool{}
	for _, b := range got {
		tokens := 0
		for _, i := range b {
			if seen[i] {
				t.Errorf("segment %d in two batches: %v", i, got)
			}
			seen[i] = true
			tokens += size(segs[i])
		}
		if len(b) > l.MaxSegments || tokens > l.MaxTokens && len(b) > 1 {
			t.Errorf("batch %v breaks the limits", b)
		}
	}
	if len(seen) != len(segs) {
		t.Errorf("Pack lost segments: %v", got)
	}
	sizes := []int{6, 8, 2, 4, 1, 12, 1}
	if lb := openaitest.LowerBound(sizes, l); lb != 4 || len(got) < lb {
		t.Errorf("LowerBound = %d, Pack made %d batches", lb, len(got))
	}
}
