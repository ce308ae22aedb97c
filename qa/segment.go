package qa

import (
	"fmt"
	"slices"

	"github.com/diglot/diglot/markdown"
	"golang.org/x/text/language"
)

// Pair is one segment and its translation, both in the neutral form of
// package tags.
type Pair struct {
	Source, Target string
	// Line is the 1-based line findings on this pair point at: the
	// target's line in the file being checked (0 when unknown).
	Line int
	// SegIndex is the segment's index in its document; findings carry it.
	SegIndex int
	// Tags are the source segment's tags (markdown.Segment.Tags). They are
	// optional: with them, the URLs behind link, image and autolink tags are
	// checked too.
	Tags []markdown.Tag
	// TargetTags are the target's own tags when it was parsed from a
	// document and its tags could not be renumbered to the source's; nil
	// means Tags.
	TargetTags []markdown.Tag
}

// CheckSegment runs the segment checks on one pair: missing (an empty
// target; when it fires nothing else is checked), tags, numbers,
// untranslated, leaked, length, glossary and urls, in that order, skipping
// those cfg disables. Findings carry p.SegIndex and p.Line.
func CheckSegment(cfg *Config, srcLang, tgtLang language.Tag, p Pair) []Finding {
	var fs []Finding
	run := func(kind string, check func() []Finding) {
		if cfg.Enabled(kind) {
			fs = append(fs, check()...)
		}
	}
	if isMissing(p) {
		run(KindMissing, func() []Finding { return checkMissing(p.Source, p.Target) })
		return located(fs, p)
	}
	run(KindTags, func() []Finding { return checkTags(p.Source, p.Target) })
	run(KindNumbers, func() []Finding { return checkNumbers(p.Source, p.Target) })
	run(KindUntranslated, func() []Finding { return checkUntranslated(srcLang, tgtLang, p.Source, p.Target) })
	run(KindLeaked, func() []Finding { return checkLeaked(p.Source, p.Target) })
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind == KindUntranslated }) {
		run(KindLength, func() []Finding { return checkLength(cfg, srcLang, tgtLang, p.Source, p.Target) })
	}
	run(KindGlossary, func() []Finding { return checkGlossary(cfg, p.Source, p.Target) })
	run(KindURLs, func() []Finding { return checkURLs(p.Source, p.Target, p.Tags, p.TargetTags) })
	return located(fs, p)
}

// isMissing reports whether p's target has no text while its source has
// letters.
func isMissing(p Pair) bool { return len(checkMissing(p.Source, p.Target)) > 0 }

func located(fs []Finding, p Pair) []Finding {
	for i := range fs {
		fs[i].Segment, fs[i].Line = p.SegIndex, p.Line
	}
	return fs
}

// CheckPairs runs CheckSegment on each pair of a document, in order, and
// the check that needs neighbours: a target left empty right after a
// target that seems to hold both translations (see merged) is reported
// once, as "merged" on the fuller target, instead of "missing" on the
// empty one; the fuller target's length warning is then dropped too.
func CheckPairs(cfg *Config, srcLang, tgtLang language.Tag, pairs []Pair) []Finding {
	per := make([][]Finding, len(pairs))
	for i, p := range pairs {
		per[i] = CheckSegment(cfg, srcLang, tgtLang, p)
	}
	if cfg.Enabled(KindMerged) {
		expect := typicalRatio(srcLang, tgtLang, pairs)
		for i := 1; i < len(pairs); i++ {
			a, b := pairs[i-1], pairs[i]
			if !isMissing(b) || isMissing(a) || !merged(expect, a, b) {
				continue
			}
			per[i] = slices.DeleteFunc(per[i], func(f Finding) bool { return f.Kind == KindMissing })
			per[i-1] = slices.DeleteFunc(per[i-1], func(f Finding) bool { return f.Kind == KindLength })
			per[i-1] = append(per[i-1], Finding{Segment: a.SegIndex, Line: a.Line, Kind: KindMerged,
				Severity: Error, Message: fmt.Sprintf("the target seems to hold the translation of the next segment (%d), whose target is empty", b.SegIndex)})
		}
	}
	var fs []Finding
	for _, f := range per {
		fs = append(fs, f...)
	}
	return fs
}
