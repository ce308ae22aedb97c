package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
)

// Key returns a segment's identity: a hash of its normalised text, the
// language pair, and the hash of the glossary entries that matched it. The
// same paragraph in two files is one unit of work and one memory entry.
func Key(source, target, text, glossaryHash string) string {
	h := sha256.New()
	for _, s := range []string{source, target, markdown.Normalize(text), glossaryHash} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// KeyFunc computes a segment's memory key from the language pair and the
// segment's source text. [KeyFor] returns the one a run uses.
type KeyFunc func(source, target, text string) string

// KeyFor returns the key function of runs with glossary g (nil for none).
func KeyFor(g *glossary.Glossary) KeyFunc {
	return func(source, target, text string) string {
		if g == nil {
			return Key(source, target, text, "")
		}
		return Key(source, target, text, glossary.KeyHash(g.Match(text)))
	}
}

// unitState is where a unit of work stands.
type unitState uint8

const (
	pending unitState = iota
	done
	failed
)

// unit is one unique segment text of the run: translated once, used by
// every segment that shares its key.
type unit struct {
	key     string
	source  string            // the segment text as cut from the first document
	send    string            // what the engine receives (glossary terms protected)
	restore map[string]string // glossary tags -> target text, applied after translation
	ctx     unitContext

	state    unitState
	target   string // neutral form, when done
	reason   string // why it failed
	origin   string // who translated it
	reviewed bool   // the translation is a reviewed memory entry
	sent     bool   // an engine translated it in this run
	chars    int    // code points of send
	tokens   int    // the engine's count of send

	matches    []glossary.Match     // glossary terms in source
	violations []glossary.Violation // terms the accepted translation misses
	stressed   bool                 // retried with its terms stressed

	// A unit longer than the engine takes in one segment is sent as pieces
	// cut at sentence ends; parent links a piece to its unit.
	pieces []*unit
	parent *unit
}

// unitContext is the document context a unit was first seen in.
type unitContext struct {
	title, before, path string
}

func newUnit(key, text string) *unit {
	return &unit{key: key, source: text, send: text, chars: utf8.RuneCountInString(text)}
}
