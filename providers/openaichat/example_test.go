package openaichat_test

import (
	"context"
	"fmt"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

// ExampleNewTranslator translates a batch against the fake server; a real
// run leaves APIKey empty and sets OPENAI_API_KEY (and OPENAI_BASE_URL for
// other servers) instead.
func ExampleNewTranslator() {
	srv := openaitest.NewServer(nil)
	defer srv.Close()

	tr, err := openaichat.NewTranslator(&openaichat.Options{
		Model:   "gpt-4o-mini",
		BaseURL: srv.URL,               // or OPENAI_BASE_URL
		APIKey:  "sk-test-CANARY-0000", // or OPENAI_API_KEY, the default
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tr.Close()

	out, err := tr.Translate(context.Background(), providers.Request{
		Source:   language.Chinese,
		Target:   language.English,
		Segments: []string{"你好，<g1>世界</g1>！", ""},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", out)
	fmt.Println("requests:", tr.Usage().Requests, "origin:", "openai:"+tr.Model())
	// Output:
	// ["Saozen, <g1>Zangzan</g1>!" ""]
	// requests: 1 origin: openai:gpt-4o-mini
}
