package qa

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says how bad a finding is.
type Severity string

// The severities of a finding. Errors fail a strict run; warnings are only
// reported and flagged.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// The kinds of finding, one per check. They are also the names that
// Config.Disable takes and the flags of a bilingual marker.
const (
	KindStructure    = "structure"    // block tree, headings, lists, tables, code, links (markdown.Compare)
	KindTags         = "tags"         // a tag lost, repeated, invented or badly nested
	KindNumbers      = "numbers"      // a number of the source not found in the target
	KindUntranslated = "untranslated" // the target echoes the source or is still in the source script
	KindMissing      = "missing"      // the target of a segment with text is empty
	KindMerged       = "merged"       // a target seems to hold its next segment's translation too
	KindLeaked       = "leaked"       // reasoning, a preamble, a note or a refusal from the model
	KindLength       = "length"       // target/source length ratio outside the bounds
	KindGlossary     = "glossary"     // a glossary violation (from Config.Glossary)
	KindURLs         = "urls"         // a URL of the source absent from the target, or a link it became
	// KindState is a unit still stale or failed in a bilingual file: not a
	// check of package qa (which sees no states) but of whoever reads the
	// file, such as pipeline.Check; Config.Disable switches it off too.
	KindState = "state"
)

// Kinds returns every kind of finding, in the order the checks run.
func Kinds() []string {
	return []string{KindStructure, KindTags, KindNumbers, KindUntranslated, KindMissing,
		KindMerged, KindLeaked, KindLength, KindGlossary, KindURLs, KindState}
}

// NoSegment is Finding.Segment for a finding that belongs to no segment
// (a structure difference, a URL lost from the skeleton).
const NoSegment = -1

// Finding is one problem a check found. Findings are data: they are
// collected per document and reported together, never returned as errors.
type Finding struct {
	Segment  int      `json:"segment"`        // index of the segment (Pair.SegIndex), or NoSegment
	Line     int      `json:"line,omitempty"` // 1-based line the finding points at (see the package doc); 0 when unknown
	Kind     string   `json:"kind"`           // one of the Kind constants
	Message  string   `json:"message"`        // lowercase, no trailing period
	Severity Severity `json:"severity"`       // Error or Warning
}

// Flags returns the sorted, distinct kinds of findings, as the bilingual
// marker lists them (flags=numbers,untranslated). It returns nil for no
// findings.
func Flags(findings []Finding) []string {
	var kinds []string
	for _, f := range findings {
		kinds = append(kinds, f.Kind)
	}
	slices.Sort(kinds)
	return slices.Compact(kinds)
}

// HasErrors reports whether any finding has severity Error: what fails a
// strict run and `diglot check`.
func HasErrors(findings []Finding) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool { return f.Severity == Error })
}

// Format returns the finding as one diagnostic line, "file:line: kind:
// message", leaving out the line when it is unknown. A warning ends in
// " (warning)", so that the kind stays a fixed token to search for.
func Format(file string, f Finding) string {
	msg := f.Message
	if f.Severity == Warning {
		msg += " (warning)"
	}
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", file, f.Line, f.Kind, msg)
	}
	return fmt.Sprintf("%s: %s: %s", file, f.Kind, msg)
}

// Sort orders findings by line, then segment, then the order of Kinds,
// keeping the order of equal findings. Check returns them sorted.
func Sort(findings []Finding) {
	rank := map[string]int{}
	for i, k := range Kinds() {
		rank[k] = i
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Segment, b.Segment),
			cmp.Compare(rank[a.Kind], rank[b.Kind]))
	})
}
