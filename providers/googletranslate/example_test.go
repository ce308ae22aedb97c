package googletranslate_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
)

// The v2 engine against the fake REST server. In real use the key comes
// from GOOGLE_TRANSLATE_API_KEY and Endpoint is left empty.
func ExampleNewBasic() {
	srv := googletest.NewV2("sk-test-CANARY-example")
	defer srv.Close()

	tr, err := googletranslate.NewBasic(context.Background(), &googletranslate.BasicOptions{
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

// The v3 engine with a native glossary, against the fake gRPC server. In
// real use credentials come from GOOGLE_APPLICATION_CREDENTIALS and
// Endpoint and Insecure are left unset.
func ExampleNewAdvanced() {
	srv, err := googletest.NewV3()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddGlossary("projects/my-project/locations/us-central1/glossaries/names",
		map[string]string{"拜登": "Biden"})

	tr, err := googletranslate.NewAdvanced(context.Background(), &googletranslate.AdvancedOptions{
		Project:  "my-project",
		Location: "us-central1",
		Model:    "general/nmt",
		Glossary: "names",
		Endpoint: srv.Addr(),
		Insecure: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer tr.Close()
	out, err := tr.Translate(context.Background(), providers.Request{
		Source:   language.Chinese,
		Target:   language.English,
		Segments: []string{"拜登<x1/>。"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out[0], tr.NativeGlossary())
	// Output: Biden<x1/>. true
}
