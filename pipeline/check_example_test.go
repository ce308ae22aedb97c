package pipeline_test

import (
	"context"
	"fmt"
	"log"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/qa"
)

// ExampleCheck checks a bilingual file in which a reviewer added an item
// to a list and other units carry a changed number, leaked reasoning, an
// echo and broken URLs: every finding is reported, each at its line.
func ExampleCheck() {
	rep, err := pipeline.Check(context.Background(), []string{"testdata/check/planted.md"}, &pipeline.CheckOptions{
		QA: &qa.Config{Disable: []string{qa.KindState}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range rep.Findings {
		fmt.Printf("%d %s %s\n", f.Line, f.Kind, f.Severity)
	}
	fmt.Println(rep.Files[0].Status, rep.Failed())
	// Output:
	// 17 structure error
	// 17 leaked error
	// 24 numbers error
	// 29 tags error
	// 29 urls error
	// 34 structure error
	// 34 leaked error
	// 39 untranslated error
	// 44 urls error
	// 49 tags error
	// 49 urls error
	// attention true
}
