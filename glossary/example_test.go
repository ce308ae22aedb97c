package glossary_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/diglot/diglot/glossary"
)

// Example shows the whole loop for an engine without glossary support:
// match the terms of a segment, protect them, translate, restore and
// verify.
func Example() {
	const tsv = "source\ttarget\tmode\taliases\tforbidden\n" +
		"美国\tUS\n" +
		"美国总统\tUS President\n" +
		"拜登\tBiden\n" +
		"北京\tBeijing\t\t\tPeking\n" +
		"GTV\tGTV\tkeep\n"
	g, err := glossary.Parse("glossary.tsv", strings.NewReader(tsv))
	if err != nil {
		log.Fatal(err)
	}
	source := "美国总统拜登在<g1>北京</g1>接受GTV采访。"
	matches := g.Match(source)
	for _, m := range matches {
		fmt.Printf("%s -> %s\n", m.Text, m.Entry.Target)
	}

	protected, restore := glossary.Protect(source, matches, glossary.ProtectAll)
	fmt.Println(protected)

	// What an engine might return for the protected text.
	translated := "<x2/><x3/> gave an interview to <x5/> in <g1><x4/></g1>."
	target := glossary.Unprotect(translated, restore)
	fmt.Println(target)
	fmt.Println(len(glossary.Verify(target, matches)), "violations")
	fmt.Println(glossary.Verify("President Biden spoke in Peking.", matches)[0])
	// Output:
	// 美国总统 -> US President
	// 拜登 -> Biden
	// 北京 -> Beijing
	// GTV -> GTV
	// <x2/><x3/>在<g1><x4/></g1>接受<x5/>采访。
	// US President Biden gave an interview to GTV in <g1>Beijing</g1>.
	// 0 violations
	// term 美国总统: "US President" missing from the translation
}
