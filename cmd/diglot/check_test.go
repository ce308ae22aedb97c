package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

// lineMapSource has what moves lines around in a bilingual file: front
// matter (the header comes after it), multi-line targets, skeleton blocks
// between units and at the end, a stale unit with its previous target, and
// CRLF mixed with LF.
const lineMapSource = "---\ntitle: 美国海关官员\nauthor: x\n---\n\n" +
	"# 标题\n\n" +
	"第一段，\n跨两行。\r\n\r\n" +
	"```go\ncode()\n```\n\n" +
	"- 甲\n- 乙\n  继续\n\n" +
	"<div>\nhtml\n</div>\n\n" +
	"| 城市 | 港口 |\n| --- | --- |\n| 纽约 | 纽瓦克港 |\n\n" +
	"最后一段。\n\n" +
	"---\n\n" +
	"<!-- 结尾 -->\n"

// TestLineMap checks that every line of a bilingual file's target document
// maps to the same text in the bilingual file, and that each segment pair
// points at the line where its target segment starts.
func TestLineMap(t *testing.T) {
	files := map[string][]byte{"inline": []byte(lineMapSource)}
	examples, _ := filepath.Glob("../../examples/*.md")
	for _, p := range examples {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	for name, src := range files {
		t.Run(name, func(t *testing.T) {
			doc, err := markdown.Parse(src, nil)
			if err != nil {
				t.Fatal(err)
			}
			targets := make([]string, len(doc.Segments))
			texts := make([]string, len(doc.Segments))
			for i, s := range doc.Segments {
				targets[i] = fmt.Sprintf("S%d %s", i, s.Text)
				texts[i] = s.Text
			}
			units := map[int]out.UnitInfo{}
			for bi, b := range doc.Blocks {
				if len(b.Segments) > 0 && b.Kind != markdown.FrontMatter {
					// One stale unit, whose previous target follows its target.
					prev, err := doc.AssembleBlock(bi, texts)
					if err != nil {
						t.Fatal(err)
					}
					units[bi] = out.UnitInfo{State: out.StateStale, Previous: prev}
					break
				}
			}
			var buf bytes.Buffer
			bl := &out.Bilingual{From: name, Doc: doc, Targets: targets, Units: units}
			if err := out.WriteBilingual(&buf, bl, out.Format{Source: "zh", Target: "en"}); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			f, err := out.ReadBilingual(name, data, out.Format{})
			if err != nil {
				t.Fatal(err)
			}
			m := newLineMap(f, data)
			biLines := splitLines(data)
			tdoc := f.TargetDocument()
			for i, line := range splitLines(tdoc) {
				l := i + 1
				got := m.at(l)
				if got < 1 || got > len(biLines) || trimLine(biLines[got-1]) != trimLine(line) {
					t.Fatalf("target document line %d %q maps to bilingual line %d", l, line, got)
				}
			}
			td, err := markdown.Parse(tdoc, nil)
			if err != nil {
				t.Fatal(err)
			}
			c := &checked{file: f, lines: m, target: td}
			pairs := c.segmentPairs()
			if len(pairs) != len(doc.Segments) {
				t.Fatalf("%d pairs for %d segments", len(pairs), len(doc.Segments))
			}
			for _, p := range pairs {
				want := fmt.Sprintf("S%d ", p.SegIndex)
				if p.Line < 1 || p.Line > len(biLines) || !strings.Contains(biLines[p.Line-1], want) {
					t.Errorf("segment %d: line %d does not hold %q", p.SegIndex, p.Line, want)
				}
			}
		})
	}
}

func splitLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	return strings.Split(s, "\n")
}

func trimLine(s string) string {
	return strings.TrimPrefix(strings.TrimRight(s, "\r"), "\ufeff")
}
