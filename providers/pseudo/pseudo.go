// Package pseudo provides the "pseudo" engine: a deterministic, offline
// pseudo-translation for demos, tests and dry runs.
//
// The output is visibly transformed Latin text about 30% longer than the
// source, which exercises everything a real engine would (layout, length,
// script change) while keeping every tag, digit, URL and punctuation mark:
// Han characters and other letters become Latin letters chosen by code point,
// Latin letters gain accents, and every third letter is followed by an extra
// one. Only letters change, and a letter only ever replaces a letter, so
// every character next to Markdown syntax keeps its class (letter,
// punctuation, space) and emphasis, links and structure parse as in the
// source.
package pseudo

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "pseudo",
		Summary: "offline: deterministic pseudo-translation into accented Latin, ~30% longer (demos, tests)",
		New:     New,
		Offline: true,
	})
}

// Options configures the pseudo engine.
type Options struct {
	// Expansion is how much longer than its source each segment becomes,
	// as a fraction (0.3 = 30%). Zero means 0.3.
	Expansion float64 `toml:"expansion"`
	// Delay is how long each request takes, as a Go duration ("200ms"),
	// to show progress, rate limits and interruption without a network.
	Delay string `toml:"delay"`
	// MaxSegments is the most segments per request. Zero means 200.
	MaxSegments int `toml:"max_segments"`
}

// New builds the pseudo engine from its [providers.pseudo] table.
func New(cfg providers.Config) (providers.Provider, error) {
	var o Options
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	return newTranslator(&o)
}

// NewTranslator returns a pseudo engine; nil opts means the defaults. It
// fails only on an unparsable Delay.
func NewTranslator(opts *Options) *Translator {
	t, _ := newTranslator(opts)
	return t
}

func newTranslator(opts *Options) (*Translator, error) {
	t := &Translator{expansion: 0.3, maxSegments: 200}
	if opts == nil {
		return t, nil
	}
	if opts.Expansion > 0 {
		t.expansion = opts.Expansion
	}
	if opts.MaxSegments > 0 {
		t.maxSegments = opts.MaxSegments
	}
	if opts.Delay != "" {
		d, err := time.ParseDuration(opts.Delay)
		if err != nil || d < 0 {
			return t, fmt.Errorf("pseudo: delay %q: want a duration such as 200ms", opts.Delay)
		}
		t.delay = d
	}
	return t, nil
}

// Translator pseudo-translates segments.
type Translator struct {
	expansion   float64
	maxSegments int
	delay       time.Duration
}

// Translate pseudo-translates each segment; empty and blank segments come
// back as they are.
func (t *Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if t.delay > 0 {
		tm := time.NewTimer(t.delay)
		defer tm.Stop()
		select {
		case <-ctx.Done():
		case <-tm.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	res := make([]string, len(req.Segments))
	for i, s := range req.Segments {
		res[i] = t.segment(s)
	}
	return res, nil
}

// Limits reports generous per-request limits.
func (t *Translator) Limits() providers.Limits {
	return providers.Limits{MaxSegments: t.maxSegments, MaxChars: 1 << 20, Concurrency: 4}
}

func (t *Translator) segment(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	var b strings.Builder
	letters, extra := 0, 0.0
	for _, tok := range tags.Parse(s) {
		if tok.Kind != tags.Text {
			b.WriteString(tok.Text)
			continue
		}
		for _, r := range tok.Text {
			p := pseudoRune(r)
			b.WriteString(p)
			if !unicode.IsLetter(r) {
				continue
			}
			letters++
			// Grow by the expansion factor, one extra letter at a time.
			for extra+1 <= float64(letters)*t.expansion {
				extra++
				b.WriteString(p)
			}
		}
	}
	return b.String()
}

var accented = map[rune]string{
	'a': "á", 'e': "é", 'i': "í", 'o': "ó", 'u': "ú", 'y': "ý", 'n': "ñ", 'c': "ç",
	'A': "Á", 'E': "É", 'I': "Í", 'O': "Ó", 'U': "Ú", 'Y': "Ý", 'N': "Ñ", 'C': "Ç",
}

const latin = "bcdfghjklmnprstvwzaeiou"

// pseudoRune maps one source rune. Only letters change, so digits, spaces,
// punctuation and Markdown syntax characters pass through and the document's
// structure and numbers survive.
func pseudoRune(r rune) string {
	if a, ok := accented[r]; ok {
		return a
	}
	switch {
	case r < utf8.RuneSelf:
		return string(r)
	case unicode.Is(unicode.Han, r) || unicode.IsLetter(r):
		return string(latin[int(r)%len(latin)])
	}
	return string(r)
}

// Synthetic reports true: a pseudo-translation is not a translation, so it
// is never stored in the memory or reused as one.
func (t *Translator) Synthetic() bool { return true }

var (
	_ providers.Provider  = (*Translator)(nil)
	_ providers.Synthetic = (*Translator)(nil)
)
