package all_test

import (
	"io"
	"testing"

	"github.com/diglot/diglot/config"
	"github.com/diglot/diglot/providers"
	_ "github.com/diglot/diglot/providers/all"
)

// TestExampleConfig builds every engine from its table in the
// repository's config.toml, strictly, so the example cannot drift from
// the engines' settings. Keys are fake and nothing is sent.
func TestExampleConfig(t *testing.T) {
	c, err := config.Load("../../config.toml")
	if err != nil {
		t.Skip("no config.toml:", err)
	}
	env := map[string]string{
		"OPENAI_API_KEY":           "sk-test-CANARY-config",
		"GOOGLE_TRANSLATE_API_KEY": "sk-test-CANARY-config",
		"K_SERVICE":                "config-test", // "on Cloud Run": credentials from the metadata server
	}
	for _, name := range providers.Names() {
		p, err := providers.Open(name, providers.Config{Decode: c.ProviderDecoder(name), Getenv: func(k string) string { return env[k] }, Resolve: c.Resolve})
		if err != nil {
			t.Errorf("engine %s from config.toml: %v", name, err)
			continue
		}
		if cl, ok := p.(io.Closer); ok {
			cl.Close()
		}
	}
}
