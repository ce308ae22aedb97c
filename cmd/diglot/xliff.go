package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/diglot/diglot/internal/atomicfile"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/tm"
)

// xliffOptions are the flags of the xliff subcommands.
type xliffOptions struct {
	output string
	base   string
	tm     string
	noTM   bool
}

func newXLIFFCmd(a *app) *cobra.Command {
	o := &xliffOptions{}
	cmd := &cobra.Command{
		Use:   "xliff",
		Short: "Exchange bilingual files with CAT tools as XLIFF 2.1",
		Long: `Export bilingual files as XLIFF 2.1 for Trados, memoQ, OmegaT or Weblate,
and import the translated XLIFF back into them: changed targets replace the
units' target blocks (kept byte for byte elsewhere), final segments approve
their units, and the edits reach the translation memory as reviewed entries.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&o.base, "base", "", "directory the XLIFF's file paths are relative to (default: the working directory)")
	cmd.AddCommand(newXLIFFExportCmd(a, o), newXLIFFImportCmd(a, o))
	return cmd
}

func newXLIFFExportCmd(a *app, o *xliffOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [-o FILE|DIR] PATH...",
		Short: "Write bilingual files as XLIFF 2.1 (to stdout, one FILE, or one file each under DIR/)",
		Example: `  diglot xliff export -o review.xlf out/en
  diglot xliff export -o xliff/ out/en      # out/en/a.md -> xliff/a.md.xlf`,
		Args: atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error { return a.xliffExport(o, args) },
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "XLIFF `FILE`, or DIR/ for one XLIFF per bilingual file (default stdout)")
	return cmd
}

func newXLIFFImportCmd(a *app, o *xliffOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import [flags] FILE.xlf...",
		Short: "Apply translated XLIFF to the bilingual files it came from, and store the edits in the memory",
		Args:  atLeastOne,
		RunE:  func(cmd *cobra.Command, args []string) error { return a.xliffImport(cmd, o, args) },
	}
	cmd.Flags().StringVar(&o.tm, "tm", "", "translation memory file or postgres:// URL (default .diglot/tm.db beside the config)")
	cmd.Flags().BoolVar(&o.noTM, "no-tm", false, "update the bilingual files only")
	return cmd
}

// xliffBase is the directory XLIFF paths are relative to.
func (o *xliffOptions) xliffBase() (string, error) {
	base := o.base
	if base == "" {
		base = "."
	}
	return filepath.Abs(base)
}

func (a *app) xliffExport(o *xliffOptions, args []string) error {
	c, err := a.config()
	if err != nil {
		return err
	}
	base, err := o.xliffBase()
	if err != nil {
		return usageError{err}
	}
	opts := &xliff.Options{Markdown: a.markdownOptions(c)}
	jobs, errs := pipeline.Discover(args, nil)
	var inputs []*xliff.Input
	var rels []string
	for _, j := range jobs {
		in, err := readXLIFFInput(j.Path, base, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		inputs, rels = append(inputs, in), append(rels, j.Rel)
	}
	dirMode := o.output != "" && (strings.HasSuffix(o.output, "/") || strings.HasSuffix(o.output, string(filepath.Separator)) || isDir(o.output))
	switch {
	case dirMode:
		for i, in := range inputs {
			if len(in.File.Units) == 0 {
				continue
			}
			path, err := pipeline.OutputPath(o.output, rels[i]+".xlf")
			if err == nil {
				err = a.writeXLIFF(path, []*xliff.Input{in})
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", in.Path, err))
			}
		}
	case len(inputs) == 0:
	case o.output == "":
		if _, err := xliff.Export(a.io.Out, inputs); err != nil {
			return exportError(err)
		}
	default:
		if err := a.writeXLIFF(o.output, inputs); err != nil {
			return exportError(err)
		}
	}
	return reportErrors(a, errs)
}

// exportError makes a language mix a usage error: the user must split the
// export.
func exportError(err error) error {
	if errors.Is(err, xliff.ErrLanguages) || errors.Is(err, xliff.ErrNothing) {
		return usageError{err}
	}
	return err
}

// writeXLIFF exports inputs to path atomically and says so on stdout.
func (a *app) writeXLIFF(path string, inputs []*xliff.Input) error {
	var n int
	err := atomicfile.Write(path, func(f *os.File) error {
		var err error
		n, err = xliff.Export(f, inputs)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Out, "%s: %d units from %d files\n", path, n, len(inputs))
	return nil
}

// readXLIFFInput reads one bilingual file for export, recording its path
// relative to base.
func readXLIFFInput(path, base string, opts *xliff.Options) (*xliff.Input, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: outside %s, which the XLIFF's paths are relative to (set --base)", path, base)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return xliff.ReadInput(filepath.ToSlash(rel), data, opts)
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func (a *app) xliffImport(cmd *cobra.Command, o *xliffOptions, args []string) error {
	c, err := a.config()
	if err != nil {
		return err
	}
	base, err := o.xliffBase()
	if err != nil {
		return usageError{err}
	}
	opts := &xliff.Options{Markdown: a.markdownOptions(c)}
	var errs []error
	var written []string
	skipped := false
	for _, name := range args {
		doc, err := parseXLIFFFile(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for i := range doc.Files {
			xf := &doc.Files[i]
			path, res, err := applyXLIFF(name, xf, base, opts)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, s := range res.Skipped {
				a.warn("%s", s)
				skipped = true
			}
			if len(res.Changed)+len(res.Approved) > 0 {
				written = append(written, path)
			}
			fmt.Fprintf(a.io.Out, "%s: %d targets changed, %d units approved\n", path, len(res.Changed), len(res.Approved))
		}
	}
	if len(written) > 0 && !o.noTM {
		if err := a.importXLIFFReviews(cmd, o, written); err != nil {
			errs = append(errs, err)
		}
	}
	if err := reportErrors(a, errs); err != nil {
		return err
	}
	if skipped {
		return errFailed
	}
	return nil
}

func parseXLIFFFile(name string) (*xliff.Document, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return xliff.Parse(name, f)
}

// applyXLIFF applies one <file> to its bilingual file and writes it back
// atomically, unless it changed on disk meanwhile. It returns the file's
// path.
func applyXLIFF(name string, xf *xliff.File, base string, opts *xliff.Options) (string, *xliff.Applied, error) {
	if xf.Original == "" {
		return "", nil, fmt.Errorf("%s:%d: <file id=%q> has no original attribute naming its bilingual file", name, xf.Line, xf.ID)
	}
	path, err := pipeline.OutputPath(base, xf.Original)
	if err != nil {
		return "", nil, fmt.Errorf("%s:%d: <file original=%q>: %w", name, xf.Line, xf.Original, err)
	}
	// Name the file as the user would: relative to the working directory
	// when it is below it.
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			path = rel
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("%s:%d: %w (the XLIFF's paths are relative to the directory export ran in; give it with --base)", name, xf.Line, err)
	}
	if err != nil {
		return "", nil, fmt.Errorf("%s:%d: %w", name, xf.Line, err)
	}
	next, res, err := xliff.Apply(path, data, name, xf, opts)
	if err != nil {
		return "", nil, err
	}
	if bytes.Equal(next, data) {
		return path, res, nil
	}
	err = atomicfile.Write(path, func(f *os.File) error {
		// A reviewer may have saved the file since it was read: never
		// overwrite that.
		now, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(now, data) {
			return fmt.Errorf("changed on disk during the import; import again")
		}
		_, err = io.Copy(f, bytes.NewReader(next))
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return path, res, nil
}

// importXLIFFReviews stores the reviewed units of the files the import
// changed in the memory, as `diglot tm import-reviews` does.
func (a *app) importXLIFFReviews(cmd *cobra.Command, o *xliffOptions, paths []string) error {
	return a.withTM(cmd, o.tm, func(s tm.Store) error {
		g, err := a.glossary(nil)
		if err != nil {
			return err
		}
		c, err := a.config()
		if err != nil {
			return err
		}
		im, err := pipeline.ImportReviews(cmd.Context(), paths, &pipeline.ImportOptions{
			Memory: s, KeyFunc: pipeline.KeyFor(g), Format: out.Format{Markdown: a.markdownOptions(c)}})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.io.Out, "%d reviewed segments stored in the translation memory\n", im.Segments)
		for _, cf := range im.Conflicts {
			a.warn("conflict: the same paragraph was reviewed differently at %s", strings.Join(cf.Places, " and "))
		}
		return errors.Join(im.Errors...)
	})
}
