package pipeline

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/tags"
)

// Key returns a segment's identity: a hash of its exact text in the neutral
// form, the language pair, and the hash of the glossary entries that matched
// it. The same paragraph in two files is one unit of work and one memory
// entry. Nothing is normalised: two texts that differ in any byte (a
// NO-BREAK SPACE where the other has a space) may render differently, so
// they never share a translation.
func Key(source, target, text, glossaryHash string) string {
	id := keyOf(source, target, text, glossaryHash)
	return id.String()
}

func keyOf(source, target, text, glossaryHash string) keyID {
	h := sha256.New()
	for _, s := range []string{source, target, text, glossaryHash} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var id keyID
	copy(id[:], h.Sum(nil))
	return id
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

// keyID is a key in its 16 bytes; the memory knows it by its hex String.
type keyID [16]byte

func (id keyID) String() string { return hex.EncodeToString(id[:]) }

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
	id     keyID
	source string       // the text cut from the document (a piece: its part of send)
	send   string       // what the engine receives: glossary terms protected
	gl     *reqGlossary // nil without glossary terms
	chars  int32        // code points of send
	tokens int32        // the engine's count of send
	piece  int32        // the index among the unit's pieces, or -1 for the whole unit
	ctx    unitContext

	unit *unit // the unit this request is for; workers never touch its fields
}

// reqGlossary is what a request carries of the glossary.
type reqGlossary struct {
	restore map[string]string // glossary tags -> target text, applied after translation
	matches []glossary.Match  // the glossary terms in source (whole units only)
	entries []glossary.Entry  // the glossary entries in send, for engines that take hints
}

func (r *request) key() string { return r.id.String() }

func (r *request) matches() []glossary.Match {
	if r.gl == nil {
		return nil
	}
	return r.gl.matches
}

func (r *request) entries() []glossary.Entry {
	if r.gl == nil {
		return nil
	}
	return r.gl.entries
}

// fileContext is what the requests of one document share.
type fileContext struct {
	title, path string
	doc         *markdown.Document // for the read-back check and the text before
}

// unitContext is the document context a unit was first seen in.
type unitContext struct {
	file *fileContext
	seg  int // the segment's index in the document; -1 for none
}

func (c unitContext) doc() *markdown.Document {
	if c.file == nil || c.seg < 0 {
		return nil
	}
	return c.file.doc
}

func (c unitContext) title() string {
	if c.file == nil {
		return ""
	}
	return c.file.title
}

func (c unitContext) path() string {
	if c.file == nil {
		return ""
	}
	return c.file.path
}

// before is the source text just before the segment, for engines that use
// context.
func (c unitContext) before() string {
	doc := c.doc()
	if doc == nil || c.seg <= 0 || c.seg > len(doc.Segments) {
		return ""
	}
	return tags.Strip(doc.Segments[c.seg-1].Text)
}

// unit is one unique segment text of the run, translated once and used by
// every segment that shares its key. Its request is set when it is created
// and never changes; only the coordinator reads or writes the rest.
type unit struct {
	request

	state  unitState
	queued bool // handed to the packer
	parked bool // another run holds its lease: wait for its translation
	// deferred: in the claim line of a run that shares its memory, to be
	// claimed when the run holds few enough keys.
	deferred bool
	res      *result // what became of it, once resolved; never changed after
	long     *longUnit

	waiting []*docFile // open files that need this unit resolved
	refs    int32      // open files' segments that use it
}

// longUnit is a unit longer than one request may carry, sent as pieces
// whose targets are joined when the last one is done.
type longUnit struct {
	pieces  []*request
	targets []string
	left    int
}

// result is what became of a unit. It is made once, when the unit is
// resolved, and never changed: writers read it while the coordinator goes
// on.
type result struct {
	state      unitState // done or failed
	target     string    // neutral form, when done
	reason     string    // why it failed
	origin     string    // who translated it
	reviewed   bool      // the translation is a reviewed memory entry
	sent       bool      // an engine translated it in this run
	violations []glossary.Violation
	// What the writer needs of the unit's request, copied so that the unit
	// itself can be dropped once its files are queued.
	id  keyID
	gl  *reqGlossary
	doc *markdown.Document // where it was checked for reading back
	seg int32
}

func (r *result) matches() []glossary.Match {
	if r.gl == nil {
		return nil
	}
	return r.gl.matches
}
