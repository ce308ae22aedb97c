package main

import (
	"fmt"
	"github.com/diglot/diglot/internal/atomicfile"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/qa"
)

// translateOptions are the flags of "diglot translate".
type translateOptions struct {
	provider       string
	source         string
	target         string
	output         string
	report         string
	concurrency    int
	inputEncoding  string
	maxFileSize    int64
	glossaries     []string
	tmPath         string
	noTM           bool
	force          bool
	forceReviewed  bool
	strict         bool
	dryRun         bool
	maxCost        float64
	include        []string
	exclude        []string
	limit          int
	shard          string
	changedOnly    bool
	reuse          string
	followSymlinks bool
	sync           bool
}

func newTranslateCmd(a *app) *cobra.Command {
	return translateCmd(a, &translateOptions{}, "translate")
}

// newEstimateCmd is "translate --dry-run" under its own name.
func newEstimateCmd(a *app) *cobra.Command {
	return translateCmd(a, &translateOptions{dryRun: true}, "estimate")
}

func translateCmd(a *app, o *translateOptions, name string) *cobra.Command {
	short := "Translate Markdown files and directories into aligned bilingual Markdown"
	if o.dryRun {
		short = "Estimate what translating PATHs would send and cost, calling no engine (translate --dry-run)"
	}
	cmd := &cobra.Command{
		Use:   name + " [flags] PATH...",
		Short: short,
		Long: `Translate reads Markdown files (directories recursively: *.md, *.markdown),
translates each paragraph once, and writes one aligned bilingual file per input
under the output directory. Runs are incremental: existing outputs are read
first, reviewers' edits are kept, and only what changed is sent to the engine.`,
		Example: `  diglot translate --provider pseudo --source zh --target en -o out/en articles/`,
		Args:    atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTranslate(cmd, a, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.provider, "provider", "", "translation engine (see 'diglot providers')")
	f.StringVar(&o.source, "source", "", "source language, BCP 47 (e.g. zh)")
	f.StringVar(&o.target, "target", "", "target language, BCP 47 (e.g. en)")
	f.StringVarP(&o.output, "output", "o", "out", "output directory")
	f.StringVar(&o.report, "report", "", "write the run report as JSON to `FILE`")
	f.IntVar(&o.concurrency, "concurrency", 0, "requests in flight (default: the engine's limit)")
	f.StringVar(&o.inputEncoding, "input-encoding", "utf-8", "input encoding: utf-8, auto, gb18030, big5")
	f.Int64Var(&o.maxFileSize, "max-file-size", pipeline.DefaultMaxFileSize, "largest input file in bytes")
	f.StringArrayVar(&o.glossaries, "glossary", nil, "glossary `FILE` (TSV, CSV or TOML; repeatable; after those in config.toml)")
	f.StringVar(&o.tmPath, "tm", "", "translation memory file or postgres:// URL (default .diglot/tm.db beside the config)")
	f.BoolVar(&o.noTM, "no-tm", false, "run without the translation memory (reuse only this run's and existing outputs' translations)")
	f.BoolVar(&o.force, "force", false, "re-translate segments that have a machine translation")
	f.BoolVar(&o.forceReviewed, "force-reviewed", false, "with --force, also re-translate what reviewers edited or approved")
	f.BoolVar(&o.strict, "strict", false, "an error-level QA finding fails the run (exit 1); also [qa] strict")
	if !o.dryRun {
		f.BoolVar(&o.dryRun, "dry-run", false, "read and look up everything, print what a real run would send and cost; call no engine, write nothing")
	}
	f.Float64Var(&o.maxCost, "max-cost", 0, "stop taking new batches before the estimated spend passes `AMOUNT` (price table currency)")
	f.StringArrayVar(&o.include, "include", nil, "only files matching `GLOB` (relative path; ** spans directories; repeatable)")
	f.StringArrayVar(&o.exclude, "exclude", nil, "skip files matching `GLOB` (repeatable)")
	f.IntVar(&o.limit, "limit", 0, "take at most `N` files")
	f.StringVar(&o.shard, "shard", "", "take share `K/N` of the files, balanced by size (largest first to the lightest share), the same on every machine")
	f.BoolVar(&o.changedOnly, "changed-only", false, "only files whose output is missing or older than the source")
	f.StringVar(&o.reuse, "reuse", pipeline.ReuseSame, "whose machine translations to reuse: same (this engine and model only) or any")
	f.BoolVar(&o.followSymlinks, "follow-symlinks", false, "take inputs reached through symlinks that lead out of the input directory")
	f.BoolVar(&o.sync, "sync", false, "make each bilingual file durable (fsync) before it replaces the old one (always without a translation memory)")
	completeFlags(cmd)
	return cmd
}

// merge fills options the user did not give on the command line from the
// configuration file: flags override the file.
func (o *translateOptions) merge(cmd *cobra.Command, a *app) error {
	c, err := a.config()
	if err != nil {
		return err
	}
	set := func(name string, dst *string, v string) {
		if !cmd.Flags().Changed(name) && v != "" {
			*dst = v
		}
	}
	set("provider", &o.provider, c.Provider)
	set("source", &o.source, c.Source)
	set("target", &o.target, c.Target)
	set("output", &o.output, c.Resolve(c.Output))
	set("input-encoding", &o.inputEncoding, c.Input.Encoding)
	if !cmd.Flags().Changed("concurrency") && c.Concurrency > 0 {
		o.concurrency = c.Concurrency
	}
	if !cmd.Flags().Changed("max-file-size") && c.MaxFileSize > 0 {
		o.maxFileSize = c.MaxFileSize
	}
	if o.provider == "" {
		return usagef("no engine: give --provider or set provider in config.toml (engines: %v)", providers.Names())
	}
	return nil
}

func runTranslate(cmd *cobra.Command, a *app, o *translateOptions, args []string) error {
	if err := o.merge(cmd, a); err != nil {
		return err
	}
	src, tgt, err := languages(o.source, o.target)
	if err != nil {
		return err
	}
	log, err := a.logger()
	if err != nil {
		return err
	}
	c, _ := a.config()
	p, err := providers.Open(o.provider, providers.Config{Decode: c.ProviderDecoder(o.provider), Logger: log, Resolve: c.Resolve})
	if err != nil {
		return usageError{err}
	}
	defer closeProvider(p)
	if o.forceReviewed && !o.force {
		return usagef("--force-reviewed goes with --force")
	}
	g, err := a.glossary(o.glossaries)
	if err != nil {
		return err
	}
	qcfg, err := a.qaConfig(g, o.strict, o.provider == "copy")
	if err != nil {
		return err
	}
	sel, err := o.selection(a)
	if err != nil {
		return err
	}
	// The memory last: opening a file memory creates it, and a usage error
	// must leave nothing behind.
	mem, err := a.openTMFor(cmd.Context(), o.tmPath, o.noTM, o.dryRun)
	if err != nil {
		return err
	}
	defer mem.Close()
	opts := &pipeline.Options{
		Selection: sel, DryRun: o.dryRun, MaxCost: o.maxCost,
		Provider: p, ProviderName: o.provider, Model: modelOf(p), Source: src, Target: tgt,
		Glossary: g, Memory: mem, Force: o.force, ForceReviewed: o.forceReviewed, QA: qcfg,
		OutDir: o.output, Concurrency: o.concurrency, MaxFileSize: o.maxFileSize,
		InputEncoding: o.inputEncoding, Logger: log,
		Markdown: a.markdownOptions(c), Reuse: o.reuse, FollowSymlinks: o.followSymlinks, Sync: o.sync,
	}
	var pr *progress
	if a.io.ErrIsTerminal() && !a.quiet {
		pr = newProgress(cmd.Context(), a.io.Err)
		opts.Observer = pr
	}
	rep, err := pipeline.Translate(cmd.Context(), args, opts)
	if pr != nil {
		pr.stop() // before the summary, so no redraw overwrites it
	}
	if err != nil {
		return usageError{err}
	}
	return finishRun(cmd, a, rep, o.report)
}

// languages parses the language pair at the configuration edge.
func languages(source, target string) (language.Tag, language.Tag, error) {
	if source == "" || target == "" {
		return language.Und, language.Und, usagef("give --source and --target (or source and target in config.toml)")
	}
	src, err := language.Parse(source)
	if err != nil {
		return src, src, usagef("--source %q: %v", source, err)
	}
	tgt, err := language.Parse(target)
	if err != nil {
		return src, tgt, usagef("--target %q: %v", target, err)
	}
	return src, tgt, nil
}

// modelOf asks an engine which model it uses, for the memory's origin.
func modelOf(p providers.Provider) string {
	if m, ok := p.(interface{ Model() string }); ok {
		return m.Model()
	}
	return ""
}

func closeProvider(p providers.Provider) {
	if c, ok := p.(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// finishRun prints per-file errors and the summary, writes the JSON report,
// and turns the outcome into the command's error.
func finishRun(cmd *cobra.Command, a *app, rep *pipeline.Report, reportPath string) error {
	for _, f := range rep.Files {
		if f.Status != pipeline.StatusFailed {
			continue
		}
		if rest, ok := strings.CutPrefix(f.Error, f.Path+":"); ok {
			fmt.Fprintf(a.io.Err, "diglot: %s:%s\n", pipeline.DisplayPath(f.Path), rest) // already names the file and line
		} else {
			fmt.Fprintf(a.io.Err, "diglot: %s: %s\n", pipeline.DisplayPath(f.Path), f.Error)
		}
	}
	for _, in := range rep.Inputs {
		fmt.Fprintf(a.io.Err, "diglot: %s\n", in)
	}
	if rep.Stopped != "" && rep.Stopped != "interrupted" {
		fmt.Fprintf(a.io.Err, "diglot: stopped early: %s\n", rep.Stopped)
	}
	for _, s := range rep.Failures {
		fmt.Fprintf(a.io.Err, "diglot: %s:%d: segment failed: %s\n", pipeline.DisplayPath(s.File), s.Line, s.Reason)
	}
	for _, cf := range rep.Conflicts {
		a.warn("conflict: the same paragraph was reviewed differently at %s", strings.Join(cf.Places, " and "))
	}
	for _, fd := range rep.Findings {
		if fd.Severity == qa.Error || a.verbose {
			fmt.Fprintln(a.io.Err, qa.Format(pipeline.DisplayPath(fd.File), fd.Finding))
		}
	}
	if !a.quiet {
		rep.Summary(a.io.Out)
	}
	if reportPath != "" {
		if err := writeReport(reportPath, rep); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	switch {
	case cmd.Context().Err() != nil:
		return errInterrupted
	case rep.Failed():
		return errFailed
	}
	return nil
}

func writeReport(path string, rep *pipeline.Report) error {
	return atomicfile.Write(path, func(w *os.File) error { return rep.WriteJSON(w) })
}

// qaConfig is the [qa] table with --strict applied, the glossary's check
// hooked in, and the untranslated and length checks off for the copy
// engine, whose whole point is to echo its source.
func (a *app) qaConfig(g *glossary.Glossary, strict, echo bool) (*qa.Config, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	q := c.QA
	q.Strict = q.Strict || strict
	if echo {
		q.Disable = append(q.Disable, qa.KindUntranslated, qa.KindLength)
	}
	if g != nil {
		q.Glossary = func(source, target string) []string {
			var msgs []string
			for _, v := range g.CheckPair(source, target) {
				msgs = append(msgs, v.String())
			}
			return msgs
		}
	}
	if err := q.Validate(); err != nil {
		return nil, usageError{fmt.Errorf("config: [qa]: %w", err)}
	}
	return &q, nil
}

// selection builds the file selection from flags and [input].
func (o *translateOptions) selection(a *app) (*pipeline.Selection, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	sel := &pipeline.Selection{
		Include: append(append([]string(nil), c.Input.Include...), o.include...),
		Exclude: append(append([]string(nil), c.Input.Exclude...), o.exclude...),
		Limit:   o.limit, ChangedOnly: o.changedOnly,
	}
	if o.limit < 0 {
		return nil, usagef("--limit %d: want a positive number", o.limit)
	}
	if o.shard != "" {
		if sel.Shard, sel.Shards, err = pipeline.ParseShard(o.shard); err != nil {
			return nil, usagef("--shard %q: %s", o.shard, pipeline.ShardSyntax)
		}
	}
	return sel, nil
}

// completeFlags offers values for the flags that take names.
func completeFlags(cmd *cobra.Command) {
	fixed := func(vals ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return vals, cobra.ShellCompDirectiveNoFileComp
		}
	}
	_ = cmd.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return providers.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("input-encoding", fixed("utf-8", "auto", "gb18030", "big5"))
	_ = cmd.RegisterFlagCompletionFunc("source", fixed("zh", "zh-Hans", "zh-Hant", "en", "ja", "ko", "fr", "de", "es", "ru"))
	_ = cmd.RegisterFlagCompletionFunc("target", fixed("en", "zh", "zh-Hans", "zh-Hant", "ja", "ko", "fr", "de", "es", "ru"))
}
