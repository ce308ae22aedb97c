package markdown

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var kindNames = [...]string{"blank", "paragraph", "heading", "thematic-break", "code", "html",
	"list", "quote", "table", "linkref", "footnote", "front-matter"}

var segNames = [...]string{"para", "heading", "cell", "front-matter"}

// dump writes the blocks, segments and tags of d as text for golden files.
func dump(d *Document) string {
	var b strings.Builder
	src := d.Source()
	for i, blk := range d.Blocks {
		fmt.Fprintf(&b, "block %d %s line %d [%d,%d) segments %v\n\t%q\n", i, kindNames[blk.Kind], blk.Line, blk.Start, blk.End, blk.Segments, src[blk.Start:blk.End])
	}
	for i, s := range d.Segments {
		fmt.Fprintf(&b, "segment %d %s line %d block %d\n\ttext %q\n", i, segNames[s.Kind], s.Line, s.Block, s.Text)
		if len(s.lineBreaks) > 0 {
			fmt.Fprintf(&b, "\tbreaks %q\n", s.lineBreaks)
		}
		for _, t := range s.Tags {
			fmt.Fprintf(&b, "\ttag %d kind %d paired %v open %q close %q dest %q\n", t.ID, t.Kind, t.Paired, t.Open, t.Close, t.Dest)
		}
	}
	return b.String()
}

// TestGolden parses each testdata/golden/*.md trap case and compares the
// segment dump with the .want file beside it.
func TestGolden(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.md"))
	if len(paths) == 0 {
		t.Fatal("no golden cases")
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".md"), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			d := roundTrip(t, src)
			got := dump(d)
			wantPath := strings.TrimSuffix(p, ".md") + ".want"
			if *update {
				if err := os.WriteFile(wantPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("dump mismatch (-want +got):\n%s", diff)
			}
			out, err := d.Assemble(pseudoAll(d))
			if err != nil {
				t.Fatalf("Assemble(pseudo): %v", err)
			}
			d2, _ := Parse(out, nil)
			if diffs := Compare(d, d2); len(diffs) > 0 {
				t.Errorf("Compare(source, pseudo) = %v\n%s", diffs, out)
			}
		})
	}
}
