package out

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/markdown"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../shared/corpus"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		t.Skip("corpus absent: " + corpusDir)
	}
	return files
}

// TestCorpusCopy checks the copy invariant over every corpus file: the
// target document read back from the bilingual file, and the reconstructed
// source, equal the source byte for byte.
func TestCorpusCopy(t *testing.T) {
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(src) {
			continue
		}
		_, bi := writeBi(t, src, copyTargets, nil)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Errorf("%s: ReadBilingual: %v", path, err)
			continue
		}
		if got := f.Source.Source(); !bytes.Equal(got, src) {
			t.Errorf("%s: reconstructed source differs: %s", path, firstDiff(src, got))
		}
		if got := f.TargetDocument(); !bytes.Equal(got, src) {
			t.Errorf("%s: target document differs: %s", path, firstDiff(src, got))
		}
		for _, u := range f.Units {
			if u.Edited {
				t.Errorf("%s: unit %d reads as edited", path, u.ID)
			}
		}
	}
}

// TestCorpusPseudo checks, over every corpus file with a visibly
// transformed target: no unit reads as edited, reading then writing gives
// the same bytes, and one scripted reviewer edit marks exactly that unit.
func TestCorpusPseudo(t *testing.T) {
	edits := 0
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(src) {
			continue
		}
		doc, bi := writeBi(t, src, pseudoTargets, nil)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Errorf("%s: ReadBilingual: %v", path, err)
			continue
		}
		want := pseudoTargets(doc)
		if diff := cmp.Diff(want, f.Targets()); diff != "" {
			t.Errorf("%s: targets (-want +got):\n%s", path, diff)
		}
		for _, u := range f.Units {
			if u.Edited {
				t.Errorf("%s: unit %d reads as edited", path, u.ID)
			}
		}
		again, err := AppendBilingual(nil, f.Bilingual(), f.Format)
		if err != nil {
			t.Errorf("%s: rewrite: %v", path, err)
		} else if !bytes.Equal(again, bi) {
			t.Errorf("%s: read then write differs: %s", path, firstDiff(bi, again))
		}
		if editOne(t, path, f, bi) {
			edits++
		}
	}
	if edits == 0 {
		t.Error("no scripted edit was applied")
	}
}

// editOne changes one Han character of one unit's target text in the
// bilingual file and checks that exactly that unit reads as edited, with
// the edit in its Targets. It reports whether it found a unit to edit.
func editOne(t *testing.T, path string, f *File, bi []byte) bool {
	t.Helper()
	lines := bytes.SplitAfter(bi, []byte("\n"))
	for ui, u := range f.Units {
		for j, text := range u.Targets {
			// A Han character of the text, looked for in the target's last
			// line that holds it (away from link destinations in practice).
			for _, r := range text {
				if !unicode.Is(unicode.Han, r) || r < 0x4e00 || r > 0x9fa5 {
					continue
				}
				ch := string(r)
				tl := u.TargetLine - 1
				n := bytes.Count(u.TargetBytes, []byte("\n")) + 1
				for l := tl; l < tl+n && l < len(lines); l++ {
					k := bytes.Index(lines[l], []byte(ch))
					if k < 0 {
						continue
					}
					edited := slices.Clone(lines)
					edited[l] = slices.Concat(lines[l][:k], []byte("改"), lines[l][k+len(ch):])
					if ch == "改" {
						edited[l] = slices.Concat(lines[l][:k], []byte("变"), lines[l][k+len(ch):])
					}
					g, err := ReadBilingual(path, bytes.Join(edited, nil), testFormat)
					if err != nil {
						continue // e.g. the character sat in a link destination
					}
					for _, v := range g.Units {
						if v.Edited != (v.ID == u.ID) {
							t.Errorf("%s: after editing unit %d, unit %d Edited = %v", path, u.ID, v.ID, v.Edited)
						}
					}
					if slices.Equal(g.Units[ui].Targets, u.Targets) {
						t.Errorf("%s: unit %d: edit not in Targets %q", path, u.ID, g.Units[ui].Targets)
					}
					if !bytes.Equal(g.Source.Source(), f.Source.Source()) {
						t.Errorf("%s: an edit of a target changed the source", path)
					}
					_ = j
					return true
				}
			}
		}
	}
	return false
}

// firstDiff describes where a and b first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-40)
	return "at byte " + itoa(i) + ": want " + quote(a[lo:min(len(a), i+40)]) + ", got " + quote(b[lo:min(len(b), i+40)])
}

func itoa(i int) string { return fmt.Sprint(i) }

func quote(b []byte) string { return fmt.Sprintf("%q", b) }

var _ = markdown.Parse

// TestCorpusStates writes every corpus file with units in every state
// (stale with a previous target, failed, reviewed with kept target bytes)
// and checks the source, the states and a second write read back.
func TestCorpusStates(t *testing.T) {
	for _, path := range corpusFiles(t) {
		src, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(src) {
			continue
		}
		doc, err := markdown.Parse(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		units := map[int]UnitInfo{}
		want := map[int]State{}
		n := 0
		for i, b := range doc.Blocks {
			if len(b.Segments) == 0 {
				continue
			}
			n++
			var info UnitInfo
			switch n % 4 {
			case 1:
				info = UnitInfo{State: StateStale, Previous: []byte("An older\nreviewed translation.\n")}
			case 2:
				info = UnitInfo{State: StateFailed, Flags: []string{"untranslated"}}
			case 3:
				info = UnitInfo{State: StateReviewed, MT: "00000000"}
			}
			if info.State == "" {
				want[i] = StateMachine
			} else {
				want[i] = info.State
			}
			units[i] = info
		}
		_, bi := writeBi(t, src, pseudoTargets, units)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Errorf("%s: ReadBilingual: %v", path, err)
			continue
		}
		if !bytes.Equal(f.Source.Source(), src) {
			t.Errorf("%s: reconstructed source differs: %s", path, firstDiff(src, f.Source.Source()))
		}
		for _, u := range f.Units {
			if u.State != want[u.Block] {
				t.Errorf("%s: unit %d: State %q, want %q", path, u.ID, u.State, want[u.Block])
			}
			if edited := u.MT == "00000000"; u.Edited != edited {
				t.Errorf("%s: unit %d: Edited %v, want %v", path, u.ID, u.Edited, edited)
			}
		}
		again, err := AppendBilingual(nil, f.Bilingual(), f.Format)
		if err != nil || !bytes.Equal(again, bi) {
			t.Errorf("%s: read then write differs (%v): %s", path, err, firstDiff(bi, again))
		}
	}
}
