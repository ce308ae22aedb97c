package providers

import (
	"context"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/glossary"
)

// Provider translates batches of segments. See the package documentation for
// the contract every implementation keeps.
type Provider interface {
	// Translate returns one translation per req.Segments element, in order,
	// each in the neutral tag form with the segment's tags intact.
	Translate(ctx context.Context, req Request) ([]string, error)
}

// Request is one batch of segments to translate.
type Request struct {
	Source, Target language.Tag
	// Segments are the texts to translate, in the neutral tag form.
	Segments []string
	// Glossary holds the entries that occur in Segments. Engines with
	// [GlossaryHints] render them; others may ignore them, because the
	// pipeline has already protected the terms.
	Glossary []glossary.Entry
	// Context describes the document the segments come from, for engines
	// that use it. It is never translated.
	Context Context
}

// Context is document context for engines that use it.
type Context struct {
	Title  string // the document's title, if known
	Before string // the source segment just before the batch, if any
	Path   string // the document's path relative to its input root
}

// Limits are the most one request may carry, and the rate an engine allows.
// Zero means no limit of that kind.
type Limits struct {
	MaxSegments int // segments per request
	MaxChars    int // characters (code points) per request, all segments together
	MaxTokens   int // tokens per request as counted by the engine's [Estimator]
	// MaxSegmentChars is the longest single segment the engine accepts; the
	// pipeline splits longer segments at sentence boundaries.
	MaxSegmentChars int

	RequestsPerMinute float64
	TokensPerMinute   float64
	Concurrency       int // requests in flight at once
}

// DefaultLimits apply to engines that do not implement [Limiter].
var DefaultLimits = Limits{MaxSegments: 50, MaxChars: 20000, Concurrency: 4}

// Limiter is implemented by engines with their own request limits.
type Limiter interface {
	Limits() Limits
}

// GlossaryNative is implemented by engines that enforce a glossary
// themselves when NativeGlossary reports true.
type GlossaryNative interface {
	NativeGlossary() bool
}

// GlossaryHints is implemented by engines that follow Request.Glossary when
// GlossaryHints reports true: the pipeline then sends terms instead of
// protecting them.
type GlossaryHints interface {
	GlossaryHints() bool
}

// Usage is what an engine has consumed so far.
type Usage struct {
	Requests         int64   `json:"requests"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	Characters       int64   `json:"characters"` // characters billed
	Cost             float64 `json:"cost"`       // in the price table's currency
}

// Add returns the sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		Requests:         u.Requests + v.Requests,
		PromptTokens:     u.PromptTokens + v.PromptTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens,
		Characters:       u.Characters + v.Characters,
		Cost:             u.Cost + v.Cost,
	}
}

// Metered is implemented by engines that count their usage. Usage returns
// cumulative totals and is safe for concurrent use.
type Metered interface {
	Usage() Usage
}

// Estimator is implemented by engines that count size their own way.
type Estimator interface {
	// Tokens returns the size of one segment in the unit of
	// Limits.MaxTokens.
	Tokens(segment string) int
	// EstimateCost returns the expected cost of sending segments whose
	// sizes are given, or 0 when no price is configured.
	EstimateCost(tokens, chars int) float64
}

// Modeler is implemented by engines that know which model answers, so that
// a translation's origin can name it ("openai:gpt-4o-mini"). The pipeline
// reuses a machine translation only from the engine and model that made it.
type Modeler interface {
	Model() string
}

// Synthetic is implemented by engines whose output is not a translation:
// copy echoes its source, pseudo transliterates it. When Synthetic reports
// true the pipeline neither stores their results in the translation memory
// nor reuses machine translations (from the memory or from earlier outputs)
// for them; reviewed translations are still reused.
type Synthetic interface {
	Synthetic() bool
}
