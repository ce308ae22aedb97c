package markdown_test

import (
	"fmt"
	"strings"

	"github.com/diglot/diglot/markdown"
)

func Example() {
	src := []byte("# 标题\n\n见[报道](https://example.org)和 `code`。\n")
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		panic(err)
	}
	targets := make([]string, len(doc.Segments))
	for i, s := range doc.Segments {
		fmt.Printf("%d: %s\n", i, s.Text)
		targets[i] = strings.NewReplacer("标题", "Title", "见", "See the ", "报道", "report", "和", " and ").Replace(s.Text)
	}
	out, err := doc.Assemble(targets)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(out))
	// Output:
	// 0: 标题
	// 1: 见<g1>报道</g1>和 <x2/>。
	// # Title
	//
	// See the [report](https://example.org) and  `code`。
}
