package xliff_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

var han = regexp.MustCompile(`\p{Han}+`)

// machineBy matches the end of a machine unit's marker.
var machineBy = regexp.MustCompile(`(state=machine(?: flags=[a-z0-9,._-]+)?) -->`)

// english is the fixture's stand-in translation: every run of Chinese
// characters becomes "en"; tags, punctuation and the rest stay.
func english(s string) string { return han.ReplaceAllString(s, "en") }

// bilingualOf writes the bilingual file of a Markdown source with english
// targets and, per unit ordinal (1-based), the unit details given; machine
// units name their origin with by=, as the pipeline's markers do.
func bilingualOf(t testing.TB, src []byte, units map[int]out.UnitInfo) []byte {
	t.Helper()
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	targets := make([]string, len(doc.Segments))
	for i, s := range doc.Segments {
		targets[i] = english(s.Text)
	}
	byBlock := map[int]out.UnitInfo{}
	n := 0
	for bi, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		n++
		info, ok := units[n]
		if !ok {
			continue
		}
		if info.State == out.StateNew {
			// Not translated yet: the slot holds the source.
			for _, si := range b.Segments {
				targets[si] = doc.Segments[si].Text
			}
		}
		byBlock[bi] = info
	}
	var b bytes.Buffer
	err = out.WriteBilingual(&b, &out.Bilingual{
		From: "articles/summit.md",
		Doc:  doc, Targets: targets, Units: byBlock,
	}, out.Format{Source: "zh", Target: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return machineBy.ReplaceAll(b.Bytes(), []byte("$1 by=openai:gpt-4o-mini -->"))
}

// The units of testdata/article.md, by marker id.
const (
	unitTitle   = 1  // the front matter's title
	unitHeading = 2  // emphasis and strong
	unitPara    = 3  // a link with a title, strikethrough, a hard break, code, an autolink, a footnote reference
	unitImage   = 4  // an image's alt text
	unitList    = 5  // two items, raw HTML in the first
	unitTable   = 6  // four cells
	unitQuote   = 7  // a quote on two lines
	unitNew     = 8  // paragraph six
	unitFailed  = 9  // paragraph seven
	unitNote    = 10 // the footnote's text
)

// articleUnits gives the fixture's units every state: the heading
// reviewed, the paragraph flagged, the quote stale, paragraph six new,
// paragraph seven failed; the others are machine units.
var articleUnits = map[int]out.UnitInfo{
	unitHeading: {State: out.StateReviewed},
	unitPara:    {State: out.StateMachine, Flags: []string{"numbers"}},
	unitQuote:   {State: out.StateStale, Previous: []byte("> An earlier reviewed quote,\n> on two lines.\n")},
	unitNew:     {State: out.StateNew},
	unitFailed:  {State: out.StateFailed},
}

// article returns the fixture bilingual file made of testdata/article.md.
func article(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/article.md")
	if err != nil {
		t.Fatal(err)
	}
	return bilingualOf(t, src, articleUnits)
}

// export returns the XLIFF of bilingual files given as name, data pairs.
func export(t testing.TB, files ...string) []byte {
	t.Helper()
	var ins []*xliff.Input
	for i := 0; i+1 < len(files); i += 2 {
		in, err := xliff.ReadInput(files[i], []byte(files[i+1]), nil)
		if err != nil {
			t.Fatalf("ReadInput(%s): %v", files[i], err)
		}
		ins = append(ins, in)
	}
	var b bytes.Buffer
	if _, err := xliff.Export(&b, ins); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return b.Bytes()
}

// parse parses an XLIFF document that must parse.
func parse(t testing.TB, doc []byte) *xliff.Document {
	t.Helper()
	d, err := xliff.Parse("test.xlf", bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return d
}

// apply applies the XLIFF's only file to the bilingual data.
func apply(t testing.TB, bi, doc []byte) ([]byte, *xliff.Applied, error) {
	t.Helper()
	d := parse(t, doc)
	if len(d.Files) != 1 {
		t.Fatalf("%d files in the XLIFF, want 1", len(d.Files))
	}
	return xliff.Apply("summit.bi.md", bi, "test.xlf", &d.Files[0], nil)
}

// outside returns data without the marker line and target block of the
// units whose ids are given: what an import that changed those units only
// must keep byte for byte.
func outside(t testing.TB, data []byte, ids ...int) []byte {
	t.Helper()
	f, err := out.ReadBilingual("x", data, out.Format{})
	if err != nil {
		t.Fatalf("ReadBilingual: %v", err)
	}
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	var b []byte
	pos := 0
	for _, id := range ids {
		u := f.Units[id-1]
		m := starts[u.Line-1]
		tEnd := starts[u.TargetLine-1] + len(u.TargetBytes)
		b = append(b, data[pos:m]...)
		b = append(b, "<unit>"...)
		pos = tEnd
	}
	return append(b, data[pos:]...)
}
