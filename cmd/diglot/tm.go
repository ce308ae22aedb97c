package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/diglot/diglot/internal/atomicfile"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/tm"
)

// tmEnv names the environment variable that selects a shared memory (a
// postgres:// URL), so that a password never has to sit in config.toml.
const tmEnv = "DIGLOT_TM_URL"

// tmLocation is where the translation memory lives: --tm (a file or a
// postgres:// URL), then $DIGLOT_TM_URL, then tm.url in the configuration,
// then tm.path (relative to the configuration file), then .diglot/tm.db
// beside the configuration file or in the working directory. The
// configuration's values were checked when it was loaded (config.Validate
// names their lines); the flag's and the variable's are checked here.
func (a *app) tmLocation(flag string) (string, error) {
	if flag != "" {
		return checkLocation("--tm", flag)
	}
	if u := os.Getenv(tmEnv); u != "" {
		return checkLocation(tmEnv, u)
	}
	c, err := a.config()
	if err != nil {
		return "", err
	}
	if c.TM.URL != "" {
		return c.TM.URL, nil
	}
	if c.TM.Path != "" {
		return c.Resolve(c.TM.Path), nil
	}
	if c.Path() != "" {
		return filepath.Join(filepath.Dir(c.Path()), tm.DefaultPath), nil
	}
	return tm.DefaultPath, nil
}

// checkLocation refuses a location that is neither a file nor a
// postgres:// URL as a usage error naming where it came from (from), since
// anything else would be opened as an SQLite file name: a mistyped URL
// would start an empty memory, a keyword/value string would put its
// password in a file name. The value is shown without its secrets, and a
// keyword/value string not at all.
func checkLocation(from, loc string) (string, error) {
	err := tm.CheckLocation(loc)
	switch {
	case err == nil:
		return loc, nil
	case tm.IsKeywordValue(loc):
		return "", usagef("%s: %w", from, err)
	}
	return "", usagef("%s %q: %w", from, tm.Redact(loc), err)
}

// tmMode is what a command may do to a memory that is not there yet.
type tmMode int

const (
	tmCreate tmMode = iota // create it: the command writes
	tmDryRun               // use an empty one in memory: a dry run creates nothing
	tmRead                 // fail: reading a memory that is not there is a mistake (a typo in --tm)
)

// openTM opens the memory, or an in-memory one when disabled.
func (a *app) openTM(ctx context.Context, flag string, disabled bool) (tm.Store, error) {
	s, _, err := a.openTMAs(ctx, flag, disabled, tmCreate)
	return s, err
}

// openTMFor is openTM for a run that may be a dry run, which must create
// nothing: without a memory file on disk it gets an empty one in memory.
// A PostgreSQL memory is opened as it is (the pipeline writes nothing to it
// in a dry run).
func (a *app) openTMFor(ctx context.Context, flag string, disabled, dryRun bool) (tm.Store, error) {
	mode := tmCreate
	if dryRun {
		mode = tmDryRun
	}
	s, _, err := a.openTMAs(ctx, flag, disabled, mode)
	return s, err
}

// openTMAs opens the memory as mode allows and returns it with where it
// is, fit to show (a URL without its password).
func (a *app) openTMAs(ctx context.Context, flag string, disabled bool, mode tmMode) (tm.Store, string, error) {
	c, err := a.config()
	if err != nil {
		return nil, "", err
	}
	if disabled || c.TM.Disabled {
		return tm.NewMemory(nil), "none (tm.disabled)", nil
	}
	loc, err := a.tmLocation(flag)
	if err != nil {
		return nil, "", err
	}
	if tm.IsPostgresURL(loc) {
		s, err := tm.OpenPostgres(ctx, loc, nil)
		if err != nil {
			return nil, "", fmt.Errorf("translation memory: %w", err)
		}
		return s, tm.Redact(loc), nil
	}
	if _, err := os.Stat(loc); os.IsNotExist(err) {
		switch mode {
		case tmDryRun:
			return tm.NewMemory(nil), loc, nil
		case tmRead:
			return nil, "", fmt.Errorf("no translation memory at %s", loc)
		}
	}
	s, err := tm.Open(ctx, loc, nil)
	if err != nil {
		return nil, "", fmt.Errorf("translation memory %s: %w", loc, err)
	}
	return s, loc, nil
}

// withTM runs fn with the memory open, created if need be, and closes it
// after.
func (a *app) withTM(cmd *cobra.Command, path string, fn func(tm.Store) error) error {
	s, _, err := a.openTMAs(cmd.Context(), path, false, tmCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// readTM runs fn with a memory that must already be there, and where it
// is, for the commands that only read: they never create a file (nor its
// directories) that a mistyped --tm names.
func (a *app) readTM(cmd *cobra.Command, path string, fn func(s tm.Store, where string) error) error {
	s, where, err := a.openTMAs(cmd.Context(), path, false, tmRead)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s, where)
}

// tmOptions are the flags shared by the tm subcommands.
type tmOptions struct {
	path           string
	source, target string
	format         string
	state          string
	json           bool
}

func newTMCmd(a *app) *cobra.Command {
	o := &tmOptions{}
	cmd := &cobra.Command{
		Use:   "tm",
		Short: "Inspect, export and import the translation memory",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&o.path, "tm", "", "translation memory file or postgres:// URL (default .diglot/tm.db beside the config)")
	cmd.AddCommand(newTMStatsCmd(a, o), newTMExportCmd(a, o), newTMImportCmd(a, o), newTMImportReviewsCmd(a, o))
	return cmd
}

func newTMStatsCmd(a *app, o *tmOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count entries by language pair, origin and state",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.readTM(cmd, o.path, func(s tm.Store, where string) error {
				st, err := s.(tm.StatsReporter).Stats(cmd.Context())
				if err != nil {
					return err
				}
				if o.json {
					enc := json.NewEncoder(a.io.Out)
					enc.SetIndent("", "  ")
					return enc.Encode(struct {
						Memory string `json:"memory"`
						*tm.Stats
					}{where, st})
				}
				// Which memory was read: --tm, DIGLOT_TM_URL and the
				// configuration choose it, and an empty one elsewhere
				// looks the same as a wrong choice.
				fmt.Fprintf(a.io.Out, "memory: %s\n", where)
				return st.WriteText(a.io.Out)
			})
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func newTMExportCmd(a *app, o *tmOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [flags] [FILE]",
		Short: "Export the memory as TMX 1.4b (to FILE or stdout)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.format != "tmx" {
				return usagef("--format %q: only tmx is supported", o.format)
			}
			return a.readTM(cmd, o.path, func(s tm.Store, _ string) error {
				opts := &tm.ExportOptions{SourceLang: o.source, TargetLang: o.target, State: tm.State(o.state)}
				export := func(w io.Writer) error {
					_, err := tm.ExportTMX(cmd.Context(), w, s.(tm.Enumerator), opts)
					return err
				}
				if len(args) == 0 {
					return export(a.io.Out)
				}
				return atomicfile.Write(args[0], func(f *os.File) error { return export(f) })
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "tmx", "export format (tmx)")
	f.StringVar(&o.source, "source", "", "only this source language")
	f.StringVar(&o.target, "target", "", "only this target language")
	f.StringVar(&o.state, "state", "", "only this state (machine or reviewed)")
	return cmd
}

func newTMImportCmd(a *app, o *tmOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import [flags] FILE.tmx...",
		Short: "Import TMX files (from diglot, OmegaT, Trados and the like)",
		Args:  atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTM(cmd, o.path, func(s tm.Store) error {
				src, tgt, err := a.pair(o.source, o.target)
				if err != nil {
					return err
				}
				g, err := a.glossary(nil)
				if err != nil {
					return err
				}
				keyOf := pipeline.KeyFor(g)
				for _, path := range args {
					var skipped skips
					n, err := tm.ImportTMXFile(cmd.Context(), path, s, &tm.ImportOptions{
						SourceLang: src, TargetLang: tgt,
						KeyFunc: func(text string) string { return keyOf(src, tgt, text) },
						Skip:    skipped.add,
					})
					if err != nil {
						return fmt.Errorf("import %s: %w", path, err)
					}
					fmt.Fprintf(a.io.Out, "%s: %d entries imported%s\n", path, n, skipped.summary())
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "", "source language of the run that will use the entries (default: config)")
	f.StringVar(&o.target, "target", "", "target language (default: config)")
	return cmd
}

// skips counts the units an import left out, by reason, so that a file
// imported under the wrong language pair does not end in a bare
// "0 entries imported".
type skips struct {
	n       int
	reasons map[string]int
	order   []string
}

func (s *skips) add(_ int, reason string) {
	if s.reasons == nil {
		s.reasons = map[string]int{}
	}
	if s.reasons[reason] == 0 {
		s.order = append(s.order, reason)
	}
	s.reasons[reason]++
	s.n++
}

// summary is ", N units skipped: reason (count); …" with the three most
// common reasons, or "" when none was skipped.
func (s *skips) summary() string {
	if s.n == 0 {
		return ""
	}
	order := slices.Clone(s.order)
	slices.SortStableFunc(order, func(a, b string) int { return s.reasons[b] - s.reasons[a] })
	var parts []string
	for _, r := range order[:min(3, len(order))] {
		parts = append(parts, fmt.Sprintf("%s (%d)", r, s.reasons[r]))
	}
	if len(order) > 3 {
		parts = append(parts, "…")
	}
	return fmt.Sprintf(", %d units skipped: %s", s.n, strings.Join(parts, "; "))
}

func newTMImportReviewsCmd(a *app, o *tmOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import-reviews PATH...",
		Short: "Store reviewers' edits from bilingual files in the memory, translating nothing",
		Args:  atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTM(cmd, o.path, func(s tm.Store) error {
				g, err := a.glossary(nil)
				if err != nil {
					return err
				}
				format, err := a.format()
				if err != nil {
					return err
				}
				im, err := pipeline.ImportReviews(cmd.Context(), args, &pipeline.ImportOptions{
					Memory: s, KeyFunc: pipeline.KeyFor(g), Format: format})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.io.Out, "%d reviewed segments imported\n", im.Segments)
				for _, cf := range im.Conflicts {
					a.warn("conflict: the same paragraph was reviewed differently at %s", strings.Join(cf.Places, " and "))
				}
				return reportErrors(a, im.Errors)
			})
		},
	}
}

// reportErrors prints each error on its own line and fails when any.
func reportErrors(a *app, errs []error) error {
	for _, e := range errs {
		fmt.Fprintf(a.io.Err, "diglot: %v\n", e)
	}
	if len(errs) > 0 {
		return errFailed
	}
	return nil
}
