package review

import (
	"strings"
	"testing"
)

func TestRewriteMarker(t *testing.T) {
	tests := []struct {
		line  string
		flags []string
		want  string
	}{
		{"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=machine -->", nil,
			"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=reviewed -->"},
		{"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=machine flags=numbers,length -->", []string{"glossary"},
			"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=reviewed flags=glossary -->"},
		{"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=failed flags=failed -->", nil,
			"<!-- diglot:t id=2 src=5f1c09a2 mt=0be4d871 state=reviewed -->"},
		// Attributes of later versions are kept where they are, quoted
		// values whole; trailing spaces an editor left stay too.
		{`<!-- diglot:t id=3 src=5f1c09a2 mt=0be4d871 state=machine by=openai:gpt-4o-mini note="a b" -->  `, []string{"numbers"},
			`<!-- diglot:t id=3 src=5f1c09a2 mt=0be4d871 state=reviewed flags=numbers by=openai:gpt-4o-mini note="a b" -->  `},
		{"<!-- diglot:t id=4 state=stale src=5f1c09a2 mt=0be4d871 -->", nil,
			"<!-- diglot:t id=4 src=5f1c09a2 mt=0be4d871 state=reviewed -->"},
	}
	for _, tt := range tests {
		got, err := rewriteMarker(tt.line, tt.flags)
		if err != nil || got != tt.want {
			t.Errorf("rewriteMarker(%q, %v) = %q, %v; want %q", tt.line, tt.flags, got, err, tt.want)
		}
	}
	for _, bad := range []string{"<!-- diglot:previous id=1 -->", "text", `<!-- diglot:t id=1 note="open -->`} {
		if _, err := rewriteMarker(bad, nil); err == nil {
			t.Errorf("rewriteMarker(%q) succeeded", bad)
		}
	}
}

func TestNormalizeTarget(t *testing.T) {
	tests := []struct{ in, old, want string }{
		{"New text\r\n", "Old\n", "New text\n"},
		{"New\r\nlines  \r\n\r\n", "Old\r\nblock\r\n", "New\r\nlines\r\n"},
		{"At the end\n", "Old, no final newline", "At the end"},
		{"a\rb", "x\n", "a\nb\n"},
	}
	for _, tt := range tests {
		if got := string(normalizeTarget([]byte(tt.in), []byte(tt.old))); got != tt.want {
			t.Errorf("normalizeTarget(%q, %q) = %q, want %q", tt.in, tt.old, got, tt.want)
		}
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"The summit lasted four hours.", "The summit lasted 4 hours.", "The summit lasted <del>four</del><ins>4</ins> hours."},
		{"same", "same", "same"},
		{"", "new", "<ins>new</ins>"},
		{"美国总统拜登", "美国总统普京", "美国总统<del>拜登</del><ins>普京</ins>"},
		{"a <b>", "a <i>", "a &lt;<del>b</del><ins>i</ins>&gt;"},
	}
	for _, tt := range tests {
		if got := string(diffHTML(tt.a, tt.b)); got != tt.want {
			t.Errorf("diffHTML(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
	// Every diff rebuilds both texts.
	a, b := "one two three four five", "zero two four six five"
	var old, cur strings.Builder
	for _, op := range wordDiff(a, b) {
		if op.kind != '+' {
			old.WriteString(op.text)
		}
		if op.kind != '-' {
			cur.WriteString(op.text)
		}
	}
	if old.String() != a || cur.String() != b {
		t.Errorf("diff does not rebuild its texts: %q, %q", old.String(), cur.String())
	}
}

func TestFindMarks(t *testing.T) {
	got := renderRaw([]byte("Biden met biden's aide in Beijing <b>"), []mark{{"Biden", "term"}, {"Beijing", "forbidden"}})
	want := `<mark class="term">Biden</mark> met <mark class="term">biden</mark>&#39;s aide in <mark class="forbidden">Beijing</mark> &lt;b&gt;`
	if string(got) != want {
		t.Errorf("renderRaw = %q, want %q", got, want)
	}
	// Highlights inside rendered Markdown never break its structure.
	html := string(renderMarkdown([]byte("**拜登**和[普京](https://example.org/拜登)会面。\n"), []mark{{"拜登", "term"}, {"普京", "term"}}))
	for _, w := range []string{`<strong><mark class="term">拜登</mark></strong>`, `<a href="https://example.org/%E6%8B%9C%E7%99%BB"><mark class="term">普京</mark></a>`} {
		if !strings.Contains(html, w) {
			t.Errorf("renderMarkdown = %s, lacks %s", html, w)
		}
	}
}
