package xliff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tags"
)

// ErrNothing is returned by Export when no input has a unit: an XLIFF
// document needs at least one.
var ErrNothing = errors.New("xliff: nothing to translate in the input")

// Input is a bilingual file read for export. Create it with ReadInput.
type Input struct {
	// Path names the bilingual file in the <file original> attribute
	// (slash-separated); whoever imports the XLIFF finds the file by it.
	Path string
	// File is the bilingual file read back.
	File *out.File
	data []byte
}

// ReadInput reads the bilingual file data, recorded as path in the XLIFF.
// The file must read without error (see out.ReadBilingual).
func ReadInput(path string, data []byte, opts *Options) (*Input, error) {
	f, err := readBilingual(path, data, opts)
	if err != nil {
		return nil, err
	}
	return &Input{Path: path, File: f, data: data}, nil
}

// Export writes one XLIFF 2.1 document with a <file> per input that has
// units, in order, and returns how many <unit>s it wrote. The inputs must
// share a language pair ([ErrLanguages]); with no unit at all it writes
// nothing and returns [ErrNothing].
//
// Each bilingual unit becomes a <unit> whose id is "u" and its source
// block's hash (stable across exports), with one <segment> per segment of
// the source block. Inline markup becomes <ph> (standalone tags) and <pc>
// (paired tags) whose <originalData> holds the exact Markdown, with a
// short disp for the tool to show; the tool may not copy or delete them.
// States map as machine → translated, reviewed (or edited) → final, and
// stale, new and failed → initial; a new or failed unit has no <target>
// (its slot holds the source). Flags, failures and a stale unit's
// previous translation are <note>s; the unit's marker id, state, origin
// (by) and target hash are mda metadata.
func Export(w io.Writer, inputs []*Input) (int, error) {
	var src, tgt string
	var first *Input
	for _, in := range inputs {
		if len(in.File.Units) == 0 {
			continue
		}
		s, t, err := pair(in.File.Header)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", in.Path, err)
		}
		if first == nil {
			src, tgt, first = s, t, in
		} else if s != src || t != tgt {
			return 0, fmt.Errorf("%w: %s is %s→%s, %s is %s→%s: export them to separate files",
				ErrLanguages, first.Path, src, tgt, in.Path, s, t)
		}
	}
	if first == nil {
		return 0, ErrNothing
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<xliff xmlns="` + NSCore + `" xmlns:mda="` + NSMetadata + `" version="` + Version +
		`" srcLang="` + src + `" trgLang="` + tgt + `">` + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return 0, err
	}
	n := 0
	fileIDs := map[string]int{}
	for _, in := range inputs {
		if len(in.File.Units) == 0 {
			continue
		}
		b.Reset()
		id := fileID(in.Path)
		fileIDs[id]++
		if c := fileIDs[id]; c > 1 {
			id += "-" + strconv.Itoa(c)
		}
		units, err := writeFile(&b, in, id)
		if err != nil {
			return n, fmt.Errorf("%s: %w", in.Path, err)
		}
		n += units
		if _, err := io.WriteString(w, b.String()); err != nil {
			return n, err
		}
	}
	_, err := io.WriteString(w, "</xliff>\n")
	return n, err
}

// pair returns a header's languages as BCP 47 tags.
func pair(h out.Header) (string, string, error) {
	if h.Source == "" || h.Target == "" {
		return "", "", fmt.Errorf("%w: the bilingual header names no source or target language", ErrLanguages)
	}
	s, err := language.Parse(h.Source)
	if err != nil {
		return "", "", fmt.Errorf("%w: source %q: %v", ErrLanguages, h.Source, err)
	}
	t, err := language.Parse(h.Target)
	if err != nil {
		return "", "", fmt.Errorf("%w: target %q: %v", ErrLanguages, h.Target, err)
	}
	return s.String(), t.String(), nil
}

// fileID is a <file> id that depends on the path alone, so it is the same
// in every export that holds the file.
func fileID(path string) string {
	h := sha256.Sum256([]byte(path))
	return "f" + hex.EncodeToString(h[:4])
}

func writeFile(b *strings.Builder, in *Input, id string) (int, error) {
	f := in.File
	b.WriteString(`  <file id="` + id + `" original="`)
	writeAttr(b, in.Path)
	b.WriteString(`" canResegment="no" xml:space="preserve">` + "\n")
	writeMeta(b, "    ", [][2]string{{MetaFormat, "diglot-v" + strconv.Itoa(out.Version)}, {MetaFrom, f.Header.From}})
	lines := lineStarts(in.data)
	for i, uid := range unitIDs(f) {
		u := &f.Units[i]
		marker := ""
		if u.Line >= 1 && u.Line <= len(lines) {
			marker = lineAt(in.data, lines, u.Line)
		}
		if err := writeUnit(b, f, u, uid, markerValue(marker, "by")); err != nil {
			return 0, fmt.Errorf("unit %d: %w", u.ID, err)
		}
	}
	b.WriteString("  </file>\n")
	return len(f.Units), nil
}

func writeMeta(b *strings.Builder, indent string, meta [][2]string) {
	b.WriteString(indent + "<mda:metadata>\n" + indent + `  <mda:metaGroup category="` + MetaGroup + `">` + "\n")
	for _, m := range meta {
		if m[1] == "" {
			continue
		}
		b.WriteString(indent + `    <mda:meta type="` + m[0] + `">`)
		writeNote(b, m[1])
		b.WriteString("</mda:meta>\n")
	}
	b.WriteString(indent + "  </mda:metaGroup>\n" + indent + "</mda:metadata>\n")
}

func writeUnit(b *strings.Builder, f *out.File, u *out.Unit, id, by string) error {
	state := effectiveState(u)
	b.WriteString(`    <unit id="` + id + `" name="` + strconv.Itoa(u.ID) + `">` + "\n")
	meta := [][2]string{{MetaUnit, strconv.Itoa(u.ID)}, {MetaState, string(state)}}
	if state == out.StateMachine {
		meta = append(meta, [2]string{MetaBy, by})
	}
	meta = append(meta, [2]string{MetaTarget, out.Hash(u.TargetBytes)})
	writeMeta(b, "      ", meta)

	var notes [][3]string // category, appliesTo, text
	for _, fl := range u.Flags {
		if fl != "failed" {
			notes = append(notes, [3]string{"flag", "", fl})
		}
	}
	switch state {
	case out.StateFailed:
		notes = append(notes, [3]string{"failed", "", "no valid translation yet: diglot could not translate this unit"})
	case out.StateStale:
		notes = append(notes, [3]string{"stale", "", "the source changed after review: the target is a new machine translation; the earlier reviewed one is in the note that follows"})
		if u.Previous != nil {
			notes = append(notes, [3]string{"previous", "target", string(u.Previous)})
		}
	}
	if len(notes) > 0 {
		b.WriteString("      <notes>\n")
		for _, n := range notes {
			b.WriteString(`        <note category="` + n[0] + `"`)
			if n[1] != "" {
				b.WriteString(` appliesTo="` + n[1] + `"`)
			}
			b.WriteString(">")
			writeNote(b, n[2])
			b.WriteString("</note>\n")
		}
		b.WriteString("      </notes>\n")
	}

	segs := f.Source.Blocks[u.Block].Segments
	_, ids := unitCodes(f, u)
	var data strings.Builder
	for k, si := range segs {
		for _, t := range f.Source.Segments[si].Tags {
			id := ids[k][t.ID]
			data.WriteString(`        <data id="d` + id + `">`)
			writeText(&data, t.Open)
			data.WriteString("</data>\n")
			if t.Paired {
				data.WriteString(`        <data id="d` + id + `e">`)
				writeText(&data, t.Close)
				data.WriteString("</data>\n")
			}
		}
	}
	if data.Len() > 0 {
		b.WriteString("      <originalData>\n" + data.String() + "      </originalData>\n")
	}
	xs := xliffState(state)
	for k, si := range segs {
		seg := f.Source.Segments[si]
		b.WriteString(`      <segment id="s` + strconv.Itoa(k+1) + `" state="` + string(xs) + `" subState="diglot:` + string(state) + `">` + "\n")
		b.WriteString("        <source>")
		if err := writeContent(b, seg.Text, seg.Tags, ids[k]); err != nil {
			return fmt.Errorf("segment %d source: %w", k+1, err)
		}
		b.WriteString("</source>\n")
		if hasTarget(state) {
			b.WriteString("        <target>")
			if err := writeContent(b, u.Targets[k], seg.Tags, ids[k]); err != nil {
				return fmt.Errorf("segment %d target: %w", k+1, err)
			}
			b.WriteString("</target>\n")
		}
		b.WriteString("      </segment>\n")
	}
	b.WriteString("    </unit>\n")
	return nil
}

// writeContent writes neutral text as XLIFF inline content: text escaped,
// standalone tags as <ph/>, paired tags as <pc>…</pc> (or, where the text
// nests them badly, as <sc/>…<ec/>), each pointing at its original data.
func writeContent(b *strings.Builder, text string, tg []markdown.Tag, ids []string) error {
	toks := tags.Parse(text)
	nested := wellNested(toks)
	tag := func(t tags.Token) (markdown.Tag, string, error) {
		if t.ID < 1 || t.ID > len(tg) || t.ID >= len(ids) || tg[t.ID-1].Paired != (t.Kind != tags.Standalone) {
			return markdown.Tag{}, "", fmt.Errorf("%s has no counterpart in the source", tags.Describe(t))
		}
		return tg[t.ID-1], ids[t.ID], nil
	}
	for _, t := range toks {
		if t.Kind == tags.Text {
			writeText(b, t.Text)
			continue
		}
		mt, id, err := tag(t)
		if err != nil {
			return err
		}
		typ, sub := codeType(mt.Kind)
		dispStart, dispEnd := codeDisp(mt)
		// A link title or wiki span may be left out of a translation
		// (markdown.Tag.Optional): the Markdown is then written without it.
		perms := ` canCopy="no" canDelete="no"`
		if mt.Optional() {
			perms = ` canCopy="no" canDelete="yes"`
		}
		attrs := func(disp, ref string) {
			b.WriteString(` id="` + id + `"`)
			if ref != "" {
				b.WriteString(` dataRef="d` + ref + `"`)
			}
			b.WriteString(` disp="`)
			writeAttr(b, disp)
			b.WriteString(`" type="` + typ + `"`)
			if sub != "" {
				b.WriteString(` subType="` + sub + `"`)
			}
			b.WriteString(perms)
		}
		switch {
		case t.Kind == tags.Standalone:
			b.WriteString("<ph")
			attrs(dispStart, id)
			b.WriteString("/>")
		case t.Kind == tags.Open && nested:
			b.WriteString(`<pc id="` + id + `" dataRefStart="d` + id + `" dataRefEnd="d` + id + `e" dispStart="`)
			writeAttr(b, dispStart)
			b.WriteString(`" dispEnd="`)
			writeAttr(b, dispEnd)
			b.WriteString(`" type="` + typ + `"`)
			if sub != "" {
				b.WriteString(` subType="` + sub + `"`)
			}
			b.WriteString(perms + ">")
		case t.Kind == tags.Close && nested:
			b.WriteString("</pc>")
		case t.Kind == tags.Open:
			b.WriteString("<sc")
			attrs(dispStart, id)
			b.WriteString("/>")
		default:
			b.WriteString(`<ec startRef="` + id + `" dataRef="d` + id + `e" disp="`)
			writeAttr(b, dispEnd)
			b.WriteString(`" type="` + typ + `"`)
			if sub != "" {
				b.WriteString(` subType="` + sub + `"`)
			}
			b.WriteString(perms + "/>")
		}
	}
	return nil
}

// wellNested reports whether the paired tags of toks open and close as
// elements can: each closes the innermost open one, and all close.
func wellNested(toks []tags.Token) bool {
	var stack []int
	for _, t := range toks {
		switch t.Kind {
		case tags.Open:
			stack = append(stack, t.ID)
		case tags.Close:
			if len(stack) == 0 || stack[len(stack)-1] != t.ID {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0
}

// codeDisp returns what a tool shows on a code's start and end: its
// Markdown, shortened. A link or image title has no Markdown of its own
// (its quotes are in the link's closing code), so it shows as a title.
func codeDisp(t markdown.Tag) (start, end string) {
	if t.Kind == markdown.TitleTag {
		return `title "`, `"`
	}
	return display(t.Open), display(t.Close)
}

// codeType is the XLIFF type and subType of a kind of tag.
func codeType(k markdown.TagKind) (typ, subType string) {
	switch k {
	case markdown.LinkTag, markdown.AutolinkTag:
		return "link", ""
	case markdown.EmphasisTag:
		return "fmt", "xlf:i"
	case markdown.StrongTag:
		return "fmt", "xlf:b"
	case markdown.StrikeTag:
		return "fmt", ""
	case markdown.ImageTag:
		return "image", ""
	case markdown.BreakTag:
		return "fmt", "xlf:lb"
	}
	return "other", "" // code, HTML, footnote references, literals
}

// lineStarts returns the offset of the start of every line of data.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns line n (1-based) of data, with its line ending.
func lineAt(data []byte, starts []int, n int) string {
	start := starts[n-1]
	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i + 1
	}
	return string(data[start:end])
}
