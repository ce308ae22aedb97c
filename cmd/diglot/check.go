package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/qa"
)

// checkOptions are the flags of "diglot check".
type checkOptions struct {
	glossaries  []string
	report      string
	strict      bool
	maxFileSize int64
}

func newCheckCmd(a *app) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [flags] PATH...",
		Short: "Run the QA checks on bilingual files (after reviewers' edits, say)",
		Long: `Check reads aligned bilingual files (or directories of them) and runs the QA
checks on every target as it stands in the file, reviewers' edits included:
structure, tags, numbers, untranslated, missing, merged, leaked, length,
glossary and urls. Each finding is printed on stderr as
"file:line: kind: message", the line being the target's line in the bilingual
file; warnings end in "(warning)". The [qa] table of config.toml switches
checks off and sets the length bounds; --glossary adds glossaries to those of
the configuration.

A bilingual file whose target no longer has its source's structure cannot be
read: it is reported as one structure finding (tags when a segment's tags no
longer correspond) at the line the reader names, and nothing else of it is
checked. A file that is not a bilingual file is an error line of its own.

Exit status: 1 when any finding is an error, or a file cannot be read;
warnings alone exit 0 unless --strict ([qa] strict, which fails translate runs
on errors, changes nothing here: errors always fail a check); 2 on usage
errors.`,
		Example: `  diglot check out/en
  diglot check --glossary terms.tsv --report qa.json out/en/summit.md`,
		Args: atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, a, o, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.glossaries, "glossary", nil, "glossary `FILE` (TSV, CSV or TOML; repeatable; after those in config.toml)")
	f.StringVar(&o.report, "report", "", "write the findings as JSON to `FILE`")
	f.BoolVar(&o.strict, "strict", false, "warnings fail the check too (exit 1)")
	f.Int64Var(&o.maxFileSize, "max-file-size", pipeline.DefaultMaxFileSize, "largest source file in bytes (also max_file_size); a bilingual file may hold 8 times as much text, plus markers")
	return cmd
}

// checkReportVersion is the version of the schema of checkReport.
const checkReportVersion = 1

// checkReport is the JSON written by "diglot check --report": each file's
// outcome, the totals, and every finding as the translate report lists them
// (file, segment, line in the bilingual file, kind, message, severity).
type checkReport struct {
	Version  int                `json:"version"`
	Command  string             `json:"command"`
	Files    []checkFileReport  `json:"files"`
	Inputs   []string           `json:"input_errors,omitempty"`
	Totals   checkTotals        `json:"totals"`
	Findings []pipeline.Finding `json:"findings"`
}

// checkFileReport is one file's outcome: ok (no findings), attention
// (findings) or failed (unreadable, with Error).
type checkFileReport struct {
	Path     string `json:"path"`
	Status   string `json:"status"`
	Error    string `json:"error,omitempty"`
	Segments int    `json:"segments"`
	Findings int    `json:"findings"`
}

type checkTotals struct {
	Files      int `json:"files"`
	Unreadable int `json:"files_unreadable"`
	Findings   int `json:"findings"`
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
}

func runCheck(cmd *cobra.Command, a *app, o *checkOptions, args []string) error {
	rd, err := a.bilingualReader()
	if err != nil {
		return err
	}
	if rd.maxSize, err = a.maxFileSize(cmd, o.maxFileSize); err != nil {
		return err
	}
	g, err := a.glossary(o.glossaries)
	if err != nil {
		return err
	}
	// Strictness is this command's own: errors always fail a check.
	qcfg, err := a.qaConfig(g, false, false)
	if err != nil {
		return err
	}
	rep := &checkReport{Version: checkReportVersion, Command: "check", Files: []checkFileReport{}, Findings: []pipeline.Finding{}}
	jobs, errs := pipeline.Discover(args, nil)
	for _, e := range errs {
		rep.Inputs = append(rep.Inputs, e.Error())
		fmt.Fprintf(a.io.Err, "diglot: %v\n", e)
	}
	for _, j := range jobs {
		if cmd.Context().Err() != nil {
			return errInterrupted
		}
		fr := checkFileReport{Path: j.Path, Status: pipeline.StatusOK}
		findings, segs, err := rd.check(j.Path, qcfg)
		fr.Segments = segs
		if err != nil {
			fr.Status, fr.Error = pipeline.StatusFailed, err.Error()
			rep.Totals.Unreadable++
			fmt.Fprintf(a.io.Err, "diglot: %v\n", err)
		}
		for _, fd := range findings {
			fmt.Fprintln(a.io.Err, qa.Format(j.Path, fd))
			rep.Findings = append(rep.Findings, pipeline.Finding{File: j.Path, Finding: fd})
			if fd.Severity == qa.Error {
				rep.Totals.Errors++
			} else {
				rep.Totals.Warnings++
			}
		}
		fr.Findings = len(findings)
		if fr.Findings > 0 && fr.Status == pipeline.StatusOK {
			fr.Status = pipeline.StatusAttention
		}
		rep.Files = append(rep.Files, fr)
	}
	rep.Totals.Files = len(rep.Files)
	rep.Totals.Findings = len(rep.Findings)
	if !a.quiet {
		fmt.Fprintf(a.io.Out, "check: %d files, %d findings (%d errors, %d warnings)", rep.Totals.Files,
			rep.Totals.Findings, rep.Totals.Errors, rep.Totals.Warnings)
		if rep.Totals.Unreadable > 0 {
			fmt.Fprintf(a.io.Out, ", %d files unreadable", rep.Totals.Unreadable)
		}
		fmt.Fprintln(a.io.Out)
	}
	if o.report != "" {
		err := pipeline.WriteFileAtomic(o.report, func(w *os.File) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		})
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if rep.Totals.Errors > 0 || rep.Totals.Unreadable > 0 || len(rep.Inputs) > 0 ||
		(o.strict && rep.Totals.Warnings > 0) {
		return errFailed
	}
	return nil
}

// bilingualReader reads bilingual files the way translate wrote them.
type bilingualReader struct {
	maxSize int64
	format  out.Format
}

// bilingualReader takes the file size limit and markdown options from the
// configuration, as translate does.
func (a *app) bilingualReader() (bilingualReader, error) {
	c, err := a.config()
	if err != nil {
		return bilingualReader{}, err
	}
	format, err := a.format()
	if err != nil {
		return bilingualReader{}, err
	}
	return bilingualReader{maxSize: c.MaxFileSize, format: format}, nil
}

// configSource is the source language config.toml names, or language.Und:
// the markdown options of a reader must be those translate wrote with.
func configSource(source string) language.Tag {
	t, err := language.Parse(source)
	if err != nil {
		return language.Und
	}
	return t
}

// checked is a bilingual file read back with what the checks need: its
// languages, the target document, the segment pairs with their lines in the
// bilingual file, and the map from target-document lines to those lines.
type checked struct {
	file             *out.File
	srcLang, tgtLang language.Tag
	target           *markdown.Document // nil when the target document does not parse
	pairs            []qa.Pair
	lines            lineMap
}

// read reads and parses one bilingual file; an error names the file.
func (r bilingualReader) read(path string) (*checked, error) {
	f, data, err := pipeline.ReadBilingualFile(path, r.maxSize, r.format)
	if err != nil {
		return nil, err
	}
	c := &checked{file: f, lines: newLineMap(f, data)}
	if c.srcLang, err = language.Parse(f.Header.Source); err != nil {
		return nil, fmt.Errorf("%s: header: source language %q: %w", path, f.Header.Source, err)
	}
	if c.tgtLang, err = language.Parse(f.Header.Target); err != nil {
		return nil, fmt.Errorf("%s: header: target language %q: %w", path, f.Header.Target, err)
	}
	if td, err := markdown.Parse(f.TargetDocument(), f.Format.Markdown); err == nil {
		c.target = td
	}
	c.pairs = c.segmentPairs()
	return c, nil
}

// readFinding turns the reader's complaint about a target that lost its
// source's structure into a finding, since that is what a check looks for:
// kind tags when a segment's tags do not correspond, else structure.
func readFinding(err error) (qa.Finding, bool) {
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

// check runs the QA checks on one bilingual file and returns the findings
// with lines in the bilingual file, and the number of segments checked. A
// file the reader rejects for its structure yields that one finding.
func (r bilingualReader) check(path string, cfg *qa.Config) ([]qa.Finding, int, error) {
	c, err := r.read(path)
	if err != nil {
		if fd, ok := readFinding(err); ok {
			return []qa.Finding{fd}, 0, nil
		}
		return nil, 0, err
	}
	var doc []qa.Finding
	if c.target != nil {
		doc = qa.CheckDocument(cfg, c.file.Source, c.target)
		for i := range doc {
			if doc[i].Line > 0 {
				doc[i].Line = c.lines.at(doc[i].Line)
			}
		}
	} else {
		// The reader parsed every target block, so the assembled document
		// should parse too; if it does not, say so rather than stay silent.
		doc = []qa.Finding{{Segment: qa.NoSegment, Kind: qa.KindStructure, Severity: qa.Error,
			Message: "the target document does not parse"}}
	}
	seg := qa.CheckPairs(cfg, c.srcLang, c.tgtLang, c.pairs)
	return qa.Merge(doc, seg), len(c.pairs), nil
}

// segmentPairs pairs each source segment of a unit with its target as the
// reader parsed it (tags renumbered to the source's). A pair's line is the
// line of its target segment in the bilingual file: the unit's TargetLine
// plus the segment's offset in the target block, found through the parsed
// target document when its segments line up with the source's.
func (c *checked) segmentPairs() []qa.Pair {
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

// lineMap maps lines of a bilingual file's target document
// (File.TargetDocument) to lines of the bilingual file: each top-level
// block of the target document is a unit's target block, found at its
// TargetLine, or a skeleton block, which the bilingual file holds verbatim
// right before the next source block.
type lineMap struct {
	tdoc []int // first line of each source block's text in the target document
	bi   []int // the line in the bilingual file where that text starts
	end  int   // the first line after the target document
}

func newLineMap(f *out.File, data []byte) lineMap {
	src := f.Source.Source()
	blocks := f.Source.Blocks
	units := make(map[int]*out.Unit, len(f.Units))
	for i := range f.Units {
		units[f.Units[i].Block] = &f.Units[i]
	}
	m := lineMap{tdoc: make([]int, len(blocks)), bi: make([]int, len(blocks))}
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
	next := lineCount(data) + 1
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		n := lineCount(src[b.Start:b.End])
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
func (m lineMap) at(l int) int {
	i := sort.Search(len(m.tdoc), func(i int) bool { return m.tdoc[i] > l }) - 1
	if i < 0 {
		return l
	}
	return m.bi[i] + l - m.tdoc[i]
}

// span returns the lines [first, last) of block i in the target document.
func (m lineMap) span(i int) (first, last int) {
	last = m.end
	if i+1 < len(m.tdoc) {
		last = m.tdoc[i+1]
	}
	if last == m.tdoc[i] {
		last++ // a block without a line ending still has its line
	}
	return m.tdoc[i], last
}

// lineCount is the number of lines of b, a last line without a line ending
// included.
func lineCount(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}
