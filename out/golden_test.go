package out

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenUnits gives per-unit details for some golden inputs, so the golden
// files also show the stale, failed and reviewed layouts.
var goldenUnits = map[string]func(doc *markdown.Document) map[int]UnitInfo{
	"basic.md": func(doc *markdown.Document) map[int]UnitInfo {
		units := map[int]UnitInfo{}
		n := 0
		for i, b := range doc.Blocks {
			if len(b.Segments) == 0 {
				continue
			}
			n++
			switch n {
			case 1:
				units[i] = UnitInfo{By: "openai:gpt-4o-mini"}
			case 2:
				units[i] = UnitInfo{State: StateStale, Previous: []byte("An older reviewed translation\nof the first paragraph.\n")}
			case 3:
				units[i] = UnitInfo{State: StateFailed}
			case 4:
				units[i] = UnitInfo{State: StateReviewed, Flags: []string{"numbers", "untranslated"}}
			}
		}
		return units
	},
}

// TestGolden writes each testdata/golden/NAME.md input with the pseudo
// transform and compares the bilingual file (NAME.bi.md), the target-only
// document (NAME.target.md), the paired layout (NAME.paired.md) and the
// HTML page (NAME.html) with the golden files; -update rewrites them.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range inputs {
		base := strings.TrimSuffix(in, ".md")
		if strings.Contains(filepath.Base(base), ".") {
			continue // an output
		}
		n++
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var units map[int]UnitInfo
			doc, err := markdown.Parse(src, nil)
			if err != nil {
				t.Fatal(err)
			}
			if fn := goldenUnits[name]; fn != nil {
				units = fn(doc)
			}
			_, bi := writeBi(t, src, pseudoTargets, units)
			f, err := ReadBilingual(name, bi, testFormat)
			if err != nil {
				t.Fatalf("ReadBilingual: %v", err)
			}
			if !bytes.Equal(f.Source.Source(), src) {
				t.Errorf("reconstructed source differs: %s", firstDiff(src, f.Source.Source()))
			}
			var target bytes.Buffer
			if err := WriteTarget(&target, doc, pseudoTargets(doc)); err != nil {
				t.Fatal(err)
			}
			if units == nil && !bytes.Equal(f.TargetDocument(), target.Bytes()) {
				t.Errorf("TargetDocument differs from WriteTarget: %s", firstDiff(target.Bytes(), f.TargetDocument()))
			}
			checkGolden(t, base+".bi.md", bi)
			checkGolden(t, base+".target.md", f.TargetDocument())
			checkGolden(t, base+".paired.md", f.PairedDocument())
			page, _, err := f.HTMLPage(&HTMLOptions{Index: "index.html"})
			if err != nil {
				t.Fatalf("HTMLPage: %v", err)
			}
			checkGolden(t, base+".html", page)
		})
	}
	if n == 0 {
		t.Fatal("no golden inputs")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff): %s", path, firstDiff(want, got))
	}
}
