package qa

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The corpus paragraphs of 1176351.md, translated; the engine faults below
// are the ones LLM translators produce.
var (
	para1 = goodPairs[0]
	para2 = goodPairs[1]
	para3 = goodPairs[2]
)

func TestCheckPairs(t *testing.T) {
	pairs := func(tgts ...string) []Pair {
		srcs := []string{para1.src, para2.src, para3.src}
		var ps []Pair
		for i, tgt := range tgts {
			ps = append(ps, Pair{Source: srcs[i], Target: tgt, SegIndex: i, Line: 10 + 2*i})
		}
		return ps
	}
	tests := []struct {
		name  string
		cfg   *Config
		pairs []Pair
		want  []Finding
	}{
		{"all good", nil, pairs(para1.tgt, para2.tgt, para3.tgt), nil},
		{"missing", nil, pairs(para1.tgt, "", para3.tgt),
			[]Finding{{Segment: 1, Line: 12, Kind: KindMissing, Severity: Error, Message: "the target is empty"}}},
		{"merged", nil, pairs(para1.tgt, para2.tgt+" "+para3.tgt, ""),
			[]Finding{{Segment: 1, Line: 12, Kind: KindMerged, Severity: Error,
				Message: "the target seems to hold the translation of the next segment (2), whose target is empty"}}},
		{"merged disabled reports missing", &Config{Disable: []string{KindMerged}}, pairs(para1.tgt, para2.tgt+" "+para3.tgt, ""),
			[]Finding{{Segment: 2, Line: 14, Kind: KindMissing, Severity: Error, Message: "the target is empty"}}},
		{"short target before empty one is not merged", nil, pairs(para1.tgt, "Edward Fox said goods worth $60 million are under investigation.", ""),
			[]Finding{
				{Segment: 1, Line: 12, Kind: KindLength, Severity: Warning, Message: "target/source length ratio 0.93 is outside [1.50, 6.00]"},
				{Segment: 2, Line: 14, Kind: KindMissing, Severity: Error, Message: "the target is empty"},
			}},
		{"everything disabled", &Config{Disable: Kinds()}, pairs("", para1.src, ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckPairs(tt.cfg, zh, en, tt.pairs)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckPairs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckSegmentOrderAndLocation(t *testing.T) {
	p := Pair{Source: "被扣押的货物中已有三分之一<x1/>被放行，价值6000万美元。",
		Target: "Here is the translation: 被扣押的货物中已有三分之一被放行，价值6000万美元。", Line: 9, SegIndex: 4}
	got := CheckSegment(nil, zh, en, p)
	want := []Finding{
		{Segment: 4, Line: 9, Kind: KindTags, Severity: Error, Message: "missing <x1/>"},
		{Segment: 4, Line: 9, Kind: KindUntranslated, Severity: Error, Message: "the target is mostly in the source script (76% of its text)"},
		{Segment: 4, Line: 9, Kind: KindLeaked, Severity: Error, Message: `preamble "Here is the translation"`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckSegment (-want +got):\n%s", diff)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  *Config
		want error
	}{
		{nil, nil},
		{&Config{Disable: []string{"numbers", "length"}}, nil},
		{&Config{Disable: []string{"number"}}, ErrUnknownCheck},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); !errors.Is(err, tt.want) {
			t.Errorf("Validate(%+v) = %v, want %v", tt.cfg, err, tt.want)
		}
	}
	if err := (&Config{LengthMin: 3, LengthMax: 2}).Validate(); err == nil {
		t.Errorf("Validate with min > max = nil, want an error")
	}
}

func TestFlagsHasErrorsFormat(t *testing.T) {
	fs := []Finding{
		{Segment: 3, Line: 12, Kind: KindUntranslated, Severity: Error, Message: "the target repeats the source"},
		{Segment: 1, Line: 7, Kind: KindNumbers, Severity: Warning, Message: `number "三" is not in the target`},
		{Segment: 3, Line: 12, Kind: KindNumbers, Severity: Error, Message: `number "2027" is not in the target`},
		{Segment: NoSegment, Kind: KindURLs, Severity: Error, Message: "url https://x.org/a is not in the target"},
	}
	if diff := cmp.Diff([]string{"numbers", "untranslated", "urls"}, Flags(fs)); diff != "" {
		t.Errorf("Flags (-want +got):\n%s", diff)
	}
	if Flags(nil) != nil {
		t.Errorf("Flags(nil) = %v, want nil", Flags(nil))
	}
	if !HasErrors(fs) || HasErrors(fs[1:2]) {
		t.Errorf("HasErrors wrong")
	}
	var lines []string
	Sort(fs)
	for _, f := range fs {
		lines = append(lines, Format("out/a.md", f))
	}
	want := []string{
		"out/a.md: urls: url https://x.org/a is not in the target",
		`out/a.md:7: numbers: number "三" is not in the target (warning)`,
		`out/a.md:12: numbers: number "2027" is not in the target`,
		"out/a.md:12: untranslated: the target repeats the source",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("Format (-want +got):\n%s", diff)
	}
}
