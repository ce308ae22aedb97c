package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseStrict(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
	}{
		{"ok", "source = \"zh\"\ntarget = \"en\"\n[qa]\nstrict = true\n", ""},
		{"unknown top", "source = \"zh\"\ncolour = \"red\"\n", "config.toml:2: unknown key \"colour\""},
		{"unknown nested", "[tm]\npath = \"x\"\nsize = 3\n", "config.toml:3: unknown key \"tm.size\""},
		{"bad type", "concurrency = \"four\"\n", "config.toml:1:"},
		{"syntax", "source = \n", "config.toml:1:"},
		{"markdown options", "[markdown]\nwiki_links = \"unwrap\"\nindented_code = \"prose\"\n", ""},
		{"wiki_links value", "[markdown]\nmax_depth = 3\nwiki_links = \"drop\"\n", `config.toml:3: markdown: invalid options: wiki_links "drop"`},
		{"indented_code value", "[markdown]\nindented_code = \"never\"\n", `config.toml:2: markdown: invalid options: indented_code "never"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("config.toml", []byte(tt.doc))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestProviderDecoder(t *testing.T) {
	doc := "provider = \"openai\"\n\n[providers.openai]\nmodel = \"gpt-4o-mini\"\ntemprature = 0.2\n"
	c, err := Parse("config.toml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var opts struct {
		Model       string  `toml:"model"`
		Temperature float64 `toml:"temperature"`
	}
	err = c.ProviderDecoder("openai")(&opts)
	if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), "config.toml:5:") {
		t.Fatalf("decode = %v, want unknown key at line 5", err)
	}
	if err := c.ProviderDecoder("absent")(&opts); err != nil {
		t.Errorf("absent table: %v", err)
	}
}

// TestExampleConfig keeps the repository's config.toml valid.
func TestExampleConfig(t *testing.T) {
	c, err := Load("../config.toml")
	if os.IsNotExist(err) {
		t.Skip("no config.toml")
	}
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider == "" || c.Source == "" || c.Target == "" {
		t.Errorf("config.toml lacks provider/source/target: %+v", c)
	}
}
