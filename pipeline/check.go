package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/qa"
)

// CheckOptions configure Check. A nil *CheckOptions means the defaults.
type CheckOptions struct {
	// QA configures the checks; nil means every check with its defaults.
	QA *qa.Config
	// Strict makes a file with warnings only need attention too (errors
	// always do).
	Strict bool
	// Format is what the bilingual files were written for: the language
	// pair (empty: any) and the markdown options (see out.ReadBilingual).
	Format out.Format
	// MaxFileSize bounds the sources the files were made from; zero means
	// DefaultMaxFileSize (see ReadBilingualFile).
	MaxFileSize int64
	// Findings, when set, receives each file's findings, sorted, as soon as
	// the file is checked, files in the order Discover gives them. The
	// report keeps only the first MaxReportFindings; Findings sees them
	// all.
	Findings func(path string, fs []qa.Finding)
	// Logger gets one Info line per file; nil discards.
	Logger *slog.Logger
}

// Check runs the QA checks on bilingual files (and directories of them) as
// they stand, reviewers' edits included, and reports every finding in
// every file. A finding's Line is the line in the bilingual file: the
// target's line for a segment.
//
// Besides the checks of package qa on each segment and on the target
// document, Check reports what the reader of bilingual files finds: a unit
// whose target lost its source's structure (an item added, a cell lost, a
// tag dropped) is a structure or tags finding at its line, and the rest of
// the file is still checked; the target of such a unit is checked for
// numbers, leaked model text and an echoed source on its whole text. A
// unit still stale (its source changed after review) is a state warning,
// one that failed (no valid translation; the source stands in the target
// slot) a state error, and the other checks skip it.
//
// A file that is not a bilingual file, or cannot be read, is a failed file
// in the report. A file with an error-level finding needs attention, and
// so does one with warnings when Strict is set; Report.Failed then says
// so. Check returns an error only when ctx is cancelled, with the report
// of the files checked until then.
func Check(ctx context.Context, paths []string, opts *CheckOptions) (*Report, error) {
	if opts == nil {
		opts = &CheckOptions{}
	}
	if err := opts.QA.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rep := &Report{Version: ReportVersion, Command: "check", Started: time.Now(),
		Files: []FileReport{}, Failures: []SegmentFailure{}, Findings: []Finding{}}
	jobs, errs := Discover(paths, nil)
	for _, e := range errs {
		rep.Inputs = append(rep.Inputs, e.Error())
	}
	c := &fileChecker{opts: opts}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			rep.Stopped = "interrupted"
			rep.finishCheck()
			return rep, fmt.Errorf("pipeline: check: %w", err)
		}
		fr := FileReport{Path: j.Path, Status: StatusOK}
		fs, segs, err := c.file(j.Path)
		fr.Segments = segs
		rep.Totals.Segments += segs
		if err != nil {
			fr.Status, fr.Error = StatusFailed, err.Error()
		}
		fr.Findings = len(fs)
		if fr.Status == StatusOK && (qa.HasErrors(fs) || opts.Strict && len(fs) > 0) {
			fr.Status = StatusAttention
		}
		for _, f := range fs {
			if len(rep.Findings) < MaxReportFindings {
				rep.Findings = append(rep.Findings, Finding{File: j.Path, Finding: f})
			} else {
				rep.FindingsDropped++
			}
		}
		if opts.Findings != nil && len(fs) > 0 {
			opts.Findings(j.Path, fs)
		}
		log.Info("checked", "file", j.Path, "status", fr.Status, "segments", segs, "findings", len(fs))
		rep.Files = append(rep.Files, fr)
	}
	rep.finishCheck()
	return rep, nil
}

// finishCheck sets a check report's totals and duration.
func (r *Report) finishCheck() {
	r.tally()
	r.Duration = Duration(time.Since(r.Started))
}

// fileChecker checks bilingual files one at a time.
type fileChecker struct {
	opts *CheckOptions
}

// file checks one bilingual file and returns its findings, sorted, with
// lines in the bilingual file, and the number of segments checked.
func (c *fileChecker) file(path string) ([]qa.Finding, int, error) {
	text, err := readBilingualBytes(path, c.opts.MaxFileSize)
	if err != nil {
		return nil, 0, err
	}
	f, data, broken, shifts, err := c.read(path, text)
	if err != nil {
		if fd, ok := readerFinding(err); ok {
			// Not even the reader's recovery could read the file: its
			// complaint is all there is to report.
			return []qa.Finding{fd}, 0, nil
		}
		return nil, 0, err
	}
	ck, err := newCheckedFile(path, f, data, f.Format.Markdown)
	if err != nil {
		return nil, 0, err
	}
	cfg := c.opts.QA
	skip := map[int]bool{} // blocks whose segments are not checked as pairs
	var fs []qa.Finding
	for _, b := range broken {
		skip[b.block] = true
	}
	for _, u := range f.Units {
		if fd, ok := stateFinding(f, u); ok && !skip[u.Block] {
			if u.State == out.StateFailed {
				skip[u.Block] = true
			}
			if cfg.Enabled(qa.KindState) {
				fs = append(fs, fd)
			}
		}
	}
	var doc []qa.Finding
	if ck.target != nil {
		doc = qa.CheckDocument(cfg, f.Source, ck.target)
		for i := range doc {
			if doc[i].Line > 0 {
				doc[i].Line = ck.lines.at(doc[i].Line)
			}
		}
	} else {
		// The reader parsed every target block, so the assembled document
		// should parse too; if it does not, say so rather than stay silent.
		doc = []qa.Finding{{Segment: qa.NoSegment, Kind: qa.KindStructure, Severity: qa.Error,
			Message: "the target document does not parse"}}
	}
	var pairs []qa.Pair
	for _, p := range ck.pairs {
		if !skip[f.Source.Segments[p.SegIndex].Block] {
			pairs = append(pairs, p)
		}
	}
	seg := qa.CheckPairs(cfg, ck.srcLang, ck.tgtLang, pairs)
	all := append(seg, fs...)
	for i := range all {
		all[i].Line = shifts.original(all[i].Line, len(shifts))
	}
	for i := range doc {
		doc[i].Line = shifts.original(doc[i].Line, len(shifts))
	}
	for _, b := range broken {
		// These were found before later units were set aside.
		for _, fd := range append([]qa.Finding{b.finding}, brokenChecks(cfg, ck.srcLang, ck.tgtLang, b)...) {
			fd.Line = shifts.original(fd.Line, b.patch)
			all = append(all, fd)
		}
	}
	return qa.Merge(doc, all), len(ck.pairs), nil
}

// shift records how setting a unit aside moved the lines after it: the
// target's lines from line at on (old of them) became the source block's
// (new of them).
type shift struct{ at, old, new int }

// shifts are the shifts made in reading a file, in order.
type shifts []shift

// original maps line l of the file as it was after the first n shifts to
// the line of the file as it is on disk.
func (ss shifts) original(l, n int) int {
	if l <= 0 {
		return l
	}
	for j := n - 1; j >= 0; j-- {
		s := ss[j]
		switch {
		case l >= s.at+s.new:
			l -= s.new - s.old
		case l >= s.at:
			l = s.at + min(l-s.at, max(s.old-1, 0))
		}
	}
	return l
}

// brokenUnit is a unit whose target the reader refused, replaced by its
// source so that the rest of the file could be read.
type brokenUnit struct {
	id, block int
	finding   qa.Finding // the reader's complaint
	source    []byte     // the source block
	target    []byte     // the target block as the reviewer left it
	line      int        // the target's first line in the bilingual file
	patch     int        // how many units were set aside before this one
}

// Bounds on the work of reading past broken units, so that a large file
// that is not what it seems costs little: the units set aside in one
// file, the line boundaries tried as a target's end when the reader's rule
// does not find it, and the lines searched back for a unit's source block.
const (
	maxBroken      = 64
	maxTargetLines = 16
	maxSourceLines = 256
)

// read reads a bilingual file. When the reader refuses a unit's target for
// its structure, the target is set aside (replaced by its source block in
// a copy of the file) and the file read again, so that one broken unit
// does not hide the rest of the file. It returns the file, the bytes it
// was read from and the units set aside, or the reader's first error when
// the file cannot be read even so.
func (c *fileChecker) read(path string, data []byte) (*out.File, []byte, []brokenUnit, shifts, error) {
	var broken []brokenUnit
	var ss shifts
	var first error
	for {
		f, err := out.ReadBilingual(path, data, c.opts.Format)
		if err == nil {
			for i := range broken {
				broken[i].block = f.Units[broken[i].id-1].Block
			}
			return f, data, broken, ss, nil
		}
		if first == nil {
			first = err
		}
		fd, ok := readerFinding(err)
		id := brokenUnitOf(err)
		if !ok || id == 0 || len(broken) == maxBroken {
			// An error the recovery cannot read past: the first complaint
			// is reported.
			return nil, nil, nil, nil, first
		}
		patched, b, ok := setAside(data, id, func(d []byte) bool {
			_, err := out.ReadBilingual(path, d, c.opts.Format)
			return err == nil || brokenUnitOf(err) > id
		})
		if !ok {
			return nil, nil, nil, nil, first
		}
		fd.Segment = qa.NoSegment
		b.finding, b.patch = fd, len(ss)
		broken = append(broken, b)
		ss = append(ss, shift{at: b.line, old: bytes.Count(b.target, []byte("\n")), new: bytes.Count(b.source, []byte("\n"))})
		data = patched
	}
}

// brokenUnitRE finds the unit a reader's error is about.
var brokenUnitRE = regexp.MustCompile(`^unit (\d+): `)

// brokenUnitOf returns the id of the unit a reader's structure error is about,
// or 0.
func brokenUnitOf(err error) int {
	var pe *out.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, out.ErrStructure) {
		return 0
	}
	m := brokenUnitRE.FindStringSubmatch(pe.Msg)
	if m == nil {
		return 0
	}
	id, _ := strconv.Atoi(m[1])
	return id
}

// setAside returns a copy of data in which the target block of unit id is
// replaced by its source block, which always reads back. The target's
// extent is found as the reader finds an edited target's (the first block
// after the marker, cut at a diglot comment), and confirmed with reads,
// which must get past the unit; failing that, each line boundary after the
// marker is tried.
func setAside(data []byte, id int, readsPast func([]byte) bool) ([]byte, brokenUnit, bool) {
	mAt, src, ok := findUnitMarker(data, id)
	if !ok {
		return nil, brokenUnit{}, false
	}
	mEnd := chkLineEnd(data, mAt)
	b := brokenUnit{id: id, source: src, line: 1 + bytes.Count(data[:mEnd], []byte("\n"))}
	try := func(end int) ([]byte, bool) {
		patched := make([]byte, 0, len(data)-(end-mEnd)+len(src))
		patched = append(append(append(patched, data[:mEnd]...), src...), data[end:]...)
		return patched, readsPast(patched)
	}
	limit := len(data)
	for off := mEnd; off < len(data); off = chkLineEnd(data, off) {
		if bytes.HasPrefix(data[off:], []byte("<!-- diglot")) {
			limit = off
			break
		}
	}
	if end := brokenTargetEnd(data[mEnd:limit], src); end > 0 {
		if patched, ok := try(mEnd + end); ok {
			b.target = data[mEnd : mEnd+end]
			return patched, b, true
		}
	}
	for off, n := chkLineEnd(data, mEnd), 0; off <= limit && n < maxTargetLines; off, n = chkLineEnd(data, off), n+1 {
		if patched, ok := try(off); ok {
			b.target = data[mEnd:off]
			return patched, b, true
		}
		if off == len(data) {
			break
		}
	}
	return nil, brokenUnit{}, false
}

// findUnitMarker returns the offset of the marker of unit id and its source
// block: the bytes before the blank line above the marker whose hash the
// marker carries.
func findUnitMarker(data []byte, id int) (int, []byte, bool) {
	re := regexp.MustCompile(`(?m)^<!-- diglot:t id=` + strconv.Itoa(id) + ` src=([0-9a-f]+) `)
	for _, m := range re.FindAllSubmatchIndex(data, -1) {
		mAt, hash := m[0], string(data[m[2]:m[3]])
		// The blank line before the marker, then the source block ending
		// right before it.
		blank := bytes.LastIndexByte(data[:max(mAt-1, 0)], '\n') + 1
		if blank <= 0 || !chkBlankLine(data[blank:mAt]) {
			continue
		}
		start := bytes.LastIndexByte(data[:max(blank-1, 0)], '\n') + 1
		for n := 0; n < maxSourceLines; n++ {
			if out.Hash(data[start:blank]) == hash {
				return mAt, data[start:blank], true
			}
			if start == 0 {
				break
			}
			start = bytes.LastIndexByte(data[:start-1], '\n') + 1
		}
	}
	return 0, nil, false
}

// brokenTargetEnd returns the length of the target block at the start of region
// as the reader finds an edited target: the first top-level block, which
// for a paragraph, heading, quote or table ends at a blank line at the
// latest, with as many blank lines after it as the source block has.
func brokenTargetEnd(region, src []byte) int {
	kind := markdown.Blank
	if doc, err := markdown.ParseFragment(append([]byte("\n"), src...), nil, nil); err == nil {
		for _, b := range doc.Blocks {
			if b.Start >= 1 && b.Kind != markdown.Blank {
				kind = b.Kind
				break
			}
		}
	}
	switch kind {
	case markdown.Paragraph, markdown.Heading, markdown.Quote, markdown.Table:
		for off := 0; off < len(region); off = chkLineEnd(region, off) {
			if chkBlankLine(region[off:chkLineEnd(region, off)]) {
				region = region[:chkLineEnd(region, off)]
				break
			}
		}
	}
	doc, err := markdown.ParseFragment(append([]byte("\n"), region...), nil, nil)
	if err != nil {
		return -1
	}
	for _, b := range doc.Blocks {
		if b.Start >= 1 && b.Kind != markdown.Blank {
			n := len(chkTrimBlank(region[:min(b.End-1, len(region))]))
			return chkTakeBlank(region, n, len(src)-len(chkTrimBlank(src)))
		}
		if b.Start >= 1 {
			break
		}
	}
	return -1
}

// chkTakeBlank extends end over the blank lines after it, as many bytes of
// them as want at most.
func chkTakeBlank(b []byte, end, want int) int {
	for want > 0 && end < len(b) {
		le := chkLineEnd(b, end)
		if !chkBlankLine(b[end:le]) || le-end > want {
			break
		}
		want -= le - end
		end = le
	}
	return end
}

// chkTrimBlank returns b up to the line ending of its last line that is not
// blank.
func chkTrimBlank(b []byte) []byte {
	end := len(b)
	for end > 0 {
		le := end
		if b[le-1] == '\n' {
			le--
		}
		start := bytes.LastIndexByte(b[:le], '\n') + 1
		if !chkBlankLine(b[start:end]) {
			return b[:end]
		}
		end = start
	}
	return b[:0]
}

func chkLineEnd(b []byte, off int) int {
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

func chkBlankLine(line []byte) bool {
	return len(bytes.Trim(line, " \t\r\n")) == 0
}

// readerFinding turns the reader's complaint about a target that lost its
// source's structure into a finding, since that is what a check looks for:
// kind tags when a segment's tags do not correspond, else structure.
func readerFinding(err error) (qa.Finding, bool) {
	var pe *out.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, out.ErrStructure) {
		return qa.Finding{}, false
	}
	kind := qa.KindStructure
	// The reader formats markdown.AlignTags's error into its message
	// rather than wrapping it, so its sentinel's text is all there is.
	if strings.Contains(pe.Msg, markdown.ErrTags.Error()) {
		kind = qa.KindTags
	}
	return qa.Finding{Segment: qa.NoSegment, Line: pe.Line, Kind: kind, Message: pe.Msg, Severity: qa.Error}, true
}

// brokenChecks checks the whole text of a unit's target that the reader
// refused against its source block: what does not need the two to pair
// segment by segment (a changed number, a URL broken or made up, leaked
// model text, an echo).
func brokenChecks(cfg *qa.Config, srcLang, tgtLang language.Tag, b brokenUnit) []qa.Finding {
	sub := &qa.Config{}
	if cfg != nil {
		*sub = *cfg
	}
	sub.Disable = []string{qa.KindTags, qa.KindMissing, qa.KindMerged, qa.KindLength, qa.KindGlossary, qa.KindStructure}
	for _, k := range []string{qa.KindNumbers, qa.KindUntranslated, qa.KindLeaked, qa.KindURLs} {
		if !cfg.Enabled(k) {
			sub.Disable = append(sub.Disable, k)
		}
	}
	return qa.CheckSegment(sub, srcLang, tgtLang, qa.Pair{Source: string(b.source), Target: string(b.target),
		Line: b.line, SegIndex: qa.NoSegment})
}

// stateFinding reports a unit that is still stale or failed and that no
// reviewer has edited since.
func stateFinding(f *out.File, u out.Unit) (qa.Finding, bool) {
	if u.Edited {
		return qa.Finding{}, false
	}
	seg := qa.NoSegment
	if s := f.Source.Blocks[u.Block].Segments; len(s) > 0 {
		seg = s[0]
	}
	fd := qa.Finding{Segment: seg, Line: u.TargetLine, Kind: qa.KindState}
	switch u.State {
	case out.StateStale:
		fd.Severity = qa.Warning
		fd.Message = fmt.Sprintf("unit %d is stale: its source changed after review; the earlier translation follows it", u.ID)
	case out.StateFailed:
		fd.Severity = qa.Error
		fd.Message = fmt.Sprintf("unit %d failed: it has no valid translation and holds its source", u.ID)
	default:
		return qa.Finding{}, false
	}
	return fd, true
}

// checkedFile is a bilingual file read back with what the checks need: its
// languages, the target document, the segment pairs with their lines in the
// bilingual file, and the map from target-document lines to those lines.
type checkedFile struct {
	file             *out.File
	srcLang, tgtLang language.Tag
	target           *markdown.Document // nil when the target document does not parse
	pairs            []qa.Pair
	lines            checkLineMap
}

// newCheckedFile prepares a file read from data for the checks.
func newCheckedFile(path string, f *out.File, data []byte, md *markdown.Options) (*checkedFile, error) {
	c := &checkedFile{file: f, lines: newCheckLineMap(f, data)}
	var err error
	if c.srcLang, err = language.Parse(f.Header.Source); err != nil {
		return nil, fmt.Errorf("%s: header: source language %q: %w", path, f.Header.Source, err)
	}
	if c.tgtLang, err = language.Parse(f.Header.Target); err != nil {
		return nil, fmt.Errorf("%s: header: target language %q: %w", path, f.Header.Target, err)
	}
	if td, err := markdown.Parse(f.TargetDocument(), md); err == nil {
		c.target = td
	}
	c.pairs = c.segmentPairs()
	return c, nil
}

// segmentPairs pairs each source segment of a unit with its target as the
// reader parsed it (tags renumbered to the source's). A pair's line is the
// line of its target segment in the bilingual file: the unit's TargetLine
// plus the segment's offset in the target block, found through the parsed
// target document when its segments line up with the source's.
func (c *checkedFile) segmentPairs() []qa.Pair {
	src := c.file.Source
	aligned := c.target != nil && len(c.target.Segments) == len(src.Segments)
	var pairs []qa.Pair
	for _, u := range c.file.Units {
		first, last := c.lines.span(u.Block)
		for j, si := range src.Blocks[u.Block].Segments {
			if j >= len(u.Targets) {
				break
			}
			s := src.Segments[si]
			line := u.TargetLine
			if aligned {
				if tl := c.target.Segments[si].Line; tl >= first && tl < last {
					line = u.TargetLine + tl - first
				}
			}
			pairs = append(pairs, qa.Pair{Source: s.Text, Target: u.Targets[j], Line: line, SegIndex: si, Tags: s.Tags})
		}
	}
	return pairs
}

// checkLineMap maps lines of a bilingual file's target document
// (File.TargetDocument) to lines of the bilingual file: each top-level
// block of the target document is a unit's target block, found at its
// TargetLine, or a skeleton block, which the bilingual file holds verbatim
// right before the next source block.
type checkLineMap struct {
	tdoc []int // first line of each source block's text in the target document
	bi   []int // the line in the bilingual file where that text starts
	end  int   // the first line after the target document
}

func newCheckLineMap(f *out.File, data []byte) checkLineMap {
	src := f.Source.Source()
	blocks := f.Source.Blocks
	units := make(map[int]*out.Unit, len(f.Units))
	for i := range f.Units {
		units[f.Units[i].Block] = &f.Units[i]
	}
	m := checkLineMap{tdoc: make([]int, len(blocks)), bi: make([]int, len(blocks))}
	t := 1
	for i, b := range blocks {
		m.tdoc[i] = t
		chunk := src[b.Start:b.End]
		if u := units[i]; u != nil {
			chunk = u.TargetBytes
		}
		t += bytes.Count(chunk, []byte{'\n'})
	}
	m.end = t
	// Source blocks in the bilingual file, from the end: a unit's source
	// block ends a blank line before its marker; a skeleton block ends
	// where the next source block starts, or at the end of the file.
	next := chkLineCount(data) + 1
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		n := chkLineCount(src[b.Start:b.End])
		u := units[i]
		switch {
		case u != nil && b.Kind == markdown.FrontMatter:
			next = 1
		case u != nil:
			next = u.Line - 1 - n
		default:
			next -= n
		}
		m.bi[i] = next
		if u != nil {
			m.bi[i] = u.TargetLine
		}
	}
	return m
}

// at returns the bilingual file's line for line l of the target document.
func (m checkLineMap) at(l int) int {
	i := sort.Search(len(m.tdoc), func(i int) bool { return m.tdoc[i] > l }) - 1
	if i < 0 {
		return l
	}
	return m.bi[i] + l - m.tdoc[i]
}

// span returns the lines [first, last) of block i in the target document.
func (m checkLineMap) span(i int) (first, last int) {
	last = m.end
	if i+1 < len(m.tdoc) {
		last = m.tdoc[i+1]
	}
	if last == m.tdoc[i] {
		last++ // a block without a line ending still has its line
	}
	return m.tdoc[i], last
}

// chkLineCount is the number of lines of b, a last line without a line ending
// included.
func chkLineCount(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}
