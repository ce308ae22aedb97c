// Package config reads diglot's TOML configuration.
//
// Decoding is strict: an unknown key is an error that names its file and
// line, including keys inside an engine's [providers.NAME] table, which is
// decoded later into that engine's own Options. Secrets never live here:
// engines read them from the environment variables the file names.
//
// Relative paths in the file (glossaries, the translation memory) are
// relative to the directory of the file itself, so a project's config works
// from any working directory.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

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
// language source (language.Und: each document's own script decides).
func (m Markdown) Options(source language.Tag) *markdown.Options {
	return &markdown.Options{FrontMatterFields: m.FrontMatterFields, MaxDepth: m.MaxDepth,
		WikiLinks: m.WikiLinks, IndentedCode: m.IndentedCode, Source: source}
}

// TM configures the translation memory.
type TM struct {
	Path     string `toml:"path"`     // default .diglot/tm.db beside the config
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

// Parse strictly decodes data, naming it name in errors.
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{path: name, data: data}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return nil, describe(name, err)
	}
	m := c.Markdown
	for key, o := range map[string]*markdown.Options{"wiki_links": {WikiLinks: m.WikiLinks},
		"indented_code": {IndentedCode: m.IndentedCode}, "max_depth": {MaxDepth: m.MaxDepth}} {
		if err := o.Validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, keyLine(data, key), err)
		}
	}
	return c, nil
}

// keyLine returns the line of the first assignment to key, or 0.
func keyLine(data []byte, key string) int {
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	for i, l := range strings.Split(string(data), "\n") {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
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
// [providers.NAME] table into an engine's Options.
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
			return c.describeProvider(name, err)
		}
		return nil
	}
}

// ErrUnknownKey is wrapped by errors for keys the configuration lacks.
var ErrUnknownKey = errors.New("unknown key")

// describe turns a go-toml error into "file:line: message".
func describe(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		errs := make([]error, len(strict.Errors))
		for i, e := range strict.Errors {
			row, _ := e.Position()
			errs[i] = fmt.Errorf("%s:%d: %w %q", name, row, ErrUnknownKey, strings.Join(e.Key(), "."))
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return fmt.Errorf("%s:%d: %s", name, row, de.Error())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// describeProvider locates an engine-table error in the original file: the
// re-encoded table has other line numbers.
func (c *Config) describeProvider(name string, err error) error {
	var strict *toml.StrictMissingError
	if !errors.As(err, &strict) || len(strict.Errors) == 0 {
		return fmt.Errorf("%s: [providers.%s]: %w", c.path, name, err)
	}
	key := strict.Errors[0].Key()
	line := c.lineOf(name, key[len(key)-1])
	return fmt.Errorf("%s:%d: [providers.%s]: %w %q", c.path, line, name, ErrUnknownKey, strings.Join(key, "."))
}

// lineOf finds the line of key inside the [providers.NAME] table.
func (c *Config) lineOf(table, key string) int {
	header := regexp.MustCompile(`^\s*\[\s*providers\s*\.\s*"?` + regexp.QuoteMeta(table) + `"?\s*\]`)
	keyRe := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	in := false
	for i, l := range strings.Split(string(c.data), "\n") {
		switch {
		case header.MatchString(l):
			in = true
		case in && strings.HasPrefix(strings.TrimSpace(l), "["):
			in = false
		case in && keyRe.MatchString(l):
			return i + 1
		}
	}
	return 0
}
