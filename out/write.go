package out

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/diglot/diglot/markdown"
)

// UnitInfo is what the writer needs to know about one unit beyond its
// target text. The zero value is a machine translation.
type UnitInfo struct {
	// State is the unit's state; empty means StateMachine.
	State State
	// Flags are written in the marker's flags attribute (QA findings such
	// as "numbers" or "untranslated"). Each is lowercase letters, digits
	// and - _ . only. StateFailed adds "failed" itself.
	Flags []string
	// By is the origin of the machine translation, engine:model (e.g.
	// "openai:gpt-4o-mini"), written as the marker's by attribute so that
	// a run with another engine knows to translate the unit again. Empty
	// writes no attribute.
	By string
	// MT is the hash written as mt. Empty means Hash of the target block
	// written, so the unit reads back as not edited. Set it to the machine
	// hash read from an older file to keep a reviewer's edit detectable.
	MT string
	// Target, when not nil, is written verbatim as the target block instead
	// of the block assembled from the targets: a reviewer's edit is kept
	// byte for byte. It must be one block with the source block's
	// structure, as Unit.TargetBytes is.
	Target []byte
	// Previous is the earlier reviewed target block of a stale unit. It is
	// written after the target block for the reviewer to reconcile.
	Previous []byte
}

// Bilingual is everything written to an aligned bilingual file besides
// its [Format].
type Bilingual struct {
	// From names the source file, slash-separated, for the header.
	From string
	// Doc is the parsed source document, parsed with the Format's markdown
	// options.
	Doc *markdown.Document
	// Targets holds the translation of each segment of Doc in the neutral
	// form (one per Doc.Segments, same tag numbering).
	Targets []string
	// Units holds per-unit details by block index (an index into
	// Doc.Blocks). A block with segments that has no entry is a machine
	// translation.
	Units map[int]UnitInfo
	// Info, when not nil, is asked for each unit's details instead of
	// Units, so that a document of many units needs no map of them.
	Info func(block int) UnitInfo
}

// info returns the details of the unit of block i.
func (b *Bilingual) info(i int) UnitInfo {
	if b.Info != nil {
		return b.Info(i)
	}
	return b.Units[i]
}

// ErrTargetCount is returned by the writers when the targets do not match
// the document's segments one to one.
var ErrTargetCount = errors.New("out: one target per segment is needed")

// ErrEmptyTarget is returned by the bilingual writer when a unit's target
// block would be empty or blank: it could not be read back.
var ErrEmptyTarget = errors.New("out: empty target block")

// WriteBilingual writes b as an aligned bilingual Markdown file (format v1;
// see the package documentation) for the format f, which needs a language
// pair. b.Doc must have been parsed with f.Markdown: the header records
// those options so that the file is read back with them.
func WriteBilingual(w io.Writer, b *Bilingual, f Format) error {
	data, err := AppendBilingual(nil, b, f)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// AppendBilingual appends the bilingual file of b for the format f to dst
// and returns the extended buffer.
func AppendBilingual(dst []byte, b *Bilingual, f Format) ([]byte, error) {
	doc := b.Doc
	if doc == nil {
		return dst, errors.New("out: no source document")
	}
	if f.Source == "" || f.Target == "" {
		return dst, fmt.Errorf("%w: source %q, target %q", ErrNoPair, f.Source, f.Target)
	}
	if len(b.Targets) != len(doc.Segments) {
		return dst, fmt.Errorf("%w: %d targets for %d segments", ErrTargetCount, len(b.Targets), len(doc.Segments))
	}
	header, err := formatHeader(Header{Source: f.Source, Target: f.Target, From: b.From, Markdown: f.Markdown})
	if err != nil {
		return dst, err
	}
	src := doc.Source()
	if dst == nil {
		// Source, target and a marker of each unit: grown once or not at all.
		dst = make([]byte, 0, 2*len(src)+80*len(doc.Segments)+len(header)+16)
	}
	hasBOM := bytes.HasPrefix(src, []byte(bom))
	if hasBOM {
		dst = append(dst, bom...)
	}
	w := writer{b: b, dst: dst, lastBlock: len(doc.Blocks) - 1, eof: !endsLine(src)}
	first := 0
	if len(doc.Blocks) > 0 && doc.Blocks[0].Kind == markdown.FrontMatter {
		// The source front matter stays first so renderers still see it;
		// the header follows it, then the front matter's own unit.
		first = 1
		blk := doc.Blocks[0]
		s := stripBOM(src[blk.Start:blk.End])
		le := blockEnding(src, blk.Start, blk.End)
		w.dst = append(w.dst, s...)
		if !endsLine(s) {
			w.dst = append(w.dst, le...)
		}
		w.dst = append(w.dst, header...)
		if w.eof && len(doc.Blocks) == 1 && len(blk.Segments) == 0 {
			// Nothing follows: the missing final line ending is what says
			// the source had none.
			return w.dst, nil
		}
		w.dst = append(w.dst, le+le...)
		if len(blk.Segments) > 0 {
			if err := w.unit(0, le); err != nil {
				return dst, err
			}
		}
	} else {
		le := "\n"
		if len(doc.Blocks) > 0 {
			blk := doc.Blocks[0]
			le = lineEnding(src[blk.Start:blk.End])
		}
		w.dst = append(w.dst, header+le+le...)
	}
	for i := first; i < len(doc.Blocks); i++ {
		blk := doc.Blocks[i]
		s := src[blk.Start:blk.End]
		if i == 0 {
			s = stripBOM(s)
		}
		w.dst = append(w.dst, s...)
		if len(blk.Segments) == 0 {
			continue
		}
		le := blockEnding(src, blk.Start, blk.End)
		if !endsLine(s) {
			w.dst = append(w.dst, le...)
		}
		w.dst = append(w.dst, le...)
		if err := w.unit(i, le); err != nil {
			return dst, err
		}
	}
	return w.dst, nil
}

// writer holds the state of one AppendBilingual call.
type writer struct {
	b         *Bilingual
	dst       []byte
	id        int  // id of the last unit written
	lastBlock int  // index of the document's last block
	eof       bool // the source lacks a final line ending
	hs        hasher
}

// unit writes the marker, target block and previous target of the unit of
// block i. le is the line ending style to add.
func (w *writer) unit(i int, le string) error {
	doc := w.b.Doc
	blk := doc.Blocks[i]
	src := doc.Source()[blk.Start:blk.End]
	info := w.b.info(i)
	w.id++
	srcHash := w.hs.hash(src)
	m := marker{id: w.id, src: string(srcHash[:]), state: info.State, by: info.By, flags: slices.Clone(info.Flags)}
	if m.state == "" {
		m.state = StateMachine
	}
	if !m.state.Valid() {
		return fmt.Errorf("out: block %d: invalid state %q", i, m.state)
	}
	var t []byte
	switch {
	case info.Target != nil:
		t = info.Target
	case m.state == StateFailed:
		// No valid translation: the source stays in the target slot (the
		// block assembled from its own texts is its source bytes).
		t = src
	default:
		var err error
		if t, err = doc.AssembleBlock(i, w.b.Targets); err != nil {
			return fmt.Errorf("out: block %d: %w", i, err)
		}
	}
	if i == 0 && info.Target == nil {
		// The file's byte order mark is before the header; Target is
		// already the block as a file holds it (the reader's TargetBytes).
		t = stripBOM(t)
	}
	if len(trimBlankLines(t)) == 0 {
		return fmt.Errorf("%w: block %d", ErrEmptyTarget, i)
	}
	if m.state == StateFailed && !slices.Contains(m.flags, "failed") {
		m.flags = append(m.flags, "failed")
	}
	for _, f := range m.flags {
		if !validFlag(f) {
			return fmt.Errorf("out: block %d: invalid flag %q", i, f)
		}
	}
	m.mt = info.MT
	if m.mt == "" {
		if bytes.Equal(t, src) {
			m.mt = m.src
		} else {
			h := w.hs.hash(t)
			m.mt = string(h[:])
		}
	}
	if !isHash(m.mt) {
		return fmt.Errorf("out: block %d: invalid mt hash %q", i, m.mt)
	}
	last := i == w.lastBlock
	w.dst = append(appendMarker(w.dst, m), le...)
	w.dst = append(w.dst, t...)
	if info.Previous == nil {
		if !endsLine(t) && !last {
			w.dst = append(w.dst, le...)
		}
		return nil
	}
	if !endsLine(t) {
		w.dst = append(w.dst, le...)
	}
	w.dst = append(w.dst, formatPrevious(w.id)+le...)
	p := trimBlankLines(info.Previous)
	w.dst = append(w.dst, p...)
	if last && w.eof {
		// The previous target ends the file without a line ending, which
		// is what says the source had none.
		w.dst = trimLineEnding(w.dst)
		return nil
	}
	if !endsLine(p) {
		w.dst = append(w.dst, le...)
	}
	w.dst = append(w.dst, le...)
	return nil
}

// trimLineEnding returns b without one final line ending.
func trimLineEnding(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		return b[:len(b)-2]
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// stripBOM returns b without a leading byte order mark.
func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(bom)) }

// WriteTarget writes the target-only document: doc assembled with targets
// (one per segment, neutral form).
func WriteTarget(w io.Writer, doc *markdown.Document, targets []string) error {
	if len(targets) != len(doc.Segments) {
		return fmt.Errorf("%w: %d targets for %d segments", ErrTargetCount, len(targets), len(doc.Segments))
	}
	data, err := doc.Assemble(targets)
	if err != nil {
		return fmt.Errorf("out: assemble target: %w", err)
	}
	_, err = w.Write(data)
	return err
}
