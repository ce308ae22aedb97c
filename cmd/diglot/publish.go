package main

import (
	"github.com/spf13/cobra"

	"github.com/diglot/diglot/pipeline"
)

// publishOptions are the flags of "diglot publish".
type publishOptions struct {
	layout string
	output string
	report string
}

func newPublishCmd(a *app) *cobra.Command {
	o := &publishOptions{}
	cmd := &cobra.Command{
		Use:   "publish [flags] PATH...",
		Short: "Publish bilingual files as target-only or paired bilingual documents",
		Long: `Publish reads aligned bilingual files (or directories of them) and writes
each as a publishable document: the target alone (--layout target) or source
and target paragraphs paired without markers (--layout bilingual). Reviewers'
edits are published as they stand.`,
		Example: `  diglot publish --layout target -o site/en out/en`,
		Args:    atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := a.logger()
			if err != nil {
				return err
			}
			format, err := a.format()
			if err != nil {
				return err
			}
			rep, err := pipeline.Publish(cmd.Context(), args, &pipeline.PublishOptions{
				OutDir: o.output, Format: format, Layout: o.layout, Logger: log,
			})
			if err != nil {
				return usageError{err}
			}
			return finishRun(cmd, a, rep, o.report)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.layout, "layout", pipeline.LayoutTarget, "target (target only) or bilingual (source and target paired)")
	f.StringVarP(&o.output, "output", "o", "out", "output directory")
	f.StringVar(&o.report, "report", "", "write the report as JSON to `FILE`")
	_ = cmd.RegisterFlagCompletionFunc("layout", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{pipeline.LayoutTarget, pipeline.LayoutBilingual}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}
