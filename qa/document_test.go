package qa

import (
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func parse(t *testing.T, s string) *markdown.Document {
	t.Helper()
	d, err := markdown.Parse([]byte(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckDocument(t *testing.T) {
	const src = "## 美欧日经济周报\n\n[[zh:美联储]]首选的指标。详情见[巴伦周刊][1]。\n\n```\ncurl https://api.example.org/v1\n```\n\n[1]: https://www.barrons.com/articles/pce\n"
	tests := []struct {
		name, tgt string
		want      []Finding
	}{
		{"same structure", "## US, EU and Japan economic weekly\n\n[[zh:美联储]]'s preferred gauge. See [Barron's][1].\n\n```\ncurl https://api.example.org/v1\n```\n\n[1]: https://www.barrons.com/articles/pce\n", nil},
		{"skeleton url changed", "## US, EU and Japan economic weekly\n\n[[zh:美联储]]'s preferred gauge. See [Barron's][1].\n\n```\ncurl https://api.example.org/v2\n```\n\n[1]: https://www.barrons.com/articles/pce\n",
			[]Finding{{Segment: NoSegment, Line: 5, Kind: KindURLs, Severity: Error, Message: "url https://api.example.org/v1 is not in the target"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckDocument(&Config{Disable: []string{KindStructure}}, parse(t, src), parse(t, tt.tgt))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckDocument (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckStructure(t *testing.T) {
	src := parse(t, "## 标题\n\n- 一\n- 二\n")
	tgt := parse(t, "## Title\n\n- One\n")
	got := CheckDocument(nil, src, tgt)
	if len(got) == 0 || got[0].Kind != KindStructure || got[0].Severity != Error || got[0].Segment != NoSegment {
		t.Errorf("CheckDocument with a list item lost = %v, want a structure error", got)
	}
	if got := CheckDocument(nil, src, parse(t, "## Title\n\n- One\n- Two\n")); len(got) != 0 {
		t.Errorf("CheckDocument with the same structure = %v, want none", got)
	}
}

func TestCheckPairsFromDocuments(t *testing.T) {
	src := parse(t, "见[原文](https://gnews.org/articles/1)。\n")
	tgt := parse(t, "See [the original](https://gnews.org/articles/2).\n")
	got := Check(nil, zh, en, src, tgt)
	kinds := Flags(got)
	// The changed destination is a structure difference and a lost URL,
	// reported once on the segment (not again from the document's bytes).
	if diff := cmp.Diff([]string{KindStructure, KindURLs}, kinds); diff != "" {
		t.Errorf("Check flags (-want +got):\n%s\n%v", diff, got)
	}
	n := 0
	for _, f := range got {
		if f.Kind == KindURLs {
			n++
			if f.Segment != 0 || f.Line != 1 {
				t.Errorf("url finding %+v, want segment 0 line 1", f)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d url findings, want 1: %v", n, got)
	}
}

// TestCheckLinks checks the links a renderer makes in a target: a URL the
// source had as text may become a link (Chinese puts no space before it,
// English does), but only to a URL of the source, never to a piece of
// one or to one with the next word glued on. The URLs are the archive's.
func TestCheckLinks(t *testing.T) {
	const tag = "https://gnews.org/zh-hans/tag/文贵天成习近平/"
	const video = "https://ipfs.gnews.org/ipfs/QmdGRLHjjr6kwtqqjjVbC5awwKPMrjxwY6uYuVZiDEbNTC?filename=病毒溯源.mp4"
	tests := []struct {
		name, src, tgt string
		want           []string
	}{
		{"text becomes a link to the same url", "参考：https://www.barrons.com/articles/pce，完。\n",
			"Reference: https://www.barrons.com/articles/pce, end.\n", nil},
		{"www url becomes a link", "俄罗斯特工活动的监督机构网站www.Agentura.ru。\n",
			"The website of the watchdog of Russian intelligence, www.Agentura.ru.\n", nil},
		{"link to a piece of a url", "请看" + tag + " 的报道。\n", "See " + tag + " for the report.\n",
			[]string{"the target links to https://gnews.org/zh-hans/tag/, which is no URL of the source"}},
		{"text glued to a url", "俄罗斯特工活动的监督机构网站www.Agentura.ru。\n", "The watchdog www.Agentura.rusite.\n",
			[]string{"url www.Agentura.ru is not in the target", "the target links to www.Agentura.rusite, which is no URL of the source"}[1:]},
		{"chinese tail translated", video + "\n", "https://ipfs.gnews.org/ipfs/QmdGRLHjjr6kwtqqjjVbC5awwKPMrjxwY6uYuVZiDEbNTC?filename= bingdu suyuan.mp4\n",
			[]string{"url " + video + " is broken in the target: its text after https://ipfs.gnews.org/ipfs/QmdGRLHjjr6kwtqqjjVbC5awwKPMrjxwY6uYuVZiDEbNTC?filename= was changed"}},
		{"a changed url is reported once", "见 https://gnews.org/articles/1 。\n", "See https://gnews.org/articles/2 .\n",
			[]string{"url https://gnews.org/articles/1 is not in the target"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range CheckDocument(&Config{Disable: []string{KindStructure}}, parse(t, tt.src), parse(t, tt.tgt)) {
				got = append(got, f.Message)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckDocument(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}
