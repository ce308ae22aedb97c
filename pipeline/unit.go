package pipeline

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
)

// Key returns a segment's identity: a hash of its exact text in the neutral
// form, the language pair, and the hash of the glossary entries that matched
// it. The same paragraph in two files is one unit of work and one memory
// entry. Nothing is normalised: two texts that differ in any byte (a
// NO-BREAK SPACE where the other has a space) may render differently, so
// they never share a translation.
func Key(source, target, text, glossaryHash string) string {
	h := sha256.New()
	for _, s := range []string{source, target, text, glossaryHash} {
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

// keyID is a key in 16 bytes, for the run's set of keys seen.
type keyID [16]byte

func idOf(key string) keyID {
	var id keyID
	_, _ = hex.Decode(id[:], []byte(key))
	return id
}

// unitState is where a unit of work stands.
type unitState uint8

const (
	pending unitState = iota
	done
	failed
)

// request is what the translate stage needs to translate one unit, or one
// piece of a long unit. It is built when the unit is created and never
// changes after, so workers read it without locks; everything that changes
// lives in the coordinator's unit.
type request struct {
	key     string
	source  string            // the text cut from the document (a piece: its part of send)
	send    string            // what the engine receives: glossary terms protected
	restore map[string]string // glossary tags -> target text, applied after translation
	matches []glossary.Match  // the glossary terms in source (whole units only)
	entries []glossary.Entry  // the glossary entries in send, for engines that take hints
	chars   int               // code points of send
	tokens  int               // the engine's count of send
	ctx     unitContext

	unit  *unit // the unit this request is for; workers never touch its fields
	piece int   // the index among the unit's pieces, or -1 for the whole unit
}

// unitContext is the document context a unit was first seen in.
type unitContext struct {
	title, before, path string
	doc                 *markdown.Document // for the read-back check
	seg                 int                // the segment's index in doc
}

// unit is one unique segment text of the run, translated once and used by
// every segment that shares its key. Only the coordinator reads or writes
// its fields.
type unit struct {
	req *request

	state    unitState
	target   string // neutral form, when done
	reason   string // why it failed
	origin   string // who translated it
	reviewed bool   // the translation is a reviewed memory entry
	sent     bool   // an engine translated it in this run
	queued   bool   // handed to the packer
	parked   bool   // another run holds its lease: wait for its translation

	violations []glossary.Violation // terms the accepted translation misses

	// A unit longer than the engine takes in one request is sent as
	// pieces; their targets are joined when the last one is done.
	pieces       []*request
	pieceTargets []string
	piecesLeft   int

	waiting []*docFile // open files that need this unit resolved
	refs    int        // open files that use it
}
