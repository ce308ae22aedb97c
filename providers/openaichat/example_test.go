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
// run sets OPENAI_API_KEY (and OPENAI_BASE_URL for other servers) instead.
func ExampleNewTranslator() {
	srv := openaitest.NewServer(nil)
	defer srv.Close()

	getenv := func(name string) string {
		return map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-test-CANARY-0000"}[name]
	}
	tr, err := openaichat.NewTranslator(&openaichat.Options{Model: "gpt-4o-mini"}, getenv, nil)
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
	fmt.Println("requests:", tr.Usage().Requests)
	// Output:
	// ["Saozen, <g1>Zangzan</g1>!" ""]
	// requests: 1
}
