package out

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarkerRoundTrip(t *testing.T) {
	tests := []struct {
		m    marker
		want string
	}{
		{marker{id: 1, src: "0123abcd", mt: "89abcdef", state: StateMachine},
			"<!-- diglot:t id=1 src=0123abcd mt=89abcdef state=machine -->"},
		{marker{id: 2, src: "0123abcd", mt: "89abcdef", state: StateMachine, by: "openai:gpt-4o-mini", flags: []string{"numbers"}},
			"<!-- diglot:t id=2 src=0123abcd mt=89abcdef state=machine by=openai:gpt-4o-mini flags=numbers -->"},
		{marker{id: 3, src: "0123abcd", mt: "89abcdef", state: StateStale, by: "openai:Qwen/Qwen3-8B"},
			"<!-- diglot:t id=3 src=0123abcd mt=89abcdef state=stale by=openai:Qwen/Qwen3-8B -->"},
		{marker{id: 4, src: "0123abcd", mt: "89abcdef", state: StateReviewed, by: "openai:my model"},
			`<!-- diglot:t id=4 src=0123abcd mt=89abcdef state=reviewed by="openai:my model" -->`},
		{marker{id: 5, src: "0123abcd", mt: "89abcdef", state: StateMachine, by: `x:a"-->b`},
			`<!-- diglot:t id=5 src=0123abcd mt=89abcdef state=machine by="x:a\"--\x3eb" -->`},
	}
	for _, tt := range tests {
		line := formatMarker(tt.m)
		if line != tt.want {
			t.Errorf("formatMarker(%+v) = %s, want %s", tt.m, line, tt.want)
		}
		if strings.Contains(line[4:len(line)-4], "-->") {
			t.Errorf("marker %s closes the comment early", line)
		}
		got, ok := parseMarker([]byte(line + "\n"))
		if !ok {
			t.Errorf("parseMarker(%s) failed", line)
			continue
		}
		if diff := cmp.Diff(tt.m, got, cmp.AllowUnexported(marker{})); diff != "" {
			t.Errorf("parseMarker(formatMarker(m)) (-want +got):\n%s", diff)
		}
	}
}

// TestReadBy checks that by= survives a read and a rewrite, and that a
// file written before it existed reads with By empty.
func TestReadBy(t *testing.T) {
	doc := mustParse(t, "# 标题\n\n段落。\n")
	units := map[int]UnitInfo{0: {By: "openai:gpt-4o-mini"}, 2: {State: StateFailed}}
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: pseudoTargets(doc), Units: units}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(bi), "state=machine by=openai:gpt-4o-mini -->") {
		t.Fatalf("no by attribute:\n%s", bi)
	}
	f, err := ReadBilingual("a.md", bi, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{f.Units[0].By, f.Units[1].By}; !cmp.Equal(got, []string{"openai:gpt-4o-mini", ""}) {
		t.Errorf("By = %q", got)
	}
	again, err := AppendBilingual(nil, f.Bilingual(), f.Format)
	if err != nil || string(again) != string(bi) {
		t.Errorf("rewrite differs (%v): %s", err, firstDiff(bi, again))
	}
}
