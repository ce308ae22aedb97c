package out

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/diglot/diglot/markdown"
)

// hugoFrontMatter returns the YAML between the front matter's fences of
// page, or false when page does not start with front matter (after a byte
// order mark) that markdown reads as such.
func hugoFrontMatter(page []byte) ([]byte, bool) {
	doc, err := markdown.Parse(page, nil)
	if err != nil || len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter {
		return nil, false
	}
	fm := stripBOM(page[doc.Blocks[0].Start:doc.Blocks[0].End])
	_, start := lineAt(fm, 0)
	for pos := start; pos < len(fm); {
		line, next := lineAt(fm, pos)
		if t := strings.TrimRight(string(line), " \t"); t == "---" || t == "..." {
			return fm[start:pos], true
		}
		pos = next
	}
	return nil, false
}

// checkHugoFile checks what every Hugo page must be: Markdown whose front
// matter is valid YAML, a mapping with a non-empty scalar translationKey
// (in any case, as Hugo reads keys). It returns the key.
func checkHugoFile(t *testing.T, name string, page []byte) string {
	t.Helper()
	fm, ok := hugoFrontMatter(page)
	if !ok {
		t.Errorf("%s: the page does not start with front matter:\n%s", name, head(page))
		return ""
	}
	var m map[string]any
	if err := yaml.Unmarshal(fm, &m); err != nil {
		t.Errorf("%s: front matter is not valid YAML: %v\n%s", name, err, fm)
		return ""
	}
	var key string
	n := 0
	for k, v := range m {
		if strings.EqualFold(k, "translationKey") {
			n++
			switch v.(type) {
			case string, int, float64, bool: // Hugo takes a scalar's text
				key = fmt.Sprint(v)
			}
			if key == "" {
				t.Errorf("%s: translationKey is %#v, want a non-empty scalar", name, v)
			}
		}
	}
	if n != 1 {
		t.Errorf("%s: %d translationKey fields, want 1:\n%s", name, n, fm)
	}
	return key
}

// head returns the first lines of b, for messages.
func head(b []byte) string {
	lines := bytes.SplitN(b, []byte("\n"), 6)
	if len(lines) > 5 {
		lines = lines[:5]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
