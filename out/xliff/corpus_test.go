package xliff_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../../shared/corpus"

var (
	latin      = regexp.MustCompile(`\p{Han}+`)
	targetHash = regexp.MustCompile(`\s*<mda:meta type="target-hash">[0-9a-f]+</mda:meta>`)
)

// TestCorpus: for every corpus article, a bilingual file with one
// translation exports to XLIFF that applies to itself unchanged; the XLIFF
// of the same article with another translation, applied to it, gives every
// unit that translation, reviewed, and the file reads back.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		t.Skip("corpus absent: " + corpusDir)
	}
	if testing.Short() && len(files) > 20 {
		files = files[:20]
	}
	checkArticles(t, files)
}

// TestArchive runs TestCorpus's checks over every Nth article of the
// archive that DIGLOT_ARCHIVE names (N is DIGLOT_ARCHIVE_EVERY, 25 unless
// set): a measurement of how much real text survives the round trip.
//
//	DIGLOT_ARCHIVE=/tmp/archive/md go test ./out/xliff -run TestArchive -v -timeout 1h
func TestArchive(t *testing.T) {
	dir := os.Getenv("DIGLOT_ARCHIVE")
	if dir == "" || testing.Short() {
		t.Skip("DIGLOT_ARCHIVE is not set")
	}
	every := 25
	if v, err := strconv.Atoi(os.Getenv("DIGLOT_ARCHIVE_EVERY")); err == nil && v > 0 {
		every = v
	}
	var files []string
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		if n++; n%every == 0 {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkArticles(t, files)
}

// checkArticles checks the round trips of TestCorpus over files.
func checkArticles(t *testing.T, files []string) {
	units, unreadable := 0, 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		first, err1 := bilingualWith(src, english)
		second, err2 := bilingualWith(src, func(s string) string { return latin.ReplaceAllString(s, "tr") })
		if err1 != nil || err2 != nil {
			// Not UTF-8, or a segment whose stand-in translation is
			// blank.
			unreadable++
			continue
		}
		if _, err := out.ReadBilingual(name, second, out.Format{}); err != nil {
			// The stand-in translation glued Latin letters to emphasis
			// where CommonMark no longer reads it; not this package's
			// concern.
			unreadable++
			continue
		}
		if _, err := out.ReadBilingual(name, first, out.Format{}); err != nil {
			unreadable++
			continue
		}
		same, res, err := apply(t, first, export(t, name, string(first)))
		if err != nil {
			t.Errorf("%s: Apply of its own export: %v", name, err)
			continue
		}
		if !bytes.Equal(same, first) || len(res.Changed)+len(res.Approved) != 0 {
			t.Errorf("%s: Apply of its own export changed it: %+v", name, res)
		}
		// The second file's export carries its targets' hashes, which
		// are not the first's: without them it applies as a translator's
		// work does.
		doc := targetHash.ReplaceAll(export(t, name, string(second)), nil)
		next, res, err := apply(t, first, doc)
		if err != nil {
			t.Errorf("%s: Apply of another translation: %v", name, err)
			continue
		}
		if len(res.Skipped) > 0 {
			t.Errorf("%s: skipped %q", name, res.Skipped)
		}
		f1, _ := out.ReadBilingual(name, first, out.Format{})
		f2, _ := out.ReadBilingual(name, second, out.Format{})
		got, err := out.ReadBilingual(name, next, out.Format{})
		if err != nil {
			t.Errorf("%s: the result does not read: %v", name, err)
			continue
		}
		for i, u := range got.Units {
			units++
			if differ := !slices.Equal(f1.Units[i].Targets, f2.Units[i].Targets); u.Approved() != differ {
				t.Errorf("%s: unit %d: approved %v, but its translations differ: %v", name, u.ID, u.Approved(), differ)
			}
			for k := range u.Targets {
				if markdown.Normalize(u.Targets[k]) != markdown.Normalize(f2.Units[i].Targets[k]) {
					t.Errorf("%s: unit %d segment %d = %q, want %q", name, u.ID, k+1, u.Targets[k], f2.Units[i].Targets[k])
				}
			}
		}
	}
	t.Logf("%d files, %d units applied; %d files skipped whose stand-in translation does not read", len(files)-unreadable, units, unreadable)
	if unreadable > len(files)/20 {
		t.Errorf("%d of %d stand-in bilingual files do not read", unreadable, len(files))
	}
}

// bilingualWith writes the bilingual file of src with targets made by tr.
func bilingualWith(src []byte, tr func(string) string) ([]byte, error) {
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		return nil, err
	}
	targets := make([]string, len(doc.Segments))
	for i, s := range doc.Segments {
		targets[i] = tr(s.Text)
	}
	var b bytes.Buffer
	err = out.WriteBilingual(&b, &out.Bilingual{Doc: doc, Targets: targets}, out.Format{Source: "zh", Target: "en"})
	return b.Bytes(), err
}
