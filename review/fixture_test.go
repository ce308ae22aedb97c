package review

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers/pseudo"
)

// corpusDir is where the shared corpus is, relative to this package.
const corpusDir = "../../shared/corpus"

// corpusArticles returns the paths of the first n corpus articles, or skips
// the test when the corpus is absent.
func corpusArticles(t testing.TB, n int) []string {
	t.Helper()
	ents, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not found at %s: %v", corpusDir, err)
	}
	var paths []string
	for _, e := range ents {
		if filepath.Ext(e.Name()) == ".md" && len(paths) < n {
			paths = append(paths, filepath.Join(corpusDir, e.Name()))
		}
	}
	if len(paths) < n {
		t.Skipf("corpus has %d articles, want %d", len(paths), n)
	}
	return paths
}

// translateFixture translates the given source files with the pseudo engine
// into a fresh bilingual directory and returns it.
func translateFixture(t testing.TB, sources []string) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range sources {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, filepath.Base(s)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bi := filepath.Join(t.TempDir(), "bi")
	rep, err := pipeline.Translate(context.Background(), []string{in}, &pipeline.Options{
		Provider: pseudo.NewTranslator(nil), ProviderName: "pseudo",
		Source: language.Chinese, Target: language.English,
		OutDir: bi,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.FilesFailed > 0 {
		t.Fatalf("fixture: %d files failed", rep.Totals.FilesFailed)
	}
	return bi
}
