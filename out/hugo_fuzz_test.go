package out

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/diglot/diglot/markdown"
)

// FuzzHugoPage checks the Hugo page of any document: asked for nothing
// it is the document byte for byte; asked for a key and to rewrite every
// link (to paths with odd bytes in them), it fails only on front matter
// that is not written as a YAML mapping (or is a flow mapping) and on TOML
// front matter, never takes
// front matter Hugo could not decode, and its front matter is YAML with a
// translationKey, and the page reads as the document: the
// same segments. (hugoPage itself parses every page back and checks that
// its links are as planned.)
func FuzzHugoPage(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "hugo", "src", "*", "*.md"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"[a](b.md) [c](<d e.md> \"t\") [f][r]\n\n[r]: g.md\n",
		"---\ntitle: 标题\n---\n\n| [a](b.md) |\n| --- |\n",
		"\ufeff## 标题\r\n\r\n[1](b.md)\r\n",
		"> [a](\n> b.md)\n\n    [c](d.md)\n\n`[e](f.md)`\n",
		"---\ntranslationKey: x\n...\n[a](b.md#c?d)\n",
	} {
		f.Add([]byte(s))
	}
	odd := func(p string) (string, bool) { return p + "/ <>()&amp;\\#?x", true }
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return
		}
		doc, err := markdown.Parse(src, nil)
		if err != nil {
			return
		}
		page, _, err := hugoPage(doc, nil, "", nil)
		if err != nil || string(page) != string(src) {
			t.Fatalf("hugoPage with nothing to do = %q, %v; want the document", page, err)
		}
		for _, link := range []func(string) (string, bool){enLinks, odd} {
			page, _, err = hugoPage(doc, nil, "k", link)
			own, hasFM := hugoFrontMatter(src)
			if err != nil {
				// Only front matter Hugo cannot read, or a flow mapping,
				// refuses a page.
				first, _ := lineAt(stripBOM(src), 0)
				toml := !hasFM && strings.TrimRight(string(first), " \t") == "+++"
				if !errors.Is(err, ErrFrontMatter) || !hasFM && !toml || isMappingNode(own) && !bytes.HasPrefix(bytes.TrimSpace(own), []byte("{")) {
					t.Fatalf("hugoPage(%q): %v", src, err)
				}
				continue
			}
			if hasFM && !isYAMLMap(own) {
				t.Fatalf("hugoPage(%q) took front matter that is not a YAML mapping", src)
			}
			if got, want := bodyTexts(t, page), bodyTexts(t, src); !slices.Equal(got, want) {
				t.Fatalf("hugoPage(%q) = %q: segments %q, want %q", src, page, got, want)
			}
			fm, ok := hugoFrontMatter(page)
			if !ok {
				t.Fatalf("hugoPage(%q) = %q: no front matter", src, page)
			}
			var m map[string]any
			if err := yaml.Unmarshal(fm, &m); err != nil {
				t.Fatalf("hugoPage(%q): front matter %q: %v", src, fm, err)
			}
			found := false
			for k := range m {
				found = found || strings.EqualFold(k, "translationKey")
			}
			if !found {
				t.Fatalf("hugoPage(%q): no translationKey in %q", src, fm)
			}
		}
	})
}

// bodyTexts returns the texts of the segments of a document outside its
// front matter.
func bodyTexts(t *testing.T, src []byte) []string {
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range doc.Segments {
		if s.Kind != markdown.FrontMatterSeg {
			texts = append(texts, s.Text)
		}
	}
	return texts
}

// isYAMLMap reports whether b decodes as a YAML mapping, as Hugo decodes
// front matter (nothing, or a null, decodes as an empty one).
func isYAMLMap(b []byte) bool {
	var m map[string]any
	return yaml.Unmarshal(b, &m) == nil
}

// isMappingNode reports whether b is written as a YAML mapping that
// decodes: front matter a key line must go into.
func isMappingNode(b []byte) bool {
	var n yaml.Node
	if yaml.Unmarshal(b, &n) != nil || len(n.Content) == 0 {
		return false
	}
	var m map[string]any
	return n.Content[0].Kind == yaml.MappingNode && n.Content[0].Decode(&m) == nil
}
