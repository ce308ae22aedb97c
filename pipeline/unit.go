package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"

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

	state  unitState
	target string // neutral form, when done
	reason string // why it failed
	origin string // who translated it
	chars  int    // code points of send
	tokens int    // the engine's count of send
}

// unitContext is the document context a unit was first seen in.
type unitContext struct {
	title, before, path string
}

func newUnit(key, text string) *unit {
	return &unit{key: key, source: text, send: text, chars: utf8.RuneCountInString(text)}
}
