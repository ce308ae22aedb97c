package xliff

import (
	"errors"
	"fmt"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

// The namespaces diglot writes. XLIFF 2.1 keeps the 2.0 core and module
// namespaces; its version attribute says 2.1.
const (
	// NSCore is the XLIFF 2 core namespace.
	NSCore = "urn:oasis:names:tc:xliff:document:2.0"
	// NSMetadata is the namespace of the Metadata module (mda), which
	// carries what diglot needs to match a unit back to its bilingual file.
	NSMetadata = "urn:oasis:names:tc:xliff:metadata:2.0"
	// Version is the XLIFF version Export writes.
	Version = "2.1"
)

// MetaGroup is the category of the mda:metaGroup that holds diglot's
// metadata on files and units.
const MetaGroup = "diglot"

// The mda:meta types diglot writes in its metaGroup. Units whose tool
// dropped them still import; only the checks they allow are skipped.
const (
	// MetaFormat (on <file>) names the bilingual format, "diglot-v1".
	MetaFormat = "format"
	// MetaFrom (on <file>) is the bilingual header's from= path.
	MetaFrom = "from"
	// MetaUnit (on <unit>) is the unit's marker id in the bilingual file.
	MetaUnit = "unit"
	// MetaState (on <unit>) is the unit's diglot state at export
	// (reviewed for a target a reviewer edited).
	MetaState = "state"
	// MetaBy (on <unit>) is the engine:model that wrote a machine unit.
	MetaBy = "by"
	// MetaTarget (on <unit>) is out.Hash of the target block at export:
	// import refuses to overwrite a target edited in the bilingual file
	// since then.
	MetaTarget = "target-hash"
)

// State is an XLIFF 2 segment state.
type State string

// The XLIFF 2 segment states. A missing state attribute means initial.
const (
	StateInitial    State = "initial"
	StateTranslated State = "translated"
	StateReviewed   State = "reviewed"
	StateFinal      State = "final"
)

// Errors callers branch on.
var (
	// ErrMalformed is matched by every *ParseError: the document is not
	// well-formed XML or not an XLIFF 2 document diglot can read.
	ErrMalformed = errors.New("xliff: malformed document")
	// ErrVersion means the document is XLIFF 1.x (or another version
	// than 2.x).
	ErrVersion = errors.New("xliff: unsupported version")
	// ErrLanguages means the bilingual files of one export have different
	// language pairs, or a file has none.
	ErrLanguages = errors.New("xliff: language pair")
	// ErrApply is matched by every *ApplyError: a <file> cannot be
	// applied to its bilingual file, which is left as it was.
	ErrApply = errors.New("xliff: cannot apply")
)

// ParseError is an error in an XLIFF document, with its position.
type ParseError struct {
	Name   string // the document's name, as given to Parse
	Line   int    // 1-based line
	Column int    // 1-based column, in bytes
	Err    error
}

// Error formats the error as "NAME:LINE:COLUMN: what".
func (e *ParseError) Error() string {
	name := e.Name
	if name == "" {
		name = "xliff"
	}
	return fmt.Sprintf("%s:%d:%d: %v", name, e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMalformed) true for every *ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrMalformed }

// Options configure Export and Apply. A nil *Options means the defaults.
type Options struct {
	// Markdown are the options the bilingual files' sources were parsed
	// with (front-matter fields, depth). Nil means the defaults.
	Markdown *markdown.Options
}

func (o *Options) markdown() *markdown.Options {
	if o == nil {
		return nil
	}
	return o.Markdown
}

// readBilingual is the one place this package reads a bilingual file.
func readBilingual(name string, data []byte, o *Options) (*out.File, error) {
	return out.ReadBilingual(name, data, out.Format{Markdown: o.markdown()})
}
