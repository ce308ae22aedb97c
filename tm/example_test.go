package tm_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/diglot/diglot/tm"
)

// A reviewer's translation outlives every later machine translation of the
// same segment.
func ExampleMemory() {
	ctx := context.Background()
	store := tm.NewMemory(nil)
	defer store.Close()

	key := "5f1c09a2" // computed by the pipeline from the source and glossary
	machine := tm.Entry{
		SourceLang: "zh", TargetLang: "en", Key: key,
		Source: "美国总统<g1>拜登</g1>", Target: "US President <g1>Biden</g1>",
		Origin: "openai:gpt-4o-mini", State: tm.Machine,
	}
	reviewed := machine
	reviewed.Target, reviewed.Origin, reviewed.State = "<g1>Biden</g1>, the US President", tm.OriginHuman, tm.Reviewed

	rerun := machine
	rerun.Target = "The American president <g1>Biden</g1>"

	for _, e := range []tm.Entry{machine, reviewed, rerun} {
		if err := store.Put(ctx, []tm.Entry{e}); err != nil {
			fmt.Println(err)
		}
	}
	found, err := store.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{key, "unknown"}, Origin: "openai:gpt-4o-mini"})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(len(found), found[key].State, found[key].Target)
	// Output: 1 reviewed <g1>Biden</g1>, the US President
}

func ExampleExportTMX() {
	ctx := context.Background()
	store := tm.NewMemory(nil)
	when := time.Date(2026, 6, 16, 9, 30, 0, 0, time.UTC)
	store.Put(ctx, []tm.Entry{{
		SourceLang: "zh", TargetLang: "en", Key: "77a0d2e1",
		Source: "<g1>日内瓦</g1><x2/>峰会", Target: "<g1>Geneva</g1><x2/> summit",
		Origin: "human", State: tm.Reviewed, Created: when, Updated: when, FirstSeen: "articles/summit.md",
		// The Markdown each tag stands for, from the source segment.
		Markup: []tm.TagMarkup{{ID: 1, Open: "[", Close: "](https://www.geneve.ch)"}, {ID: 2, Open: "[^1]"}},
	}})
	if _, err := tm.ExportTMX(ctx, os.Stdout, store, nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <!DOCTYPE tmx SYSTEM "tmx14.dtd">
	// <tmx version="1.4">
	//   <header creationtool="diglot" creationtoolversion="1" segtype="paragraph" o-tmf="diglot" adminlang="en" srclang="zh" datatype="markdown"/>
	//   <body>
	//     <tu creationdate="20260616T093000Z" changedate="20260616T093000Z">
	//       <prop type="x-diglot-key">77a0d2e1</prop>
	//       <prop type="x-diglot-origin">human</prop>
	//       <prop type="x-diglot-state">reviewed</prop>
	//       <prop type="x-diglot-first-seen">articles/summit.md</prop>
	//       <prop type="x-diglot-markup">markdown</prop>
	//       <tuv xml:lang="zh"><seg><bpt i="1" x="1">[</bpt>日内瓦<ept i="1">](https://www.geneve.ch)</ept><ph x="2">[^1]</ph>峰会</seg></tuv>
	//       <tuv xml:lang="en"><seg><bpt i="1" x="1">[</bpt>Geneva<ept i="1">](https://www.geneve.ch)</ept><ph x="2">[^1]</ph> summit</seg></tuv>
	//     </tu>
	//   </body>
	// </tmx>
}

// Machine translations are reused only by the engine and model that wrote
// them, unless the query accepts any origin; a reviewed one by every engine.
func ExampleQuery() {
	ctx := context.Background()
	store := tm.NewMemory(nil)
	defer store.Close()
	store.Put(ctx, []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: "k1", Target: "Machine", Origin: "openai:gpt-4o-mini", State: tm.Machine},
		{SourceLang: "zh", TargetLang: "en", Key: "k2", Target: "Reviewed", Origin: tm.OriginHuman, State: tm.Reviewed},
	})
	for _, origin := range []string{"openai:gpt-4o-mini", "google:general/nmt", tm.AnyOrigin, ""} {
		found, err := store.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k1", "k2"}, Origin: origin})
		if err != nil {
			fmt.Println(err)
		}
		fmt.Printf("%-20q k1=%q k2=%q\n", origin, found["k1"].Target, found["k2"].Target)
	}
	// Output:
	// "openai:gpt-4o-mini" k1="Machine" k2="Reviewed"
	// "google:general/nmt" k1="" k2="Reviewed"
	// "*"                  k1="Machine" k2="Reviewed"
	// ""                   k1="" k2="Reviewed"
}

// Two runs sharing a store split the missing keys between them; once a key
// is stored it is no longer claimable.
func ExampleClaimer() {
	ctx := context.Background()
	var store tm.Store = tm.NewMemory(nil)
	defer store.Close()
	c, ok := store.(tm.Claimer)
	if !ok {
		return // a store without claims: translate everything missing
	}
	q := tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"a", "b", "c"}, Origin: "openai:gpt-4o-mini"}
	first, _ := c.Claim(ctx, "run-1", q, time.Minute)
	q.Keys = []string{"c", "d"}
	second, _ := c.Claim(ctx, "run-2", q, time.Minute)
	fmt.Println(first, second)

	// run-1 stores "a" and releases it; run-2 finds it done.
	store.Put(ctx, []tm.Entry{{SourceLang: "zh", TargetLang: "en", Key: "a", Target: "A", Origin: "openai:gpt-4o-mini", State: tm.Machine}})
	c.Release(ctx, "run-1", []string{"a"})
	q.Keys = []string{"a"}
	again, _ := c.Claim(ctx, "run-2", q, time.Minute)
	fmt.Println(again)
	// Output:
	// [a b c] [d]
	// []
}
