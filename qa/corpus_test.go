package qa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/tags"
)

const corpusDir = "../../shared/corpus"

// syllables spell the pseudo words; none pair into an English word that a
// leak pattern knows (note, sure, here).
var syllables = []string{"ban", "kor", "rit", "sul", "nem", "tak", "mip", "lod", "pax", "duv", "hab", "zig", "gof", "faz", "wuj", "jeb"}

// pseudo is a stand-in translation that keeps what a good translation
// keeps: every tag, digit, Latin word, URL and punctuation mark. Each run
// of Han characters becomes Latin pseudo words (a three-letter syllable a
// character, about as long as English renders it; two characters a word); nothing is added around a run, so emphasis
// delimiters next to it flank the same way (Han and Latin letters are both
// alphanumeric to CommonMark).
func pseudo(s string) string {
	var b strings.Builder
	for _, t := range tags.Parse(s) {
		if t.Kind != tags.Text {
			b.WriteString(t.Text)
			continue
		}
		n := 0
		for _, r := range t.Text {
			if !unicode.Is(unicode.Han, r) {
				n = 0
				b.WriteRune(r)
				continue
			}
			if n > 0 && n%2 == 0 {
				b.WriteByte(' ')
			}
			b.WriteString(syllables[int(r)%len(syllables)])
			n++
		}
	}
	return b.String()
}

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		t.Skipf("no corpus at %s", corpusDir)
	}
	return files
}

// translateDoc parses src, translates every segment with tr and parses the
// assembled target.
func translateDoc(t testing.TB, src []byte, tr func(string) string) (*markdown.Document, *markdown.Document) {
	t.Helper()
	sd, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	targets := make([]string, len(sd.Segments))
	for i, s := range sd.Segments {
		targets[i] = tr(s.Text)
	}
	out, err := sd.Assemble(targets)
	if err != nil {
		t.Fatalf("Assemble: %v", err)
	}
	td, err := markdown.Parse(out, nil)
	if err != nil {
		t.Fatalf("Parse target: %v", err)
	}
	return sd, td
}

// TestCorpusNoFalseAlarms: a translation that keeps every tag, number and
// URL draws no structure, tags, urls or leaked finding on any article of
// the real corpus — nor untranslated, missing or merged, since the pseudo
// translation turns all Chinese text into Latin. (Numbers and length do
// fire: it leaves 万 and Chinese numerals as gibberish and is shorter than
// English.)
func TestCorpusNoFalseAlarms(t *testing.T) {
	quiet := map[string]bool{KindStructure: true, KindTags: true, KindURLs: true, KindLeaked: true,
		KindUntranslated: true, KindMissing: true, KindMerged: true}
	counts := map[string]int{}
	sev := map[Severity]int{}
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sd, td := translateDoc(t, src, pseudo)
		for _, fd := range Check(nil, zh, en, sd, td) {
			counts[fd.Kind]++
			sev[fd.Severity]++
			if quiet[fd.Kind] {
				t.Errorf("%s", Format(filepath.Base(f), fd))
			}
		}
	}
	t.Logf("findings by kind over the corpus (pseudo translation): %v; by severity: %v", counts, sev)
}

// TestCorpusCopyIsUntranslated: the copy engine's output is flagged as
// untranslated, never as anything structural.
func TestCorpusCopyIsUntranslated(t *testing.T) {
	files := corpusFiles(t)
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	sd, td := translateDoc(t, src, func(s string) string { return s })
	fs := Check(nil, zh, en, sd, td)
	if !strings.Contains(strings.Join(Flags(fs), ","), KindUntranslated) {
		t.Errorf("copy of %s: flags %v, want untranslated", files[0], Flags(fs))
	}
	for _, f := range fs {
		if f.Kind != KindUntranslated {
			t.Errorf("copy: unexpected %s", Format(files[0], f))
		}
	}
}
