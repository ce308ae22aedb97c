// Package config reads diglot's TOML configuration.
//
// Decoding is strict: an unknown key or table is an error that names its
// file and line, and so is a value of the wrong type, in the user's words
// ("config.toml:12: concurrency: want an integer, got a string"). The
// engines' [providers.NAME] tables are decoded later by the engines into
// their own Options, through ProviderDecoder, with the same rules; since
// the engines register themselves, Validate takes their names and refuses
// a table (or a provider) that names none of them, so that a misspelled
// [providers.opnai] is an error rather than an engine run with its
// defaults. Validate also checks values that decode but are out of range.
// Secrets never live here: engines read them from the environment
// variables the file names, and a tm.url that holds a password is refused.
//
// Relative paths in the file (glossaries, the translation memory) are
// relative to the directory of the file itself, so a project's config works
// from any working directory.
package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/qa"
)

// Config is the content of config.toml. Zero values mean "not set": the
// command line or the defaults decide.
type Config struct {
	Source      string   `toml:"source"`        // BCP 47 source language
	Target      string   `toml:"target"`        // BCP 47 target language
	Provider    string   `toml:"provider"`      // engine name
	Output      string   `toml:"output"`        // output directory
	Concurrency int      `toml:"concurrency"`   // requests in flight
	MaxFileSize int64    `toml:"max_file_size"` // bytes
	Glossary    []string `toml:"glossary"`      // glossary files, merged in order

	Input    Input     `toml:"input"`
	Markdown Markdown  `toml:"markdown"`
	TM       TM        `toml:"tm"`
	QA       qa.Config `toml:"qa"`

	// Providers holds each engine's table, decoded by the engine itself
	// through ProviderDecoder.
	Providers map[string]map[string]any `toml:"providers"`

	path string // the file read, "" for defaults
	data []byte
	keys keyIndex
}

// Input selects and decodes input files.
type Input struct {
	Encoding string   `toml:"encoding"` // utf-8 (default), auto, gb18030, big5
	Include  []string `toml:"include"`  // globs over relative paths
	Exclude  []string `toml:"exclude"`
}

// Markdown adjusts segmentation.
type Markdown struct {
	FrontMatterFields []string `toml:"front_matter_fields"`
	MaxDepth          int      `toml:"max_depth"`
	WikiLinks         string   `toml:"wiki_links"`    // label (default), unwrap, keep
	IndentedCode      string   `toml:"indented_code"` // auto (default), code, prose
}

// Options returns the markdown options of these settings for documents in
// language source (language.Und: each document's own script decides), for
// every parse, read and write of a run.
func (m Markdown) Options(source language.Tag) *markdown.Options {
	return &markdown.Options{FrontMatterFields: m.FrontMatterFields, MaxDepth: m.MaxDepth,
		WikiLinks: m.WikiLinks, IndentedCode: m.IndentedCode, Source: source}
}

// TM configures the translation memory.
type TM struct {
	Path     string `toml:"path"`     // default .diglot/tm.db beside the config
	URL      string `toml:"url"`      // a shared PostgreSQL memory (postgres://…), over Path
	Disabled bool   `toml:"disabled"` // run without a memory
}

// Load reads and strictly decodes the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse strictly decodes data, naming it name in errors. An unknown key or
// table, or a value of the wrong type, is an error naming the file, the
// line and the key as the file spells it ("config.toml:12: concurrency:
// wrong type: want an integer, got a string"). Engine tables are checked
// by Validate and decoded by the engines (ProviderDecoder).
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{path: name, data: data, keys: indexKeys(data)}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return nil, describeDecode(name, data, c.keys, nil, c, err)
	}
	return c, nil
}

// Path returns the file the configuration came from, or "".
func (c *Config) Path() string { return c.path }

// Resolve makes p relative to the configuration file's directory unless it
// is absolute or there is no file.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.path), p)
}

// ProviderDecoder returns a function that strictly decodes the engine's
// [providers.NAME] table into an engine's Options. Its errors name the
// line in the file and the key inside the table.
func (c *Config) ProviderDecoder(name string) func(v any) error {
	return func(v any) error {
		table, ok := c.Providers[name]
		if !ok || len(table) == 0 {
			return nil
		}
		data, err := toml.Marshal(table)
		if err != nil {
			return fmt.Errorf("%s: [providers.%s]: %w", c.path, name, err)
		}
		dec := toml.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return describeDecode(c.path, data, c.keys, []string{"providers", name}, v, err)
		}
		return nil
	}
}
