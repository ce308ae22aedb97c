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
