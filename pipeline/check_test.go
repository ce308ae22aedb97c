package pipeline

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/qa"
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
	examples, _ := filepath.Glob("../examples/*.md")
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
			m := newCheckLineMap(f, data)
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
			c := &checkedFile{file: f, lines: m, target: td}
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

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// plantedSource is the article of the planted check case: a heading, a
// list and paragraphs, each given one fault in its translation.
const plantedSource = "# 美俄峰会：开展双边战略稳定对话\n\n" +
	"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了峰会。\n\n" +
	"- 双方同意开展战略稳定对话。\n- 双方将在三个月内再次会面。\n\n" +
	"据路透社报道，价值约2000万美元的货物正在受到调查。\n\n" +
	"海关官员表示，中共政府在积极混淆供应链，详情见https://gnews.org/articles/1176351。\n\n" +
	"路透社报道说，中国的石油进口量在五月份达到了创纪录的水平。\n\n" +
	"海关官员表示，他们很难确定货物是否是由强迫劳动力制造的。\n\n" +
	"数据可从ftp://ftp.example.org/pub/customs-2022.csv下载。\n\n" +
	"参考：https://gnews.org/zh-hans/tag/文贵天成/ 的报道。\n\n" +
	"该报道的原文已经被删除。\n\n" +
	"这一段没有得到有效的翻译。\n"

// plantedUnit is the translation of one block of plantedSource: the good
// one, and the one in the file (a fault planted in it), with the unit's
// state.
type plantedUnit struct {
	good, bad string
	info      out.UnitInfo
	fault     string // what was planted, for the test's message
}

// plantedUnits are the translations of plantedSource's blocks with
// segments, in order.
var plantedUnits = []plantedUnit{
	{good: "# US–Russia Summit: Launching a Bilateral Strategic Stability Dialogue\n"},
	{good: "US President Biden and Russian President Putin held a summit in Geneva on June 16.\n"},
	{good: "- Both sides agreed to launch a strategic stability dialogue.\n- The two sides will meet again within three months.\n",
		bad:   "- Both sides agreed to launch a strategic stability dialogue.\n- The two sides will meet again within three months.\n- <think>The list needs a third point.</think> More talks will follow.\n",
		fault: "an item added (structure), with reasoning in it (leaked)"},
	{good: "According to Reuters, goods worth about $20 million are under investigation.\n",
		bad:   "According to Reuters, goods worth about $30 million are under investigation.\n",
		fault: "a changed number"},
	{good: "Customs officials said the CCP government is actively obscuring supply chains; see https://gnews.org/articles/1176351 for details.\n",
		bad:   "Customs officials said the CCP government is actively obscuring supply chains; see the report for details.\n",
		fault: "a protected URL removed (tags)"},
	{good: "Reuters reported that China's oil imports reached a record level in May.\n",
		bad:   "<think>The user wants this in English.</think>Reuters reported that China's oil imports reached a record level in May.\n",
		fault: "leaked reasoning"},
	{good: "Customs officials said it is hard for them to tell whether goods were made with forced labour.\n",
		bad:   "海关官员表示，他们很难确定货物是否是由强迫劳动力制造的。\n",
		fault: "an echo of the source"},
	{good: "The data can be downloaded from ftp://ftp.example.org/pub/customs-2022.csv.\n",
		bad:   "The data can be downloaded from the customs site.\n",
		fault: "a URL removed (urls)"},
	{good: "Reference: https://gnews.org/zh-hans/tag/文贵天成/ report.\n",
		bad:   "Reference: https://gnews.org/zh-hans/tag/ Wengui Tiancheng/ report.\n",
		fault: "a link broken by translating the URL's tail"},
	{good: "The original of the report has been deleted.\n",
		info:  out.UnitInfo{State: out.StateStale, Previous: []byte("The original report has been removed.\n")},
		fault: "a stale unit"},
	{good: "这一段没有得到有效的翻译。\n",
		info:  out.UnitInfo{State: out.StateFailed},
		fault: "a failed unit"},
}

// plantedFile writes the planted bilingual file: each unit's bad target
// (or its good one) as the file holds it. A bad target is a reviewer's
// edit of the good one when it keeps the structure, and what the engine
// wrote otherwise.
func plantedFile(t *testing.T) []byte {
	t.Helper()
	doc, err := markdown.Parse([]byte(plantedSource), nil)
	if err != nil {
		t.Fatal(err)
	}
	units := map[int]out.UnitInfo{}
	targets := doc.Texts()
	k := 0
	for bi, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		if k >= len(plantedUnits) {
			t.Fatalf("block %d: more units than plantedUnits", bi)
		}
		u := plantedUnits[k]
		k++
		info := u.info
		info.Target = []byte(u.good)
		if u.bad != "" {
			info.Target = []byte(u.bad)
			info.MT = out.Hash([]byte(u.good)) // a reviewer's edit
		}
		units[bi] = info
	}
	if k != len(plantedUnits) {
		t.Fatalf("%d units, plantedUnits has %d", k, len(plantedUnits))
	}
	var buf bytes.Buffer
	if err := out.WriteBilingual(&buf, &out.Bilingual{From: "planted.md",
		Doc: doc, Targets: targets, Units: units}, out.Format{Source: "zh", Target: "en"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCheckPlanted checks a bilingual file with one fault of each kind in
// its units (testdata/check/planted.md, written by plantedFile): Check
// reports every one of them, the structure error of an early unit hiding
// none of the later ones, each at its line (testdata/check/planted.golden).
func TestCheckPlanted(t *testing.T) {
	dir := filepath.Join("testdata", "check")
	path := filepath.Join(dir, "planted.md")
	data := plantedFile(t)
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if disk, err := os.ReadFile(path); err != nil || !bytes.Equal(disk, data) {
		t.Fatalf("%s is not what plantedFile writes (run go test -update): %v", path, err)
	}
	var lines []string
	rep, err := Check(context.Background(), []string{path}, &CheckOptions{Findings: func(p string, fs []qa.Finding) {
		for _, f := range fs {
			lines = append(lines, qa.Format("planted.md", f))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join(dir, "planted.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", golden, diff)
	}
	// Every planted fault is found at the line of its unit's target.
	for _, f := range []struct{ fault, kind, text string }{
		{"an item added", qa.KindStructure, "unit 3: "},
		{"reasoning in a broken unit", qa.KindLeaked, "reasoning block"},
		{"a changed number", qa.KindNumbers, `"2000万"`},
		{"a protected URL removed", qa.KindTags, "https://gnews.org/articles/1176351"},
		{"leaked reasoning", qa.KindLeaked, "<think>"},
		{"an echo", qa.KindUntranslated, "repeats the source"},
		{"a URL removed", qa.KindURLs, "ftp://ftp.example.org/pub/customs-2022.csv is not in the target"},
		{"a broken link", qa.KindURLs, "is broken in the target"},
		// The broken URL is also a lost tag now that the URL is protected
		// through its Chinese path; the link it made of the rest of it is
		// qa's TestCheckDocument's.
		{"a broken protected URL", qa.KindTags, `"https://gnews.org/zh-hans/tag/" has no counterpart`},
		{"a stale unit", qa.KindState, "is stale"},
		{"a failed unit", qa.KindState, "failed"},
	} {
		if !slices.ContainsFunc(rep.Findings, func(g Finding) bool {
			return g.Kind == f.kind && strings.Contains(g.Message, f.text)
		}) {
			t.Errorf("%s: no %s finding mentioning %q", f.fault, f.kind, f.text)
		}
	}
	if rep.Files[0].Status != StatusAttention || !rep.Failed() {
		t.Errorf("file status %q, Failed() = %v; want attention, true", rep.Files[0].Status, rep.Failed())
	}
}

// TestCheckPlantedScript keeps the CLI's end-to-end copy of the planted
// case (cmd/diglot/testdata/script/check_every.txtar) the same as
// testdata/check: its planted.md and the findings it wants on stderr.
func TestCheckPlantedScript(t *testing.T) {
	script := filepath.Join("..", "cmd", "diglot", "testdata", "script", "check_every.txtar")
	ar, err := txtar.ParseFile(script)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"planted.md": plantedFile(t)}
	if want["want.stderr"], err = os.ReadFile(filepath.Join("testdata", "check", "planted.golden")); err != nil {
		t.Fatal(err)
	}
	changed := false
	for i, f := range ar.Files {
		if w, ok := want[f.Name]; ok && !bytes.Equal(f.Data, w) {
			if !*update {
				t.Errorf("%s: %s is not testdata/check's (run go test -update)", script, f.Name)
			}
			ar.Files[i].Data, changed = w, true
		}
	}
	if *update && changed {
		if err := os.WriteFile(script, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckFiles checks Check's outcome per file: a clean file is ok, a
// file with warnings only is ok unless Strict, a file that is not a
// bilingual file fails alone, and a cancelled check stops with an error.
func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bilingual := func(src string, targets ...string) []byte {
		doc, err := markdown.Parse([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := out.WriteBilingual(&buf, &out.Bilingual{Doc: doc, Targets: targets}, out.Format{Source: "zh", Target: "en"}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	clean := write("clean.md", bilingual("美国总统拜登于6月16日在日内瓦举行了峰会。\n",
		"US President Biden held a summit in Geneva on June 16."))
	short := write("short.md", bilingual("美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会。\n",
		"Biden met Putin on June 16."))
	plain := write("plain.md", []byte("# Not a bilingual file\n"))

	tests := []struct {
		name   string
		strict bool
		paths  []string
		want   map[string]string // path → status
	}{
		{"clean", false, []string{clean}, map[string]string{clean: StatusOK}},
		{"warning only", false, []string{short}, map[string]string{short: StatusOK}},
		{"warning strict", true, []string{short}, map[string]string{short: StatusAttention}},
		{"not bilingual", false, []string{plain, clean}, map[string]string{plain: StatusFailed, clean: StatusOK}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Check(context.Background(), tt.paths, &CheckOptions{Strict: tt.strict})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, f := range rep.Files {
				got[f.Path] = f.Status
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			for _, f := range rep.Files {
				if f.Path == short && (f.Findings != 1 || qa.HasErrors([]qa.Finding{rep.Findings[0].Finding})) {
					t.Errorf("%s: %d findings %v, want one warning", f.Path, f.Findings, rep.Findings)
				}
			}
			failed := slices.ContainsFunc(rep.Files, func(f FileReport) bool { return f.Status != StatusOK })
			if rep.Failed() != failed {
				t.Errorf("Failed() = %v, want %v", rep.Failed(), failed)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := Check(ctx, []string{clean}, nil)
	if !errors.Is(err, context.Canceled) || rep == nil || rep.Stopped != "interrupted" {
		t.Errorf("Check(cancelled) = %v, %v; want a report stopped as interrupted and context.Canceled", rep, err)
	}
	if _, err := Check(context.Background(), nil, &CheckOptions{QA: &qa.Config{Disable: []string{"spelling"}}}); !errors.Is(err, ErrConfig) {
		t.Errorf("Check with an unknown check = %v, want ErrConfig", err)
	}
}

// FuzzCheck checks mutated bilingual files: Check never panics, never
// fails a file the reader can read, and points every finding at a line of
// the file.
func FuzzCheck(f *testing.F) {
	planted, err := os.ReadFile(filepath.Join("testdata", "check", "planted.md"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(planted)
	f.Add([]byte(strings.Replace(string(planted), "- Both sides", "Both sides", 1)))
	f.Add([]byte(strings.Replace(string(planted), "US President", "- US President", 1)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.md")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c := &fileChecker{opts: &CheckOptions{}}
		fs, _, err := c.file(path)
		if _, rerr := out.ReadBilingual(path, data, out.Format{}); rerr == nil && err != nil {
			t.Fatalf("a readable file failed: %v", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, fd := range fs {
			if fd.Line < 0 || fd.Line > lines {
				t.Errorf("finding %v points past the file's %d lines", fd, lines)
			}
		}
	})
}
