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

// The v3 engine with a native glossary, against the fake gRPC server. In
// real use credentials come from GOOGLE_APPLICATION_CREDENTIALS and
// Endpoint and Insecure are left unset.
func ExampleNewTranslator() {
	srv, err := googletest.NewV3()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddGlossary("projects/my-project/locations/us-central1/glossaries/names",
		map[string]string{"拜登": "Biden"})

	tr, err := googletranslate.NewTranslator(&googletranslate.Options{
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
	fmt.Println(out[0], tr.NativeGlossary(), "google:"+tr.Model())
	// Output: Biden<x1/>. true google:general/nmt
}
