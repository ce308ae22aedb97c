package main

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/text/language"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/config"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers"
)

// Main runs the diglot command line with args and returns the exit status.
// Every error is printed once, as "diglot: <what failed>: <why>".
func Main(ctx context.Context, args []string, streams *IO) int {
	root := newRootCmd(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && !errors.Is(err, errFailed) && !errors.Is(err, errInterrupted) {
		fmt.Fprintf(streams.Err, "diglot: %s\n", strings.ReplaceAll(err.Error(), "\n", "\ndiglot: "))
	}
	return exitCode(ctx, err)
}

// app holds what every command shares: streams, global flags, the loaded
// configuration.
type app struct {
	io         *IO
	configPath string
	logLevel   string
	logFormat  string
	quiet      bool
	verbose    bool

	cfg *config.Config
}

func newRootCmd(streams *IO) *cobra.Command {
	a := &app{io: streams}
	root := &cobra.Command{
		Use:   "diglot",
		Short: "Translate Markdown into aligned bilingual Markdown that reviewers edit, and publish it",
		Long: `diglot splits Markdown articles into paragraphs, translates them through a
pluggable engine with a glossary, and writes aligned bilingual Markdown that
reviewers edit in place. Runs are incremental: reviewers' edits are kept and
each unique paragraph is paid for once.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetIn(streams.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "configuration file (default ./config.toml when present)")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&a.logFormat, "log-format", "text", "log format on stderr: text or json")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print nothing but errors and results")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "print a line per file")
	_ = root.RegisterFlagCompletionFunc("log-level", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"debug", "info", "warn", "error"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("log-format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	root.AddCommand(newTranslateCmd(a), newPublishCmd(a), newProvidersCmd(a), newTMCmd(a), newEstimateCmd(a), newCheckCmd(a), newGlossaryCmd(a), newReviewCmd(a), newXLIFFCmd(a))
	return root
}

// noArgs rejects stray arguments as a usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// atLeastOne requires a path argument.
func atLeastOne(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usagef("%s needs at least one PATH", cmd.CommandPath())
	}
	return nil
}

// config loads --config, or ./config.toml when present, once.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	path := a.configPath
	if path == "" {
		if _, err := os.Stat("config.toml"); err != nil {
			a.cfg = &config.Config{}
			return a.cfg, nil
		}
		path = "config.toml"
	}
	c, err := config.Load(path)
	if err == nil {
		// Engines register themselves; the configuration cannot know them.
		err = c.Validate(providers.Names())
	}
	if err != nil {
		return nil, usageError{fmt.Errorf("config: %w", err)}
	}
	a.cfg = c
	return c, nil
}

// format is what bilingual files are read with outside translate: the
// configuration's markdown options and any language pair (each file says
// its own).
func (a *app) format() (out.Format, error) {
	c, err := a.config()
	if err != nil {
		return out.Format{}, err
	}
	return out.Format{Markdown: a.markdownOptions(c)}, nil
}

// markdownOptions are c's markdown options. Their source language is left
// to the run: translate parses in its source language, and readers of
// bilingual files in the one the header records.
func (a *app) markdownOptions(c *config.Config) *markdown.Options {
	return c.Markdown.Options(language.Und)
}

// pair returns the language pair from flags, else the configuration.
func (a *app) pair(source, target string) (string, string, error) {
	c, err := a.config()
	if err != nil {
		return "", "", err
	}
	if source == "" {
		source = c.Source
	}
	if target == "" {
		target = c.Target
	}
	src, tgt, err := languages(source, target)
	if err != nil {
		return "", "", err
	}
	return src.String(), tgt.String(), nil
}

// warn prints a warning on stderr unless --quiet.
func (a *app) warn(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.io.Err, "diglot: warning: "+format+"\n", args...)
	}
}

// logger builds the handler the CLI owns: text or JSON on stderr. Library
// packages only ever receive it.
func (a *app) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", a.logLevel)
	}
	if a.quiet && level < slog.LevelError {
		level = slog.LevelError
	} else if !a.verbose && level == slog.LevelInfo {
		// Per-file Info lines only with --verbose; warnings always.
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	switch a.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(a.io.Err, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(a.io.Err, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", a.logFormat)
}
