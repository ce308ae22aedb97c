package pipeline_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers/pseudo"
)

// Example translates a directory with the offline pseudo engine and prints
// the aligned bilingual file, then publishes the target document.
func Example() {
	dir, err := os.MkdirTemp("", "diglot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	in, bi, pub := filepath.Join(dir, "in"), filepath.Join(dir, "bi"), filepath.Join(dir, "pub")
	os.Mkdir(in, 0o755)
	article := "## 美俄峰会\n\n美国总统和俄罗斯总统在[日内瓦](https://example.org/geneva)举行了峰会。\n"
	os.WriteFile(filepath.Join(in, "summit.md"), []byte(article), 0o644)

	ctx := context.Background()
	rep, err := pipeline.Translate(ctx, []string{in}, &pipeline.Options{
		Provider: pseudo.NewTranslator(nil), ProviderName: "pseudo",
		Source: language.Chinese, Target: language.English,
		OutDir: bi,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d file, %d segments translated\n", rep.Totals.Files, rep.Totals.Translated)
	bilingual, _ := os.ReadFile(filepath.Join(bi, "summit.md"))
	fmt.Print(string(bilingual))

	if _, err := pipeline.Publish(ctx, []string{bi}, &pipeline.PublishOptions{OutDir: pub}); err != nil {
		log.Fatal(err)
	}
	target, _ := os.ReadFile(filepath.Join(pub, "summit.md"))
	fmt.Print("---\n", string(target))
	// Output:
	// 1 file, 2 segments translated
	// <!-- diglot v1 source=zh target=en from=summit.md -->
	//
	// ## 美俄峰会
	//
	// <!-- diglot:t id=1 src=cd31ef47 mt=8a96203d state=machine by=pseudo -->
	// ## waheen biinraan
	//
	// 美国总统和俄罗斯总统在[日内瓦](https://example.org/geneva)举行了峰会。
	//
	// <!-- diglot:t id=2 src=64ec0ac2 mt=b7d51556 state=machine by=pseudo -->
	// wavee sunnzunn tiheen liinzeen sunnzunn mu [jjaju kka](https://example.org/geneva) weeta kkenbiin raan。
	// ---
	// ## waheen biinraan
	//
	// wavee sunnzunn tiheen liinzeen sunnzunn mu [jjaju kka](https://example.org/geneva) weeta kkenbiin raan。
}
