package out_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

// bilingual returns the bilingual file of src (found at from) with the
// given targets, read back as publish reads it.
func bilingual(from, src string, targets ...string) *out.File {
	doc, err := markdown.Parse([]byte(src), nil)
	if err != nil {
		log.Fatal(err)
	}
	format := out.Format{Source: "zh", Target: "en"}
	var bi bytes.Buffer
	if err := out.WriteBilingual(&bi, &out.Bilingual{From: from, Doc: doc, Targets: targets}, format); err != nil {
		log.Fatal(err)
	}
	f, err := out.ReadBilingual(from, bi.Bytes(), format)
	if err != nil {
		log.Fatal(err)
	}
	return f
}

func ExampleHugoSite() {
	summit := bilingual("2021/summit.md", "## 峰会\n\n见[拜登的谈话](biden.md#背景)和[路透社](https://www.reuters.com/)。\n",
		"The summit", "See <g1>Biden's remarks</g1> and <g2>Reuters</g2>.")
	biden := bilingual("2021/biden.md", "---\ntitle: 拜登\n---\n\n拜登的谈话。\n", "Biden", "Biden's remarks.")

	// Add every article of the publish first, so links between them are
	// known; then make each one's pages.
	site := out.NewHugoSite(nil) // by file name; &out.HugoOptions{Tree: true} for content/en/…
	for _, f := range []*out.File{summit, biden} {
		paths, err := site.Add(f.Header.From, f.Header, f.SourceKey())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(paths.Target, paths.Source, paths.Key)
	}
	for _, f := range []*out.File{summit, biden} {
		page, err := site.TargetPage(f.Header.From, f)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s", page)
	}
	// Output:
	// 2021/summit.en.md 2021/summit.zh.md 2021/summit
	// 2021/biden.en.md 2021/biden.zh.md 2021/biden
	// ---
	// title: "The summit"
	// translationKey: "2021/summit"
	// ---
	// ## The summit
	//
	// See [Biden's remarks](biden.en.md#背景) and [Reuters](https://www.reuters.com/).
	// ---
	// title: Biden
	// translationKey: "2021/biden"
	// ---
	//
	// Biden's remarks.
}
