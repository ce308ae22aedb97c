// Package identity provides the "copy" engine: each translation is its source,
// unchanged. With it, a published target document equals its source byte for
// byte, which makes it the reference for round-trip tests and a safe dry run
// of everything except the translation itself.
package identity

import (
	"context"

	"github.com/diglot/diglot/providers"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "copy",
		Summary: "offline: target = source, byte for byte (round-trip checks, dry runs)",
		New:     New,
		Offline: true,
	})
}

// Options configures the copy engine. It has no settings; the type exists so
// that [providers.copy] is a valid (empty) table like every other engine's.
type Options struct{}

// New builds the copy engine from its [providers.copy] table: the
// registry's factory.
func New(cfg providers.Config) (providers.Provider, error) {
	var o Options
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	return NewTranslator(&o)
}

// NewTranslator returns the copy engine for library users; opts may be
// nil. It never fails; the error is there so that every engine package is
// built the same way.
func NewTranslator(opts *Options) (*Translator, error) { return &Translator{}, nil }

// Translator returns every segment unchanged. Its zero value is ready.
type Translator struct{}

// Translate returns a copy of req.Segments.
func (Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	return append([]string(nil), req.Segments...), nil
}

// Limits reports generous per-request limits: copying costs nothing.
func (Translator) Limits() providers.Limits {
	return providers.Limits{MaxSegments: 1000, MaxChars: 1 << 20, Concurrency: 4}
}

// Synthetic reports true: a copy is not a translation, so it is never
// stored in the memory or reused as one.
func (Translator) Synthetic() bool { return true }

// Model returns "": there is no model, and no machine translation from
// this engine is ever stored to need one.
func (Translator) Model() string { return "" }

var (
	_ providers.Provider  = Translator{}
	_ providers.Synthetic = Translator{}
	_ providers.Modeler   = Translator{}
)
