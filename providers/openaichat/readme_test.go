package openaichat_test

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat"
)

// TestREADMESnippet decodes every [providers.openai] block of the README
// snippet strictly and builds an engine from it, so the documented
// settings cannot drift from Options.
func TestREADMESnippet(t *testing.T) {
	data, err := os.ReadFile("README-snippet.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(data, -1)
	if len(blocks) < 7 {
		t.Fatalf("found %d toml blocks, want one per server (7)", len(blocks))
	}
	for _, b := range blocks {
		var file struct {
			Providers map[string]map[string]any `toml:"providers"`
		}
		if err := toml.Unmarshal(b[1], &file); err != nil {
			t.Errorf("block does not parse: %v\n%s", err, b[1])
			continue
		}
		table, err := toml.Marshal(file.Providers["openai"])
		if err != nil {
			t.Fatal(err)
		}
		decode := func(v any) error {
			dec := toml.NewDecoder(bytes.NewReader(table))
			dec.DisallowUnknownFields()
			return dec.Decode(v)
		}
		getenv := func(name string) string {
			if strings.HasSuffix(name, "_KEY") {
				return "sk-test-CANARY-0000"
			}
			return ""
		}
		if _, err := openaichat.New(providers.Config{Decode: decode, Getenv: getenv}); err != nil {
			t.Errorf("New from block: %v\n%s", err, b[1])
		}
	}
}
