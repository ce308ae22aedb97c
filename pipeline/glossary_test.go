package pipeline_test

import (
	"context"
	"os"
	"testing"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers/pseudo"
	"github.com/diglot/diglot/tm"
)

// TestGlossaryComplianceByProtection: the pseudo engine has no glossary
// support and garbles every letter, so every term must reach the output
// through protection: 100% compliance over the examples (and the corpus).
func TestGlossaryComplianceByProtection(t *testing.T) {
	g, _, err := glossary.Load("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	dir := "../examples"
	if _, err := os.Stat(corpus); err == nil && !testing.Short() {
		dir = corpus
	}
	o := translateOpts(t, t.TempDir())
	o.Provider, o.ProviderName, o.Glossary, o.Memory = pseudo.NewTranslator(nil), "pseudo", g, tm.NewMemory(nil)
	rep, err := pipeline.Translate(context.Background(), []string{dir}, o)
	if err != nil {
		t.Fatal(err)
	}
	terms := rep.Glossary.Terms
	if terms.Occurrences < 50 {
		t.Fatalf("only %d term occurrences in %s: is the glossary matched at all?", terms.Occurrences, dir)
	}
	if terms.Compliance != 100 || terms.Violated != 0 || len(rep.Glossary.Violations) != 0 {
		for _, v := range first(rep.Glossary.Violations, 5) {
			t.Logf("%s:%d: %v", v.File, v.Line, v.Violation)
		}
		t.Errorf("compliance %.2f%%, %d violated", terms.Compliance, terms.Violated)
	}
	t.Logf("%d occurrences of %d terms in %s, %.1f%% compliant", terms.Occurrences, len(terms.Terms), dir, terms.Compliance)
}

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }
