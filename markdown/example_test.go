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

// Wiki spans are translated by their label; the target stays as it is.
func ExampleOptions_wikiLinks() {
	src := []byte("参见[[zh:香港]]的新闻。\n")
	for _, mode := range []string{markdown.WikiLabel, markdown.WikiUnwrap, markdown.WikiKeep} {
		doc, err := markdown.Parse(src, &markdown.Options{WikiLinks: mode})
		if err != nil {
			panic(err)
		}
		text := doc.Segments[0].Text
		target := strings.NewReplacer("参见", "See the ", "香港", "Hong Kong", "的新闻。", " news.").Replace(text)
		out, err := doc.Assemble([]string{target})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-6s %s -> %s", mode, text, out)
	}
	// Output:
	// label  参见<g1>香港</g1>的新闻。 -> See the [[zh:香港|Hong Kong]] news.
	// unwrap 参见<g1>香港</g1>的新闻。 -> See the Hong Kong news.
	// keep   参见<x1/>的新闻。 -> See the [[zh:香港]] news.
}

// A reviewer's edited target is read back in its source's numbering: here
// the image's alt text and title were translated, a wiki span deleted.
func ExampleAlignTags() {
	src, err := markdown.Parse([]byte("见[[zh:香港]]![图](a.png \"标题\")。\n"), nil)
	if err != nil {
		panic(err)
	}
	edited, err := markdown.ParseFragment([]byte("See Hong Kong ![map](a.png \"Map\").\n"), src, nil)
	if err != nil {
		panic(err)
	}
	text, err := markdown.AlignTags(src.Segments[0], edited.Segments[0])
	fmt.Println(src.Segments[0].Text)
	fmt.Println(text, err)
	// Output:
	// 见<g1>香港</g1><g2>图</g2><g3>标题</g3>。
	// See Hong Kong <g2>map</g2><g3>Map</g3>. <nil>
}

// A translation that Markdown would read as other syntax is escaped: here
// a Chinese time followed by a word would be an emoji shortcode, and a
// numbered line a list.
func ExampleDocument_Assemble_escapes() {
	doc, err := markdown.Parse([]byte("01:04:55名字：\n\n一九八六年。\n"), nil)
	if err != nil {
		panic(err)
	}
	out, err := doc.Assemble([]string{"01:04:55name:", "1986. That year."})
	if err != nil {
		panic(err)
	}
	fmt.Print(string(out))
	// Output:
	// 01:04\:55name:
	//
	// 1986\. That year.
}
