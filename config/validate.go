package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tm"
)

// ErrUnknownEngine is wrapped by Validate's errors for an engine name (a
// [providers.NAME] table, or provider) that no engine has.
var ErrUnknownEngine = errors.New("unknown engine")

// ErrValue is wrapped by Validate's errors for a value of the right type
// that is not allowed (a negative count, a language tag that does not
// parse).
var ErrValue = errors.New("invalid value")

// Validate checks what decoding cannot: that every [providers.NAME] table
// and the provider key name one of engines (the names of the registered
// engines, which this package cannot know: a misspelled table would
// otherwise be ignored and the engine run with its defaults), and that
// values are in range. Every error names the file, the line and the key;
// all of them are returned, joined.
func (c *Config) Validate(engines []string) error {
	var errs []error
	fail := func(path []string, err error, format string, args ...any) {
		key := strings.Join(path, ".")
		errs = append(errs, fmt.Errorf("%s%s: %w", at(c.path, c.keys.line(path)), key, wrapf(err, fmt.Sprintf(format, args...))))
	}
	names := make([]string, 0, len(c.Providers))
	for name := range c.Providers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(engines, name) {
			continue
		}
		path := []string{"providers", name}
		msg := fmt.Sprintf("unknown engine table [providers.%s]%s (engines: %s)", name, suggest(name, engines, "; did you mean [providers.%s]?"), strings.Join(engines, ", "))
		errs = append(errs, fmt.Errorf("%s%w", at(c.path, c.keys.line(path)), wrapf(ErrUnknownEngine, msg)))
	}
	if c.Provider != "" && !slices.Contains(engines, c.Provider) {
		fail([]string{"provider"}, ErrUnknownEngine, "unknown engine %q%s (engines: %s)", c.Provider, suggest(c.Provider, engines, "; did you mean %q?"), strings.Join(engines, ", "))
	}
	for _, k := range []struct {
		key, val string
	}{{"source", c.Source}, {"target", c.Target}} {
		if k.val == "" {
			continue
		}
		if _, err := language.Parse(k.val); err != nil {
			fail([]string{k.key}, ErrValue, "%q is not a BCP 47 language tag (zh, zh-Hant, en, ...)", k.val)
		}
	}
	if c.Concurrency < 0 {
		fail([]string{"concurrency"}, ErrValue, "%d: want 0 (the engine's limit) or more", c.Concurrency)
	}
	if c.MaxFileSize < 0 {
		fail([]string{"max_file_size"}, ErrValue, "%d: want a positive number of bytes (0: the default)", c.MaxFileSize)
	}
	if c.Markdown.MaxDepth < 0 {
		fail([]string{"markdown", "max_depth"}, ErrValue, "%d: want a positive depth (0: the default)", c.Markdown.MaxDepth)
	}
	m := c.Markdown
	for _, k := range []struct {
		key, val string
		ok       []string
	}{{"wiki_links", m.WikiLinks, []string{markdown.WikiLabel, markdown.WikiUnwrap, markdown.WikiKeep}},
		{"indented_code", m.IndentedCode, []string{markdown.IndentedAuto, markdown.IndentedCode, markdown.IndentedProse}}} {
		if k.val != "" && !slices.Contains(k.ok, k.val) {
			fail([]string{"markdown", k.key}, ErrValue, "%q: want %q, %q or %q", k.val, k.ok[0], k.ok[1], k.ok[2])
		}
	}
	for _, f := range c.Markdown.FrontMatterFields {
		if f == "" || strings.Contains(f, ",") {
			fail([]string{"markdown", "front_matter_fields"}, ErrValue, "%q: a field name is not empty and has no comma", f)
		}
	}
	for _, p := range c.TM.problems() {
		fail([]string{"tm", p.key}, ErrValue, "%s", p.msg)
	}
	if err := c.QA.Validate(); err != nil {
		path := []string{"qa", "length_min"}
		if errors.Is(err, qa.ErrUnknownCheck) {
			path = []string{"qa", "disable"}
		}
		fail(path, ErrValue, "%s", strings.TrimPrefix(err.Error(), "qa: "))
	}
	return errors.Join(errs...)
}

// suggest formats the closest of names to name (at most two edits away)
// with format, or returns "".
func suggest(name string, names []string, format string) string {
	best, dist := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(name), strings.ToLower(n)); d < dist {
			best, dist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(format, best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// tmProblem is what is wrong with one key of [tm].
type tmProblem struct{ key, msg string }

// problems checks the memory's location here, where an error can name its
// line: a URL in tm.url and a file in tm.path, as the CLI would otherwise
// open anything else as an SQLite file name (a mistyped URL starts an
// empty memory; a keyword/value string writes its password into a file
// name). A password is refused: secrets never live in this file. Values
// are quoted only without their secrets (tm.Redact), a keyword/value string
// not at all.
func (t TM) problems() []tmProblem {
	var ps []tmProblem
	switch u := t.URL; {
	case u == "":
	case tm.IsKeywordValue(u):
		ps = append(ps, tmProblem{"url", "a libpq keyword/value string: want a postgres:// URL (tm.path names a file)"})
	case !tm.IsPostgresURL(u):
		ps = append(ps, tmProblem{"url", fmt.Sprintf("%q: want a postgres:// URL (tm.path names a file)", tm.Redact(u))})
	case tm.HasSecret(u):
		ps = append(ps, tmProblem{"url", "holds a password: secrets never go in the configuration; set PGPASSWORD (or ~/.pgpass), or the whole URL in DIGLOT_TM_URL"})
	case tm.CheckLocation(u) != nil:
		ps = append(ps, tmProblem{"url", fmt.Sprintf("%q: %v", tm.Redact(u), tm.CheckLocation(u))})
	}
	switch p := t.Path; {
	case p == "":
	case tm.IsKeywordValue(p):
		ps = append(ps, tmProblem{"path", "a libpq keyword/value string: want a file (tm.url names a database)"})
	case tm.IsPostgresURL(p):
		ps = append(ps, tmProblem{"path", "a URL: want a file (tm.url names a database, without its password)"})
	case tm.CheckLocation(p) != nil:
		ps = append(ps, tmProblem{"path", fmt.Sprintf("%q: %v", tm.Redact(p), tm.CheckLocation(p))})
	}
	return ps
}
