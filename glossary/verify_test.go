package glossary

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tags"
)

func TestVerify(t *testing.T) {
	g := testGlossary(t)
	tests := []struct {
		name, source, target string
		want                 []string
	}{
		{"ok", "美国总统在北京", "The US President in Beijing", nil},
		{"case-insensitive", "在北京", "in BEIJING", nil},
		{"plural s", "美国总统们", "US Presidents", nil},
		{"plural es", "总统", "the Presidentes", nil},
		{"possessive", "北京的", "Beijing's and Beijing’s", nil},
		{"plural possessive", "总统的", "the Presidents' houses", nil},
		{"missing", "在北京", "in the capital", []string{`term 北京: "Beijing" missing from the translation`}},
		{"word boundary", "在北京", "in Beijingtown", []string{`term 北京: "Beijing" missing from the translation`}},
		{"not a plural", "总统", "Presidential", []string{`term 总统: "President" missing from the translation`}},
		{"forbidden", "在北京", "in Beijing, once Peking", []string{`term 北京: forbidden "Peking" used (want "Beijing")`}},
		{"forbidden both", "在北京", "in PEKING's streets", []string{
			`term 北京: "Beijing" missing from the translation`,
			`term 北京: forbidden "PEKING" used (want "Beijing")`,
		}},
		{"forbidden inside a required target", "北京大学在北京", "Peking University is in Beijing", nil},
		{"forbidden word boundary", "在北京", "Beijing, Pekingese dogs", nil},
		{"one occurrence is enough", "北京和北京", "Beijing and the city", nil},
		{"keep verbatim", "看GTV和nato", "watch GTV and nato", nil},
		{"keep case matters", "看GTV", "watch Gtv", []string{`term GTV: "GTV" must stay as written`}},
		{"keep alias spelling", "看NATO和nato", "NATO", []string{`term NATO: "nato" must stay as written`}},
		{"tags", "美国总统在北京", "The <g1>US President</g1><x2/>in<x3/>Beijing", nil},
		{"nothing matched", "你好", "hello", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range g.CheckPair(tt.source, tt.target) {
				got = append(got, v.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckPair(%q, %q) (-want +got):\n%s", tt.source, tt.target, diff)
			}
		})
	}
}

func TestStats(t *testing.T) {
	g := testGlossary(t)
	var s Stats
	pairs := [][2]string{
		{"北京和北京", "Beijing and Beijing"},
		{"北京", "Peking"},
		{"美国总统", "US President"},
		{"你好", "hello"},
	}
	var wg sync.WaitGroup
	for _, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ms := g.Match(p[0])
			s.Add(ms, Verify(p[1], ms))
		}()
	}
	wg.Wait()
	got := s.Report()
	want := StatsReport{
		Occurrences: 4, Applied: 3, Violated: 1, Compliance: 75,
		Terms: []TermStats{
			{Term: "北京", Target: "Beijing", Occurrences: 3, Applied: 2, Violated: 1},
			{Term: "美国总统", Target: "US President", Occurrences: 1, Applied: 1},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Report (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"occurrences":4,"applied":3,"violated":1,"compliance_percent":75,"terms":[{"term":"北京","target":"Beijing","occurrences":3,"applied":2,"violated":1},{"term":"美国总统","target":"US President","occurrences":1,"applied":1,"violated":0}]}`
	if string(b) != wantJSON {
		t.Errorf("json = %s\nwant %s", b, wantJSON)
	}
	var empty Stats
	if r := empty.Report(); r.Compliance != 100 || r.Terms == nil {
		t.Errorf("empty Report = %+v, want 100%% and an empty list", r)
	}
}

// garble is a stand-in for an engine without glossary support: it keeps
// tags and replaces every letter of the text with one that spells nothing,
// so any term that survives must have been carried by protection.
func garble(s string) string {
	var b strings.Builder
	for _, tok := range tags.Parse(s) {
		if tok.Kind != tags.Text {
			b.WriteString(tok.Text)
			continue
		}
		for _, r := range tok.Text {
			if unicode.IsLetter(r) {
				b.WriteRune('ẋ')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// TestComplianceWithProtection is the end-to-end proof for engines without
// glossary support: over the real corpus, protecting every term, garbling
// the rest and restoring gives 100% compliance, where the unprotected
// garble gives (almost) none.
func TestComplianceWithProtection(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpus/*.md")
	if len(files) == 0 {
		t.Skip("corpus not found at ../../shared/corpus")
	}
	g, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var protected, bare Stats
	segments := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for seg := range strings.SplitSeq(string(data), "\n") {
			ms := g.Match(seg)
			if len(ms) == 0 {
				continue
			}
			segments++
			p, restore := Protect(seg, ms, ProtectAll)
			out := Unprotect(garble(p), restore)
			if err := tags.Check(seg, out); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			vs := Verify(out, ms)
			for _, v := range vs {
				t.Errorf("%s: %v in %q", filepath.Base(f), v, out)
			}
			protected.Add(ms, vs)
			bare.Add(ms, Verify(garble(seg), ms))
		}
	}
	r := protected.Report()
	if r.Occurrences < 1000 || r.Compliance != 100 {
		t.Errorf("protected: %d occurrences in %d segments, compliance %.2f%%, want 100%%", r.Occurrences, segments, r.Compliance)
	}
	if b := bare.Report(); b.Compliance > 10 {
		t.Errorf("unprotected garble: compliance %.2f%%, want near 0 (the test would prove nothing)", b.Compliance)
	}
	t.Logf("%d segments, %d term occurrences, %d terms: %.1f%% with protection, %.1f%% without",
		segments, r.Occurrences, len(r.Terms), r.Compliance, bare.Report().Compliance)
}

// TestVerifyAcrossAdjacentLinks: the end of one link and the start of the
// next separate words; "[… Gettr](x)[Miles Guo …](y)" is not "GettrMiles".
func TestVerifyAcrossAdjacentLinks(t *testing.T) {
	g, err := New([]Entry{
		{Source: "GETTR", Target: "GETTR", Mode: Keep},
		{Source: "郭文贵", Target: "Miles Guo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	src := "<g1>官方 <g2>Gettr</g2></g1><g3><g4>郭文贵</g4></g3>"
	tgt := "<g1>official <g2>Gettr</g2></g1><g3><g4>Miles Guo</g4></g3>"
	if vs := g.CheckPair(src, tgt); len(vs) != 0 {
		t.Errorf("CheckPair found %v, want none", vs)
	}
}
