package googlebasic_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googlebasic"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
)

// The engine against the fake REST server. In real use the key comes
// from GOOGLE_TRANSLATE_API_KEY and Endpoint is left empty.
func ExampleNewTranslator() {
	srv := googletest.NewV2("sk-test-CANARY-example")
	defer srv.Close()

	tr, err := googlebasic.NewTranslator(&googlebasic.Options{
		APIKey:   "sk-test-CANARY-example",
		Endpoint: srv.Endpoint(),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer tr.Close()
	out, err := tr.Translate(context.Background(), providers.Request{
		Source:   language.Chinese,
		Target:   language.English,
		Segments: []string{"你好，<g1>世界</g1>！<x2/>", "Markdown *stays* > intact & 'quoted'"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range out {
		fmt.Println(s)
	}
	fmt.Println(tr.Usage().Requests, "request")
	// Output:
	// bazo,<g1>poya</g1>!<x2/>
	// MARKDOWN *STAYS* > INTACT & 'QUOTED'
	// 1 request
}
