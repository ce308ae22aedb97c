package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/pipeline"
)

// publishOptions are the flags of "diglot publish".
type publishOptions struct {
	layout      string
	output      string
	report      string
	require     string
	maxFileSize int64
	hugoTree    bool
	hugoSource  bool
}

func newPublishCmd(a *app) *cobra.Command {
	o := &publishOptions{}
	cmd := &cobra.Command{
		Use:   "publish [flags] PATH...",
		Short: "Publish bilingual files as target-only, paired bilingual, HTML or Hugo documents",
		Long: `Publish reads aligned bilingual files (or directories of them) and writes
each as a publishable document: the target alone (--layout target), source
and target paired as Markdown without markers (--layout bilingual: a heading
once, in the target language, with the source heading's text below it), or a
static bilingual reading page NAME.html (--layout html: facing columns on a
wide screen, alternating paragraphs on a narrow one, no external assets) with
an index.html listing the pages, or Hugo content (--layout hugo): the
target page NAME.LANG.md beside each article (--hugo-tree: content/LANG/…),
its front matter translated with a translationKey, links to the other
articles pointing to their translated pages; --hugo-source writes the
source pages too. Reviewers' edits are published as they stand.

A file with failed, new or stale units is published and named on stderr with
those units' lines (exit 1). With --require translated, a file is published
only when every unit has a translation (machine or reviewed); with --require
reviewed, only when a reviewer edited or approved every unit. A refused file
is not written, its reason is printed, and the exit status is 1.

The output directory must not be an input directory nor lie inside one, and
no output may replace an input (exit 2). A bilingual file may hold eight
times max_file_size (--max-file-size) of text (the source, its target and a
previous target, which may take more bytes than the source) plus its
markers: what translate writes, publish reads.`,
		Example: `  diglot publish --layout target -o site/en out/en
  diglot publish --layout html -o site/zh-en out/en
  diglot publish --layout hugo -o site/content out/en
  diglot publish --layout hugo --hugo-tree --hugo-source -o site out/en
  diglot publish --require reviewed -o site/en out/en`,
		Args: atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := a.logger()
			if err != nil {
				return err
			}
			format, err := a.format()
			if err != nil {
				return err
			}
			maxSize, err := a.maxFileSize(cmd, o.maxFileSize)
			if err != nil {
				return err
			}
			rep, err := pipeline.Publish(cmd.Context(), args, &pipeline.PublishOptions{
				OutDir: o.output, Format: format, Layout: o.layout, Require: o.require,
				MaxFileSize: maxSize, Logger: log,
				Hugo: pipeline.HugoOptions{Tree: o.hugoTree, Source: o.hugoSource},
			})
			if err != nil {
				return usageError{err}
			}
			for _, f := range rep.Files {
				if f.Status == pipeline.StatusAttention && f.Error != "" {
					fmt.Fprintf(a.io.Err, "diglot: %s: %s\n", f.Path, f.Error)
				}
			}
			return finishRun(cmd, a, rep, o.report)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.layout, "layout", pipeline.LayoutTarget, "target (target only), bilingual (source and target paired, Markdown), html (reading pages and an index) or hugo (Hugo content)")
	f.StringVarP(&o.output, "output", "o", "out", "output directory")
	f.StringVar(&o.report, "report", "", "write the report as JSON to `FILE`")
	f.StringVar(&o.require, "require", "", "publish a file only if every unit is `STATE` or better: translated (machine or reviewed) or reviewed")
	f.BoolVar(&o.hugoTree, "hugo-tree", false, "with --layout hugo: write content/LANG/PATH (translation by content directory) instead of NAME.LANG.md beside each article")
	f.BoolVar(&o.hugoSource, "hugo-source", false, "with --layout hugo: write the source pages too (NAME.SRC.md, or content/SRC/PATH)")
	f.Int64Var(&o.maxFileSize, "max-file-size", pipeline.DefaultMaxFileSize, "largest source file in bytes (also max_file_size); a bilingual file may hold 8 times as much text, plus markers")
	_ = cmd.RegisterFlagCompletionFunc("layout", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{pipeline.LayoutTarget, pipeline.LayoutBilingual, pipeline.LayoutHTML, pipeline.LayoutHugo}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("require", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{pipeline.RequireTranslated, pipeline.RequireReviewed}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// maxFileSize is the --max-file-size flag when given, else max_file_size
// from the configuration, else the flag's default. A flag value that is
// not positive is a usage error naming the flag.
func (a *app) maxFileSize(cmd *cobra.Command, flag int64) (int64, error) {
	if cmd.Flags().Changed("max-file-size") {
		if flag <= 0 {
			return 0, usagef("--max-file-size %d: want a positive number of bytes", flag)
		}
		return flag, nil
	}
	c, err := a.config()
	if err != nil {
		return 0, err
	}
	if c.MaxFileSize > 0 {
		return c.MaxFileSize, nil
	}
	return flag, nil
}
