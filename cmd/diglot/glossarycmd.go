package main

import (
	"fmt"
	"github.com/diglot/diglot/internal/atomicfile"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/qa"
)

// glossaryOptions are the flags shared by the glossary subcommands.
type glossaryOptions struct {
	glossaries     []string
	format         string
	source, target string
	output         string
}

func newGlossaryCmd(a *app) *cobra.Command {
	o := &glossaryOptions{}
	cmd := &cobra.Command{
		Use:   "glossary",
		Short: "Verify bilingual files against the glossary, and export it",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringArrayVar(&o.glossaries, "glossary", nil,
		"glossary `FILE` (TSV, CSV or TOML; repeatable; after those in config.toml)")
	cmd.AddCommand(newGlossaryCheckCmd(a, o), newGlossaryExportCmd(a, o))
	return cmd
}

// loadGlossary is the merged glossary of the configuration and --glossary;
// having none is a usage error for these commands.
func (o *glossaryOptions) loadGlossary(a *app) (*glossary.Glossary, error) {
	g, err := a.glossary(o.glossaries)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, usagef("no glossary: give --glossary FILE or set glossary in config.toml")
	}
	return g, nil
}

func newGlossaryCheckCmd(a *app, o *glossaryOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "check [--glossary FILE] PATH...",
		Short: "Verify bilingual files (or directories of them) against the glossary",
		Long: `Check reads aligned bilingual files as they stand, reviewers' edits
included, and verifies every target against the glossary: each term of the
source rendered as the glossary says, no forbidden variant used. It prints
each violation as "file:line: term …", the line being the target's line in
the bilingual file, and exits 1 when there is any.`,
		Example: `  diglot glossary check --glossary examples/glossary.tsv out/en`,
		Args:    atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := o.loadGlossary(a)
			if err != nil {
				return err
			}
			opts, err := a.checkOptions(nil)
			if err != nil {
				return err
			}
			// Only the glossary is checked, against g alone.
			opts.QA = &qa.Config{Glossary: func(source, target string) []string {
				var msgs []string
				for _, v := range g.CheckPair(source, target) {
					msgs = append(msgs, v.String())
				}
				return msgs
			}}
			for _, k := range qa.Kinds() {
				if k != qa.KindGlossary {
					opts.QA.Disable = append(opts.QA.Disable, k)
				}
			}
			violations, unread := 0, 0
			opts.Findings = func(path string, fs []qa.Finding) {
				for _, f := range fs {
					if f.Kind == qa.KindGlossary {
						fmt.Fprintf(a.io.Err, "%s:%d: %s\n", path, f.Line, f.Message)
						violations++
						continue
					}
					// The reader's complaint about a unit it could not read.
					fmt.Fprintf(a.io.Err, "diglot: %s:%d: %s\n", path, f.Line, f.Message)
					unread++
				}
			}
			rep, err := pipeline.Check(cmd.Context(), args, opts)
			if rep == nil {
				return err
			}
			printInputErrors(a, rep)
			if err != nil {
				return errInterrupted
			}
			if !a.quiet {
				fmt.Fprintf(a.io.Out, "glossary check: %d files, %d violations\n", rep.Totals.Files, violations)
			}
			if rep.Failed() || unread > 0 || violations > 0 {
				return errFailed
			}
			return nil
		},
	}
}

func newGlossaryExportCmd(a *app, o *glossaryOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [flags]",
		Short: "Export the merged glossary as TSV, Google's glossary CSV or TBX",
		Long: `Export writes the glossaries of the configuration and --glossary, merged
in order, in one format: tsv (diglot's own, which --glossary reads back),
csv-google (the unidirectional glossary CSV that Google Cloud Translation
imports) or tbx (TBX-Basic, the ISO 30042 term-base exchange format CAT tools
import; it needs the language pair, from --source and --target or
config.toml).`,
		Example: `  diglot glossary export --glossary examples/glossary.tsv --format tbx --source zh --target en -o terms.tbx`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(glossary.Formats(), o.format) {
				return usagef("--format %q: want %s", o.format, strings.Join(glossary.Formats(), ", "))
			}
			opts := &glossary.ExportOptions{}
			if o.format == glossary.FormatTBX {
				src, tgt, err := a.pair(o.source, o.target)
				if err != nil {
					return usageError{fmt.Errorf("--format tbx needs the language pair: %w", err)}
				}
				opts.SourceLang, opts.TargetLang = src, tgt
			}
			g, err := o.loadGlossary(a)
			if err != nil {
				return err
			}
			if o.output == "" || o.output == "-" {
				return glossary.Export(a.io.Out, g, o.format, opts)
			}
			return atomicfile.Write(o.output, func(w *os.File) error {
				return glossary.Export(w, g, o.format, opts)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", glossary.FormatTSV, "export format: "+strings.Join(glossary.Formats(), ", "))
	f.StringVar(&o.source, "source", "", "source language for tbx, BCP 47 (default: config)")
	f.StringVar(&o.target, "target", "", "target language for tbx, BCP 47 (default: config)")
	f.StringVarP(&o.output, "output", "o", "", "write to `FILE` instead of stdout")
	return cmd
}
