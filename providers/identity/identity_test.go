package identity_test

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/identity"
	"github.com/diglot/diglot/providers/providertest"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New:      func(*testing.T) providers.Provider { return identity.Translator{} },
		Identity: true,
	})
}

func TestConstructors(t *testing.T) {
	p, err := providers.Open("copy", providers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := identity.NewTranslator(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []providers.Provider{p, tr} {
		if s, ok := e.(providers.Synthetic); !ok || !s.Synthetic() {
			t.Errorf("%T is not synthetic", e)
		}
		if m, ok := e.(providers.Modeler); !ok || m.Model() != "" {
			t.Errorf("%T: Model() wrong", e)
		}
	}
}

func ExampleNewTranslator() {
	tr, _ := identity.NewTranslator(nil)
	out, _ := tr.Translate(context.Background(), providers.Request{
		Source: language.Chinese, Target: language.English,
		Segments: []string{"你好，<g1>世界</g1>！"},
	})
	fmt.Println(out[0])
	// Output: 你好，<g1>世界</g1>！
}
