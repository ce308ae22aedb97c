package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/qa"
)

// ReportVersion is the version of the JSON report schema.
const ReportVersion = 1

// File statuses in a report.
const (
	StatusOK          = "ok"          // written, every segment translated
	StatusAttention   = "attention"   // written, some segments failed or need review
	StatusFailed      = "failed"      // not written: the file could not be processed
	StatusInterrupted = "interrupted" // not written: the run stopped before it was done
	StatusPlanned     = "planned"     // dry run: read and looked up, nothing sent or written
	StatusUnchanged   = "unchanged"   // the output was already up to date: not rewritten
)

// Report is what a run did. It is printed as a summary and written as JSON
// (schema version [ReportVersion], documented in the README).
type Report struct {
	Version  int       `json:"version"`
	Command  string    `json:"command"`
	Provider string    `json:"provider,omitempty"`
	Source   string    `json:"source,omitempty"`
	Target   string    `json:"target,omitempty"`
	Started  time.Time `json:"started"`
	Duration Duration  `json:"duration"`

	Files    []FileReport     `json:"files"`
	Failures []SegmentFailure `json:"failures"`
	Inputs   []string         `json:"input_errors,omitempty"` // paths that could not be read as input
	Totals   Totals           `json:"totals"`
	Usage    providers.Usage  `json:"usage"`
	// Stopped says why the run ended early: "interrupted", "budget: …",
	// "translation memory unavailable: …" (results could not be stored;
	// see ErrMemoryUnavailable), or the engine's permanent error ("engine
	// error: …"); empty when it ran to the end.
	Stopped string `json:"stopped,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
	// Estimate is what a dry run expects a real run to send; nil otherwise.
	Estimate *Estimate `json:"estimate,omitempty"`

	Glossary GlossaryReport `json:"glossary"`
	// Findings are what the QA checks found in the translations, the first
	// MaxReportFindings of them; FindingsDropped counts the rest (each
	// file's count stays exact), so a run's memory does not grow with them.
	Findings        []Finding `json:"findings"`
	FindingsDropped int       `json:"findings_dropped,omitempty"`
	// Conflicts are source paragraphs that reviewers translated
	// differently in two files.
	Conflicts []ReviewConflict `json:"conflicts,omitempty"`
}

// MaxReportFindings bounds the findings a report lists.
const MaxReportFindings = 10000

// Finding is a QA finding located in a file: the source file and the line
// of the segment in it.
type Finding struct {
	File string `json:"file"`
	qa.Finding
}

// GlossaryReport is the glossary's compliance in a run: per term, the
// occurrences in the source, how many were applied and violated, overall
// compliance as a percentage, and each violation with its place.
type GlossaryReport struct {
	Terms      glossary.StatsReport `json:"terms"`
	Violations []GlossaryViolation  `json:"violations,omitempty"`
}

// GlossaryViolation is a glossary violation located in a file.
type GlossaryViolation struct {
	File string `json:"file"`
	Line int    `json:"line"`
	glossary.Violation
}

// Estimate is what a real run would send, from a dry run: segments that
// need an engine after every lookup, their size in characters and in the
// engine's tokens, the requests planned against the engine's limits, and
// the cost and duration that follow from its price table and rate limits.
type Estimate struct {
	Segments   int      `json:"segments"` // unique segments to send
	Characters int      `json:"characters"`
	Tokens     int      `json:"tokens"`
	Requests   int      `json:"requests"`
	Cost       float64  `json:"cost"`     // 0 when the engine has no price table
	Duration   Duration `json:"duration"` // from the rate limits; 0 when unlimited
}

// Totals sum a run.
type Totals struct {
	Files          int `json:"files"`
	FilesOK        int `json:"files_ok"`
	FilesAttention int `json:"files_attention"`
	FilesFailed    int `json:"files_failed"`
	FilesNotDone   int `json:"files_not_done"`  // not written because the run stopped first (Ctrl-C, budget, engine, memory)
	Segments       int `json:"segments"`        // segments in all files
	UniqueSegments int `json:"unique_segments"` // distinct keys among them (a file skipped as unchanged counts its segments, undeduplicated)
	Reused         int `json:"reused"`          // unique segments answered from memory or earlier output
	Translated     int `json:"translated"`      // unique segments an engine translated
	Failed         int `json:"failed_segments"` // unique segments without a valid translation
	Requests       int `json:"requests"`
	Retries        int `json:"retries"`
	SentSegments   int `json:"sent_segments"`   // segments sent, retries and splits included
	SentCharacters int `json:"sent_characters"` // code points sent, retries and splits included
}

// FileReport is one input file's outcome.
type FileReport struct {
	Path     string `json:"path"`
	Output   string `json:"output,omitempty"`
	Status   string `json:"status"`
	Error    string `json:"error,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Segments int    `json:"segments"`
	Reused   int    `json:"reused"`
	Failed   int    `json:"failed"`
	Findings int    `json:"findings"` // QA findings, errors and warnings
}

// SegmentFailure is a segment left without a valid translation.
type SegmentFailure struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Duration marshals as seconds.
type Duration time.Duration

// MarshalJSON writes the duration in seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).Seconds())
}

// UnmarshalJSON reads seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s float64
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*d = Duration(s * float64(time.Second))
	return nil
}

// Failed reports whether anything failed or needs attention: the CLI exits
// 1 when it does.
func (r *Report) Failed() bool {
	return r.Totals.FilesFailed > 0 || r.Totals.FilesAttention > 0 || len(r.Inputs) > 0 || r.Totals.Failed > 0 ||
		(r.Stopped != "" && r.Stopped != "interrupted")
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Summary writes a short human summary of the totals. Per-file errors are
// the caller's to print, once.
func (r *Report) Summary(w io.Writer) {
	t := r.Totals
	fmt.Fprintf(w, "%s: %d files (%d ok, %d need attention, %d failed", r.Command, t.Files, t.FilesOK, t.FilesAttention, t.FilesFailed)
	if t.FilesNotDone > 0 {
		fmt.Fprintf(w, ", %d not done", t.FilesNotDone)
	}
	fmt.Fprintf(w, "), %d segments", t.Segments)
	if r.Command == "translate" {
		fmt.Fprintf(w, ", %d unique, %d reused, %d translated, %d failed; %d requests, %d retries, %d characters sent",
			t.UniqueSegments, t.Reused, t.Translated, t.Failed, t.Requests, t.Retries, t.SentCharacters)
		if r.Usage.PromptTokens+r.Usage.CompletionTokens > 0 {
			fmt.Fprintf(w, ", %d+%d tokens", r.Usage.PromptTokens, r.Usage.CompletionTokens)
		}
		if r.Usage.Cost > 0 {
			fmt.Fprintf(w, ", cost %.4f", r.Usage.Cost)
		}
	}
	fmt.Fprintf(w, " in %s\n", time.Duration(r.Duration).Round(time.Millisecond))
	if e := r.Estimate; e != nil {
		fmt.Fprintf(w, "dry run: nothing sent. A real run would send %d segments (%d characters, %d tokens) in %d requests",
			e.Segments, e.Characters, e.Tokens, e.Requests)
		if e.Cost > 0 {
			fmt.Fprintf(w, ", costing about %.4f", e.Cost)
		}
		if e.Duration > 0 {
			fmt.Fprintf(w, ", taking at least %s at the rate limits", time.Duration(e.Duration).Round(time.Second))
		}
		fmt.Fprintln(w)
	}
	if r.Stopped != "" {
		fmt.Fprintf(w, "stopped early: %s\n", r.Stopped)
	}
}

// tally recomputes the file counts from Files.
func (r *Report) tally() {
	sort.SliceStable(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	r.Totals.Files = len(r.Files)
	r.Totals.FilesOK, r.Totals.FilesAttention, r.Totals.FilesFailed, r.Totals.FilesNotDone = 0, 0, 0, 0
	for _, f := range r.Files {
		switch f.Status {
		case StatusOK, StatusPlanned, StatusUnchanged:
			r.Totals.FilesOK++
		case StatusAttention:
			r.Totals.FilesAttention++
		case StatusFailed:
			r.Totals.FilesFailed++
		case StatusInterrupted:
			r.Totals.FilesNotDone++
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
