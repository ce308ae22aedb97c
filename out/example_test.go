package out_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

func Example() {
	src := []byte("# 峰会\n\n两国领导人举行了会谈。\n")
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		log.Fatal(err)
	}
	// Targets in the neutral form, one per segment (from an engine).
	targets := []string{"Summit", "The two leaders held talks."}

	var bi bytes.Buffer
	// The format: the language pair and the markdown options the source
	// was parsed with (nil: the defaults). Readers take the same value.
	format := out.Format{Source: "zh", Target: "en"}
	err = out.WriteBilingual(&bi, &out.Bilingual{From: "summit.md", Doc: doc, Targets: targets}, format)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(bi.String())

	// A reviewer edits the second target.
	edited := strings.Replace(bi.String(), "held talks", "met", 1)
	f, err := out.ReadBilingual("summit.bi.md", []byte(edited), format)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range f.Units {
		fmt.Printf("unit %d: edited=%v %q\n", u.ID, u.Edited, u.Targets)
	}
	fmt.Printf("%s", f.TargetDocument())
	// Output:
	// <!-- diglot v1 source=zh target=en from=summit.md -->
	//
	// # 峰会
	//
	// <!-- diglot:t id=1 src=247c91d0 mt=10e59d01 state=machine -->
	// # Summit
	//
	// 两国领导人举行了会谈。
	//
	// <!-- diglot:t id=2 src=2f643f7c mt=7464c4cd state=machine -->
	// The two leaders held talks.
	// unit 1: edited=false ["Summit"]
	// unit 2: edited=true ["The two leaders met."]
	// # Summit
	//
	// The two leaders met.
}

// ExampleReadBilingualWith reads a file for publishing: the targets as
// the machine wrote them are not parsed (their Targets stay nil), an
// edited one is, and checked against its source.
func ExampleReadBilingualWith() {
	src := []byte("两国领导人举行了会谈。\n\n双方讨论了[气候](https://example.org/)问题。\n")
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		log.Fatal(err)
	}
	format := out.Format{Source: "zh", Target: "en"}
	targets := []string{"The two leaders held talks.", "Both sides discussed the <g1>climate</g1>."}
	bi, err := out.AppendBilingual(nil, &out.Bilingual{Doc: doc, Targets: targets}, format)
	if err != nil {
		log.Fatal(err)
	}
	edited := strings.Replace(string(bi), "held talks", "met", 1)
	f, err := out.ReadBilingualWith("a.md", []byte(edited), format, &out.ReadOptions{SkipUnedited: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range f.Units {
		fmt.Printf("unit %d: edited=%v %q\n", u.ID, u.Edited, u.Targets)
	}
	fmt.Printf("%s", f.TargetDocument())
	// A reviewer who drops the link breaks the structure: refused.
	broken := strings.Replace(edited, "[climate](https://example.org/)", "climate", 1)
	_, err = out.ReadBilingualWith("a.md", []byte(broken), format, &out.ReadOptions{SkipUnedited: true})
	fmt.Println(err)
	// Output:
	// unit 1: edited=true ["The two leaders met."]
	// unit 2: edited=false []
	// The two leaders met.
	//
	// Both sides discussed the [climate](https://example.org/).
	// a.md:11: unit 2: target does not match its source: link: link "https://example.org/" missing (1 fewer than the source)
}
