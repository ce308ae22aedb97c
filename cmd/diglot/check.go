package main

import (
	"fmt"
	"github.com/diglot/diglot/internal/atomicfile"
	"os"

	"github.com/spf13/cobra"

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
glossary, urls and state. Each finding is printed on stderr as
"file:line: kind: message", the line being the target's line in the bilingual
file; warnings end in "(warning)". The [qa] table of config.toml switches
checks off and sets the length bounds; --glossary adds glossaries to those of
the configuration.

Every finding of a file is reported: a unit whose target no longer has its
source's structure (an item added, a tag lost) is a structure or tags
finding at its line, its text is still checked for numbers, leaked model
text and an echo, and the other units are checked as usual. Units still
stale (their source changed after review) are state warnings, units that
failed (no valid translation) state errors. A file that is not a bilingual
file is an error line of its own.

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
	f.StringVar(&o.report, "report", "", "write the report (the translate report's schema, command \"check\") as JSON to `FILE`")
	f.BoolVar(&o.strict, "strict", false, "warnings fail the check too (exit 1)")
	f.Int64Var(&o.maxFileSize, "max-file-size", pipeline.DefaultMaxFileSize, "largest source file in bytes (also max_file_size); a bilingual file may hold 8 times as much text, plus markers")
	return cmd
}

func runCheck(cmd *cobra.Command, a *app, o *checkOptions, args []string) error {
	opts, err := a.checkOptions(o.glossaries)
	if err != nil {
		return err
	}
	opts.Strict = o.strict
	if opts.MaxFileSize, err = a.maxFileSize(cmd, o.maxFileSize); err != nil {
		return err
	}
	var errs, warns int
	opts.Findings = func(path string, fs []qa.Finding) {
		for _, f := range fs {
			fmt.Fprintln(a.io.Err, qa.Format(path, f))
			if f.Severity == qa.Error {
				errs++
			} else {
				warns++
			}
		}
	}
	rep, err := pipeline.Check(cmd.Context(), args, opts)
	if rep == nil {
		return err
	}
	printInputErrors(a, rep)
	if !a.quiet {
		fmt.Fprintf(a.io.Out, "check: %d files, %d findings (%d errors, %d warnings)", rep.Totals.Files,
			errs+warns, errs, warns)
		if n := rep.Totals.FilesFailed; n > 0 {
			fmt.Fprintf(a.io.Out, ", %d files unreadable", n)
		}
		fmt.Fprintln(a.io.Out)
	}
	if o.report != "" {
		if werr := atomicfile.Write(o.report, func(w *os.File) error { return rep.WriteJSON(w) }); werr != nil {
			return fmt.Errorf("report: %w", werr)
		}
	}
	if err != nil {
		return errInterrupted
	}
	if rep.Failed() {
		return errFailed
	}
	return nil
}

// checkOptions builds the options of a check from the configuration and
// the glossaries: the [qa] table (errors always fail a check, so its
// strict is not used), the markdown options and size limit the files were
// written with.
func (a *app) checkOptions(glossaries []string) (*pipeline.CheckOptions, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	g, err := a.glossary(glossaries)
	if err != nil {
		return nil, err
	}
	q, err := a.qaConfig(g, false, false)
	if err != nil {
		return nil, err
	}
	format, err := a.format()
	if err != nil {
		return nil, err
	}
	return &pipeline.CheckOptions{QA: q, MaxFileSize: c.MaxFileSize, Format: format}, nil
}

// printInputErrors prints, once each, the paths that could not be used and
// the files that could not be read.
func printInputErrors(a *app, rep *pipeline.Report) {
	for _, e := range rep.Inputs {
		fmt.Fprintf(a.io.Err, "diglot: %s\n", e)
	}
	for _, f := range rep.Files {
		if f.Status == pipeline.StatusFailed {
			fmt.Fprintf(a.io.Err, "diglot: %s\n", f.Error)
		}
	}
}
