package review

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSaveGolden saves one target and accepts another unit of a translated
// article, and compares the file with testdata/save.golden: every byte but
// the two markers and the saved target block is the one the translate run
// wrote.
func TestSaveGolden(t *testing.T) {
	dir := articleFixture(t)
	env := newEnv(t, dir, nil)
	before, f := env.read("article.md")
	para := unitOfKind(t, f, "峰会持续")
	head := unitOfKind(t, f, "## ")

	form := env.unitForm("0/article.md", para.ID)
	form.Set("target", "The summit lasted about 4 hours, shorter than expected.")
	if resp, body := env.post("/save", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d:\n%s", resp.StatusCode, body)
	}
	form = env.unitForm("0/article.md", head.ID)
	if resp, body := env.post("/accept", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d:\n%s", resp.StatusCode, body)
	}
	after := mustRead(t, filepath.Join(dir, "article.md"))

	golden := filepath.Join("testdata", "save.golden")
	if *update {
		if err := os.WriteFile(golden, after, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(after)); diff != "" {
		t.Errorf("file after save and accept (-want +got):\n%s", diff)
	}

	// Independently of the golden file: line by line, only the two marker
	// lines and the saved target's line differ.
	bl, al := strings.SplitAfter(string(before), "\n"), strings.SplitAfter(string(after), "\n")
	if len(bl) != len(al) {
		t.Fatalf("line count changed: %d -> %d", len(bl), len(al))
	}
	changed := map[int]bool{}
	for i := range bl {
		if bl[i] != al[i] {
			changed[i+1] = true
		}
	}
	wantChanged := map[int]bool{para.Line: true, para.TargetLine: true, head.Line: true}
	if diff := cmp.Diff(wantChanged, changed); diff != "" {
		t.Errorf("changed lines (-want +got):\n%s", diff)
	}
	for line := range changed {
		if line == para.TargetLine {
			continue
		}
		b, a := bl[line-1], al[line-1]
		if !strings.Contains(b, "state=machine") || strings.Replace(strings.Replace(b, "state=machine", "state=reviewed", 1), " flags=numbers", "", 1) != strings.Replace(a, " flags=numbers", "", 1) {
			t.Errorf("marker line %d: %q -> %q: more than the state (and flags) changed", line, b, a)
		}
	}
	if bytes.Equal(before, after) {
		t.Fatal("nothing written")
	}
}
