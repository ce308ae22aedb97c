package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/providers"
)

func newProvidersCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "providers",
		Short: "List the translation engines",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range providers.Names() {
				e, _ := providers.Lookup(name)
				fmt.Fprintf(a.io.Out, "%-14s %s\n", name, e.Summary)
			}
			return nil
		},
	}
}
