package xliff

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tags"
)

// Applied says what Apply did to a bilingual file.
type Applied struct {
	// Changed lists the units (marker ids) whose target block was
	// replaced by the XLIFF's target.
	Changed []int
	// Approved lists the units now marked reviewed: those changed, and
	// those whose every segment is final in the XLIFF.
	Approved []int
	// Skipped says, one line each ("file:line: why"), which XLIFF units
	// were left out: a unit whose source block is no longer in the file,
	// or whose target was edited in the file since the export.
	Skipped []string
}

// ApplyError is why a <file> could not be applied to its bilingual file,
// which is then left as it was. Each problem names the bilingual file's
// line and the XLIFF's.
type ApplyError struct {
	File     string   // the bilingual file
	Problems []string // one line each, "file:line: unit N (xliff:line): why"
}

// Error lists the problems, one per line.
func (e *ApplyError) Error() string {
	return strings.Join(e.Problems, "\n")
}

// Is makes errors.Is(err, ErrApply) true for every *ApplyError.
func (e *ApplyError) Is(target error) bool { return target == ErrApply }

// Apply applies the targets of xf, one <file> of a document read by Parse
// (xliffName names it in messages), to the bilingual file data named
// name, and returns the new bytes of the file.
//
// Units are matched by id. A target that differs from the unit's (white
// space aside) becomes the unit's new target block: assembled on the
// source block's skeleton and spliced in place of the old one, so every
// byte outside it is kept. A changed unit, and one whose every segment is
// final, is marked state=reviewed (dropping a failed flag). The result is
// read back with the bilingual reader's rules: a target that breaks the
// structure, a code lost or invented, a resegmented unit, or a new or
// failed unit translated only in part fails the whole file with an
// [*ApplyError] naming both files' lines, and nothing of it is applied.
// A unit whose source block is gone, or whose target was edited in the
// file since the export (the mda target hash says so), is skipped and
// reported in Applied.Skipped. A file that does not read as a bilingual
// file fails with the reader's error (an *out.ParseError).
func Apply(name string, data []byte, xliffName string, xf *File, opts *Options) ([]byte, *Applied, error) {
	f, err := readBilingual(name, data, opts)
	if err != nil {
		return nil, nil, err
	}
	if !samePair(xf, f.Header) {
		return nil, nil, &ApplyError{File: name, Problems: []string{fmt.Sprintf("%s: the XLIFF (%s) is %s→%s, the file %s→%s",
			name, xliffName, xf.SrcLang, xf.TrgLang, f.Header.Source, f.Header.Target)}}
	}
	a := &applier{name: name, xname: xliffName, data: data, f: f, lines: lineStarts(data), res: &Applied{}, opts: opts}
	byID := map[string]int{}
	for i, id := range unitIDs(f) {
		byID[id] = i
	}
	targets := f.Targets()
	seen := map[string]int{} // unit id -> XLIFF line
	for i := range xf.Units {
		xu := &xf.Units[i]
		ui, ok := byID[xu.ID]
		if line, dup := seen[xu.ID]; dup {
			tline := 0
			if ok {
				tline = f.Units[ui].TargetLine
			}
			a.fail(tline, xu, xu.Line, "the unit is in the XLIFF twice (also at line %d)", line)
			continue
		}
		seen[xu.ID] = xu.Line
		if !ok {
			if hasContent(xu) {
				a.skip(0, xu, "not in the file (its source block changed or was removed since the export): export again")
			}
			continue
		}
		a.unit(&f.Units[ui], xu, targets)
	}
	if len(a.problems) > 0 {
		return nil, nil, &ApplyError{File: name, Problems: a.problems}
	}
	if len(a.edits) == 0 {
		return data, a.res, nil
	}
	next := a.splice()
	if err := a.check(next); err != nil {
		return nil, nil, err
	}
	return next, a.res, nil
}

// samePair reports whether the XLIFF's languages are the bilingual file's,
// regions aside (a tool may write en-US for en), scripts not (zh-Hant is
// not zh-Hans). Missing languages are not checked.
func samePair(xf *File, h out.Header) bool {
	same := func(a, b string) bool { return a == "" || b == "" || lang.SameWriting(a, b) }
	return same(xf.SrcLang, h.Source) && same(xf.TrgLang, h.Target)
}

// hasContent reports whether an XLIFF unit carries any target.
func hasContent(xu *Unit) bool {
	for _, s := range xu.Segments {
		if s.HasTarget {
			return true
		}
	}
	return false
}

type applier struct {
	name, xname string
	data        []byte
	f           *out.File
	lines       []int
	res         *Applied
	opts        *Options
	problems    []string
	edits       []edit
}

// edit replaces data[start:end] with repl.
type edit struct {
	start, end int
	repl       []byte
	unit       *out.Unit
	target     bool // a target block, not a marker line
}

func (a *applier) where(line int, xu *Unit, xline int) string {
	s := a.name
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	if xu != nil {
		s += fmt.Sprintf(": unit %s (%s:%d)", xu.ID, a.xname, xline)
	}
	return s
}

func (a *applier) fail(line int, xu *Unit, xline int, format string, args ...any) {
	a.problems = append(a.problems, a.where(line, xu, xline)+": "+fmt.Sprintf(format, args...))
}

func (a *applier) skip(line int, xu *Unit, format string, args ...any) {
	a.res.Skipped = append(a.res.Skipped, a.where(line, xu, xu.Line)+": skipped: "+fmt.Sprintf(format, args...))
}

// unit works out what one XLIFF unit does to bilingual unit u.
func (a *applier) unit(u *out.Unit, xu *Unit, targets []string) {
	f := a.f
	segs := f.Source.Blocks[u.Block].Segments
	xsegs, err := matchSegments(xu.Segments, len(segs))
	if err != nil {
		a.fail(u.TargetLine, xu, xu.Line, "%v", err)
		return
	}
	byID, _ := unitCodes(f, u)
	state := effectiveState(u)
	texts := make([]string, len(segs))
	changed, allFinal, missing := false, true, 0
	for k, xs := range xsegs {
		allFinal = allFinal && xs.State == StateFinal
		texts[k] = u.Targets[k]
		if !xs.HasTarget {
			missing++
			continue
		}
		src := f.Source.Segments[segs[k]]
		t, err := toNeutral(xs.Target, k, byID)
		if err == nil {
			err = checkTags(src, t)
		}
		if err != nil {
			a.fail(u.TargetLine, xu, xs.TargetLine, "segment %d: %v", k+1, err)
			continue
		}
		if markdown.Normalize(t) != markdown.Normalize(u.Targets[k]) {
			changed = true
			texts[k] = t
		}
	}
	partial := missing > 0 && !hasTarget(state)
	switch {
	case !changed && !allFinal:
		return
	case partial && (changed || allFinal):
		a.fail(u.TargetLine, xu, xu.Line, "%d of %d segments have no target: a %s unit's slot holds the source, so translate every segment of it or none", missing, len(segs), state)
		return
	case changed && xu.Meta[MetaTarget] != "" && xu.Meta[MetaTarget] != out.Hash(u.TargetBytes):
		a.skip(u.TargetLine, xu, "its target was edited in the bilingual file since the export; that edit is kept (export again to see it)")
		return
	}
	if changed {
		for k, si := range segs {
			targets[si] = texts[k]
		}
		block, err := f.Source.AssembleBlock(u.Block, targets)
		if err != nil {
			a.fail(u.TargetLine, xu, xu.Line, "assemble the target: %v", err)
			return
		}
		start := a.offset(u.TargetLine)
		if start < 0 || !bytes.HasPrefix(a.data[start:], u.TargetBytes) {
			a.fail(u.TargetLine, xu, xu.Line, "the target block is not where the reader found it")
			return
		}
		a.edits = append(a.edits, edit{start: start, end: start + len(u.TargetBytes),
			repl: replaceBlock(u.TargetBytes, bytes.TrimPrefix(block, []byte("\ufeff"))), unit: u, target: true})
		a.res.Changed = append(a.res.Changed, u.ID)
	}
	if state != out.StateReviewed || u.State != out.StateReviewed {
		start := a.offset(u.Line)
		line := lineAt(a.data, a.lines, u.Line)
		repl, ok := approveMarker(line)
		if start < 0 || !ok {
			a.fail(u.Line, xu, xu.Line, "the unit's marker is not where the reader found it")
			return
		}
		if repl != line {
			a.edits = append(a.edits, edit{start: start, end: start + len(line), repl: []byte(repl), unit: u})
		}
		a.res.Approved = append(a.res.Approved, u.ID)
	}
}

// offset returns the offset of 1-based line n, or -1.
func (a *applier) offset(n int) int {
	if n < 1 || n > len(a.lines) {
		return -1
	}
	return a.lines[n-1]
}

// splice applies the edits to a copy of the data.
func (a *applier) splice() []byte {
	slices.SortFunc(a.edits, func(x, y edit) int { return x.start - y.start })
	var b bytes.Buffer
	b.Grow(len(a.data))
	pos := 0
	for i := range a.edits {
		e := &a.edits[i]
		b.Write(a.data[pos:e.start])
		// Remember where the edit lands, to name the unit of a line
		// the reader complains about.
		e.start, pos = b.Len(), e.end
		b.Write(e.repl)
		e.end = b.Len()
	}
	b.Write(a.data[pos:])
	return b.Bytes()
}

// check reads the new file back: it must read as the old one did, with the
// approved units approved.
func (a *applier) check(next []byte) error {
	f2, err := readBilingual(a.name, next, a.opts)
	if err == nil && len(f2.Units) != len(a.f.Units) {
		err = fmt.Errorf("it reads back with %d units instead of %d", len(f2.Units), len(a.f.Units))
	}
	if err != nil {
		// Name the unit whose new target holds the line the reader
		// complains about, at its line in the file as it is.
		msg := err.Error()
		var pe *out.ParseError
		if errors.As(err, &pe) && pe.Line > 0 {
			off := lineStarts(next)[min(pe.Line, len(lineStarts(next)))-1]
			for _, e := range a.edits {
				if e.target && off >= e.start && off <= e.end {
					return &ApplyError{File: a.name, Problems: []string{fmt.Sprintf("%s:%d: unit %d: the new target does not read back: %s",
						a.name, e.unit.TargetLine, e.unit.ID, pe.Msg)}}
				}
			}
		}
		return &ApplyError{File: a.name, Problems: []string{fmt.Sprintf("%s: the file with the new targets does not read back: %s", a.name, msg)}}
	}
	for _, id := range a.res.Approved {
		if u := &f2.Units[id-1]; !u.Approved() {
			return &ApplyError{File: a.name, Problems: []string{fmt.Sprintf("%s:%d: unit %d is not reviewed after the import", a.name, u.Line, id)}}
		}
	}
	return nil
}

// segRef matches the segment ids Export writes.
var segRef = regexp.MustCompile(`^s([1-9][0-9]{0,5})$`)

// matchSegments orders the XLIFF segments of a unit like the source
// block's n segments: by their ids s1…sN when they are all there (a tool
// may reorder elements), else in document order.
func matchSegments(xs []Segment, n int) ([]Segment, error) {
	if len(xs) != n {
		return nil, fmt.Errorf("%d segments where the source block has %d (was the unit resegmented? diglot needs one segment per paragraph, heading or cell)", len(xs), n)
	}
	byRef := make([]Segment, n)
	seen := make([]bool, n)
	for _, s := range xs {
		m := segRef.FindStringSubmatch(s.ID)
		if m == nil {
			return xs, nil
		}
		k, _ := strconv.Atoi(m[1])
		if k > n || seen[k-1] {
			return xs, nil
		}
		byRef[k-1], seen[k-1] = s, true
	}
	return byRef, nil
}

// toNeutral converts the inline content of segment seg's target into the
// neutral form, with the source segment's tag numbers: codes are matched
// to the unit's tags by id. White space around a hard line break is
// dropped: Markdown ignores it, and the break's markup includes the
// spaces before it and the next line's indentation.
func toNeutral(content []Inline, seg int, byID map[string]code) (string, error) {
	var b strings.Builder
	afterBreak := false
	for _, in := range content {
		if in.Kind == Text {
			if tags.Has(in.Text) {
				return "", fmt.Errorf("the text %q looks like a diglot tag", firstTag(in.Text))
			}
			text := in.Text
			if afterBreak {
				text = strings.TrimLeft(text, " \t\r\n")
			}
			b.WriteString(text)
			afterBreak = afterBreak && text == ""
			continue
		}
		afterBreak = false
		c, ok := byID[in.ID]
		if !ok {
			return "", fmt.Errorf("inline code id=%q is not one of the source's (a tool renumbered or invented it)", in.ID)
		}
		if c.Seg != seg {
			return "", fmt.Errorf("inline code id=%q belongs to segment %d", in.ID, c.Seg+1)
		}
		switch {
		case in.Kind == Placeholder && !c.Tag.Paired:
			if c.Tag.Kind == markdown.BreakTag {
				trimmed := strings.TrimRight(b.String(), " \t\r\n")
				b.Reset()
				b.WriteString(trimmed)
				afterBreak = true
			}
			b.WriteString(tags.X(c.Tag.ID))
		case in.Kind == Start && c.Tag.Paired:
			b.WriteString(tags.G(c.Tag.ID))
		case in.Kind == End && c.Tag.Paired:
			b.WriteString(tags.EndG(c.Tag.ID))
		default:
			return "", fmt.Errorf("inline code id=%q stands for %s, not a %s", in.ID, describe(c.Tag), kindName(in.Kind))
		}
	}
	return strings.TrimSpace(b.String()), nil
}

func kindName(k InlineKind) string {
	switch k {
	case Placeholder:
		return "placeholder"
	case Start:
		return "paired code's start"
	}
	return "paired code's end"
}

// firstTag returns the first neutral tag in s.
func firstTag(s string) string {
	for _, t := range tags.Parse(s) {
		if t.Kind != tags.Text {
			return t.Text
		}
	}
	return s
}

// describe shows the Markdown a tag stands for.
func describe(t markdown.Tag) string {
	if t.Kind == markdown.TitleTag {
		return "a link or image title" // its quotes are its link's
	}
	if t.Paired {
		return fmt.Sprintf("%q…%q", display(t.Open), display(t.Close))
	}
	return strconv.Quote(display(t.Open))
}

// checkTags checks a target's codes against the source segment's, naming
// lost and invented ones by their Markdown. A link title or wiki span
// (markdown.Tag.Optional) may be left out whole, as a reviewer may leave
// it out of a bilingual file; half of one is lost.
func checkTags(src markdown.Segment, target string) error {
	err := tags.Check(withoutDropped(src, target), target)
	var te *tags.Error
	if !errors.As(err, &te) {
		return err
	}
	name := func(neutral string) string {
		_, id, _ := tags.Match(neutral)
		if id >= 1 && id <= len(src.Tags) {
			return describe(src.Tags[id-1])
		}
		return neutral
	}
	var parts []string
	for _, m := range te.Missing {
		parts = append(parts, "lost code "+name(m))
	}
	for _, m := range te.Extra {
		parts = append(parts, "unknown code "+m)
	}
	for _, m := range te.Repeated {
		parts = append(parts, "code "+name(m)+" twice")
	}
	if te.Nesting != "" {
		parts = append(parts, "codes badly nested at "+name(te.Nesting))
	}
	// An open and a close tag of one pair are one code.
	sort.Strings(parts)
	parts = slices.Compact(parts)
	return fmt.Errorf("%s (every code of the source must be in the target once)", strings.Join(parts, "; "))
}

// withoutDropped returns the source segment's text without the codes of
// the optional tags that target leaves out entirely.
func withoutDropped(src markdown.Segment, target string) string {
	present := map[int]bool{}
	for _, tok := range tags.Parse(target) {
		present[tok.ID] = true
	}
	dropped := map[int]bool{}
	for _, t := range src.Tags {
		if t.Optional() && !present[t.ID] {
			dropped[t.ID] = true
		}
	}
	if len(dropped) == 0 {
		return src.Text
	}
	var b strings.Builder
	for _, tok := range tags.Parse(src.Text) {
		if tok.Kind == tags.Text || !dropped[tok.ID] {
			b.WriteString(tok.Text)
		}
	}
	return b.String()
}

// replaceBlock returns block shaped to take old's place: old's trailing
// blank lines, and its final line ending or lack of one.
func replaceBlock(old, block []byte) []byte {
	core := trimBlankLines(old)
	tail := old[len(core):]
	nb := slices.Clone(trimBlankLines(block))
	switch {
	case endsLine(core) && !endsLine(nb):
		nb = append(nb, lineEnding(core)...)
	case !endsLine(core) && endsLine(nb):
		nb = bytes.TrimSuffix(bytes.TrimSuffix(nb, []byte("\n")), []byte("\r"))
	}
	return append(nb, tail...)
}

// trimBlankLines returns b up to the line ending of its last non-blank
// line (the bilingual format's notion of a block's end).
func trimBlankLines(b []byte) []byte {
	end := len(b)
	for end > 0 {
		lineEnd := end
		if b[lineEnd-1] == '\n' {
			lineEnd--
		}
		start := bytes.LastIndexByte(b[:lineEnd], '\n') + 1
		if len(bytes.Trim(b[start:end], " \t\r\n")) > 0 {
			return b[:end]
		}
		end = start
	}
	return b[:0]
}

func endsLine(b []byte) bool { return len(b) == 0 || b[len(b)-1] == '\n' }

func lineEnding(b []byte) string {
	if i := bytes.LastIndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
