package pipeline

import (
	"errors"
	"log/slog"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tm"
)

// Options configure a translation run. Provider, Source, Target and OutDir
// are required; every other field has a default.
type Options struct {
	Provider     providers.Provider
	ProviderName string // for reports and the memory's origin field
	Model        string // recorded in the origin, e.g. "openai:gpt-4o-mini"

	Source, Target language.Tag
	OutDir         string // where bilingual files are written

	// Concurrency bounds requests in flight. Zero means the engine's own
	// limit, or 4.
	Concurrency int
	// MaxAttempts bounds the tries of one request, for retryable errors
	// and for replies that could not be used alike. Zero means 6.
	MaxAttempts int
	// MaxUnreachable is how many attempts in a row may find no server
	// (connection refused, no such host) before the engine is stopped, as
	// a bad key stops it, provided they span at least 7 × Backoff (the
	// first three retries' waits), so that the requests in flight when a
	// server restarts do not stop a run. Zero means 8.
	MaxUnreachable int
	// Backoff is the first retry's base wait; it doubles each attempt.
	// Zero means 500ms.
	Backoff time.Duration
	// GracePeriod is how long in-flight requests may finish after the run's
	// context is cancelled. Zero means 5s; negative abandons them at once.
	GracePeriod time.Duration

	// Glossary fixes names and terms; nil means none.
	Glossary *glossary.Glossary

	// QA configures the checks run on every file after translation; nil
	// means the defaults. Findings become marker flags and report entries;
	// with QA.Strict, an error-level finding makes the file need attention.
	QA *qa.Config

	// Memory is the translation memory read before and written after each
	// batch. Nil means an in-memory store that lives for the run.
	Memory tm.Store
	// Reuse says whose machine translations are reused, from the memory
	// and from earlier outputs: ReuseSame (the default) only those of this
	// run's engine and model, ReuseAny those of any engine. Reviewed
	// translations are always reused; a synthetic engine (copy, pseudo)
	// never reuses machine translations nor stores its own.
	Reuse string
	// LeaseTTL is how long a claim on a segment lasts, when the memory is
	// shared with other runs (tm.Claimer): the keys of a run that dies come
	// back to the others after it. Leases are renewed while the run goes.
	// Zero means 2 minutes.
	LeaseTTL time.Duration
	// Force re-translates segments that have a machine translation;
	// ForceReviewed also those a reviewer edited or approved.
	Force, ForceReviewed bool

	// Selection chooses which files of the inputs to take; nil takes all.
	Selection *Selection
	// DryRun reads, segments and looks everything up, then reports what a
	// real run would send and what it would cost, calling no engine and
	// writing nothing.
	DryRun bool
	// MaxCost stops taking new batches before the estimated spend would
	// pass it (in the engine's price table's currency); 0 means no limit.
	// What was done is kept, and a rerun continues.
	MaxCost float64

	// FollowSymlinks takes input files and directories reached through a
	// symlink that leads out of the input directory; without it they are
	// skipped with a warning in the report.
	FollowSymlinks bool

	// Sync makes each bilingual file durable (fsync) before it replaces
	// the old one. Outputs are always written whole under a temporary name
	// and renamed into place, so a crash of diglot leaves each complete or
	// absent; without Sync a crash of the machine may lose the latest ones.
	// Nothing is lost with them: every translation and every reviewer's
	// edit they held is in the translation memory first (which syncs its
	// own commits), so a rerun writes them again without a request. A run
	// without a Memory always syncs. A disk flush per file costs about a
	// third of a copy run's time.
	Sync bool

	MaxFileSize   int64  // zero means DefaultMaxFileSize
	InputEncoding string // "", "utf-8", "auto", "gb18030", "big5"
	Markdown      *markdown.Options

	// ChunkFiles bounds the files open at once: read and segmented, waiting
	// for their segments to be translated, or being written. A larger
	// window fills batches better, a smaller one bounds memory. Zero means
	// 256.
	ChunkFiles int

	Logger   *slog.Logger // nil discards
	Observer Observer     // nil ignores progress
}

// The values of Options.Reuse.
const (
	ReuseSame = "same" // machine translations of the same engine and model only
	ReuseAny  = "any"  // machine translations of any engine
)

// ErrConfig is wrapped by every error that comes from invalid Options.
var ErrConfig = errors.New("pipeline: invalid options")
