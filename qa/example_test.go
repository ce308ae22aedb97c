package qa_test

import (
	"fmt"

	"github.com/diglot/diglot/qa"
	"golang.org/x/text/language"
)

func ExampleCheckSegment() {
	p := qa.Pair{
		Source:   "据报道，该银行<g1>第一季度</g1>的存款下降了41%，至1,045亿美元。",
		Target:   "Here is the translation: the bank's deposits fell 41% in the <g1>first quarter</g1>, to $10.45 billion.",
		Line:     12,
		SegIndex: 3,
	}
	fs := qa.CheckSegment(nil, language.Chinese, language.English, p)
	for _, f := range fs {
		fmt.Println(qa.Format("out/bank.md", f))
	}
	fmt.Println("flags:", qa.Flags(fs), "errors:", qa.HasErrors(fs))
	// Output:
	// out/bank.md:12: numbers: number "1,045亿" is not in the target
	// out/bank.md:12: leaked: preamble "Here is the translation"
	// flags: [leaked numbers] errors: true
}

func ExampleConfig() {
	cfg := &qa.Config{Disable: []string{"length"}, LengthMax: 5}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
	}
	bad := &qa.Config{Disable: []string{"lenght"}}
	fmt.Println(bad.Validate() != nil)
	lo, hi := qa.LengthBounds(nil, language.Chinese, language.English)
	fmt.Printf("zh→en length ratio bounds: %.1f–%.1f\n", lo, hi)
	// Output:
	// true
	// zh→en length ratio bounds: 1.5–6.0
}
