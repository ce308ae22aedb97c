package out

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/diglot/diglot/markdown"
)

// TestHugoTitle checks the title a page without front matter gets: its
// heading's text as a reader sees it, read back from the page's YAML.
func TestHugoTitle(t *testing.T) {
	tests := []struct{ name, heading, want string }{
		{"escapes resolved", `## 1986. AT&T says \*not emphasis\* \<b> and a\_b\_c`, "1986. AT&T says *not emphasis* <b> and a_b_c"},
		{"wiki span with a label", "## Protests in [[zh:香港|ppinzzi]]", "Protests in ppinzzi"},
		{"wiki span without a label", "## [[Foo]] and [[zh:香港]]", "Foo and 香港"},
		{"wiki span in emphasis", "## *[[a|b]]* c", "b c"},
		{"escaped wiki span", `## \[[a|b]]`, "[[a|b]]"},
		{"entities", "## &amp; &copy; &#35; &#x41; &#0; &nosuch; &amp", "& © # A \uFFFD &nosuch; &amp"},
		{"an escaped entity", `## \&amp; &#92;*`, `&amp; \*`},
		{"emphasis, links and code", "## `a\\*b` [链接](a.md \"题\") **强** ~~删~~", `a\*b 链接 强 删`},
		{"autolinks", "## See <https://x.org/a_b> and https://y.org", "See https://x.org/a_b and https://y.org"},
		{"raw HTML and an image", "## a <b>b</b> ![图](p.png)", "a b 图"},
		{"a backslash before nothing to escape", `## a \ b \中 c\`, `a \ b \中 c\`},
		{"quotes and colons", `## "A": 'b' # c`, `"A": 'b' # c`},
		{"setext over two lines", "Line *one*\nline two\n===", "Line one line two"},
		{"a hard break", "a\\\nb\n===", "a b"},
		{"tag look-alike", `## \<x1/> a`, "<x1/> a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := markdown.Parse([]byte(tt.heading+"\n\n正文。\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := headingTitle(doc); got != tt.want {
				t.Errorf("headingTitle(%q) = %q, want %q", tt.heading, got, tt.want)
			}
			page, _, err := hugoPage(doc, nil, "k", nil)
			if err != nil {
				t.Fatal(err)
			}
			fm, ok := hugoFrontMatter(page)
			if !ok {
				t.Fatalf("no front matter in %q", page)
			}
			var m struct{ Title string }
			if err := yaml.Unmarshal(fm, &m); err != nil || m.Title != tt.want {
				t.Errorf("title read back from %q: %q, %v; want %q", fm, m.Title, err, tt.want)
			}
		})
	}
}

func TestResolveInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{`a\*b\\c\d`, `a*b\c\d`},
		{`\`, `\`},
		{"&lt;&gt;&quot;&ouml;&ngE;", "<>\"ö≧̸"},
		{"&#1234567; &#12345678; &#xD800; &#x110000; &#x; &#;", "\uFFFD &#12345678; \uFFFD \uFFFD &#x; &#;"},
		{"&ampx; &amp &a&amp;", "&ampx; &amp &a&"},
		{`\&amp; &#38;amp;`, "&amp; &amp;"},
	}
	for _, tt := range tests {
		if got := resolveInline(tt.in); got != tt.want {
			t.Errorf("resolveInline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
