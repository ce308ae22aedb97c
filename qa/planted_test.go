package qa

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// plantedConfig is the configuration of the planted case: the defaults
// plus a one-term glossary (拜登 → Biden) standing in for package glossary.
func plantedConfig() *Config {
	return &Config{Glossary: func(src, tgt string) []string {
		if strings.Contains(src, "拜登") && !strings.Contains(tgt, "Biden") {
			return []string{`term "拜登" is not translated as "Biden"`}
		}
		return nil
	}}
}

// TestPlanted checks the planted case of testdata/planted: a source
// document and a translation with one fault of each document kind
// (target.golden), and a list of pairs with the faults that only pairs
// show, an empty target and a merged one (pairs.golden). Together they
// raise every kind of finding but state exactly as the golden files list
// them.
func TestPlanted(t *testing.T) {
	dir := filepath.Join("testdata", "planted")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	src, err := markdown.Parse(read("source.md"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := markdown.Parse(read("target.md"), nil)
	if err != nil {
		t.Fatal(err)
	}
	docFindings := Check(plantedConfig(), zh, en, src, tgt)

	var raw []struct {
		Line           int
		Source, Target string
	}
	if err := json.Unmarshal(read("pairs.json"), &raw); err != nil {
		t.Fatal(err)
	}
	var pairs []Pair
	for i, r := range raw {
		pairs = append(pairs, Pair{Source: r.Source, Target: r.Target, Line: r.Line, SegIndex: i})
	}
	pairFindings := CheckPairs(plantedConfig(), zh, en, pairs)

	golden(t, filepath.Join(dir, "target.golden"), formatAll("target.md", docFindings))
	golden(t, filepath.Join(dir, "pairs.golden"), formatAll("pairs.json", pairFindings))

	all := Flags(append(slices.Clone(docFindings), pairFindings...))
	// Every kind but state, which is the file reader's: pipeline.Check
	// plants that one (its TestCheckPlanted).
	want := slices.Sorted(slices.Values(slices.DeleteFunc(Kinds(), func(k string) bool { return k == KindState })))
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("planted flags (-want +got):\n%s", diff)
	}
	for _, fs := range [][]Finding{docFindings, pairFindings} {
		kinds := map[string]int{}
		for _, f := range fs {
			kinds[f.Kind]++
			if kinds[f.Kind] > 1 {
				t.Errorf("kind %s found more than once: one fault of each kind is planted", f.Kind)
			}
		}
	}
}

func formatAll(file string, fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(Format(file, f) + "\n")
	}
	return b.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
