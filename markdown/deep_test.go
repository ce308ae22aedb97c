package markdown

import (
	"strings"
	"testing"
)

// deepInputs are nesting attacks: 10,000 nested block quotes and 10,000
// nested list levels on one line, and staircases of nested lists and
// quotes over many lines.
func deepInputs() map[string][]byte {
	var stairs, quotes strings.Builder
	for i := 0; i < 2000; i++ {
		stairs.WriteString(strings.Repeat("  ", i) + "- 项目\n")
		quotes.WriteString(strings.Repeat("> ", i) + "引用\n")
	}
	return map[string][]byte{
		"quotes":       []byte(strings.Repeat(">", 10000) + " 深处的文字\n"),
		"lists":        []byte(strings.Repeat("- ", 10000) + "深\n"),
		"ordered":      []byte(strings.Repeat("1. ", 10000) + "深\n"),
		"mixed":        []byte(strings.Repeat("> - ", 5000) + "深\n继续\n"),
		"list-stairs":  []byte(stairs.String()),
		"quote-stairs": []byte(quotes.String()),
	}
}

func TestDeepNesting(t *testing.T) {
	for name, src := range deepInputs() {
		t.Run(name, func(t *testing.T) {
			d := roundTrip(t, src)
			for _, s := range d.Segments {
				if s.Line > 0 && strings.Contains(s.Text, "深") {
					t.Errorf("content nested deeper than MaxDepth was cut as segment %q", s.Text)
				}
			}
		})
	}
}

// TestIndentedBlankLine checks that a blank line indented past MaxDepth
// levels still separates paragraphs.
func TestIndentedBlankLine(t *testing.T) {
	d := roundTrip(t, []byte("第一段\n"+strings.Repeat(" ", 300)+"\n第二段\n"))
	if len(d.Segments) != 2 {
		t.Errorf("%d segments, want 2: %+v", len(d.Segments), d.Segments)
	}
}

// TestBracketRuns checks inputs that make naive bracket matching quadratic.
func TestBracketRuns(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("[[", 20000) + "字\n",
		strings.Repeat("[", 20000) + "字" + strings.Repeat("]", 20000) + "\n",
		strings.Repeat("*a ", 30000) + "\n",
		strings.Repeat("`", 20000) + "字\n",
	} {
		roundTrip(t, []byte(src))
	}
}
