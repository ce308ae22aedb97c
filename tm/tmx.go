package tm

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/diglot/diglot/internal/xmltext"
	"github.com/diglot/diglot/tags"
)

// The TMX <prop> types diglot writes on each <tu> and reads back. Units from
// other tools lack them; see [ImportOptions].
const (
	PropKey       = "x-diglot-key"
	PropOrigin    = "x-diglot-origin"
	PropState     = "x-diglot-state"
	PropFirstSeen = "x-diglot-first-seen"
	// PropMarkup says that the inline codes of the unit's segments carry
	// the original markup of each tag (Entry.Markup) as their native
	// code; its value names the markup language, "markdown". Without it
	// a diglot unit's codes are the neutral tags themselves.
	PropMarkup = "x-diglot-markup"
)

// markupMarkdown is the value of PropMarkup diglot writes.
const markupMarkdown = "markdown"

// propChar is the type of the <ph> that carries a character XML 1.0 cannot
// hold even as a character reference (most C0 controls, U+FFFE, U+FFFF),
// as "U+000C". It keeps export lossless for any valid UTF-8 text.
const propChar = "x-diglot-char"

// tmxTime is TMX's date format (ISO 8601 basic, UTC).
const tmxTime = "20060102T150405Z"

// ErrUnencodable is matched by the export error for text TMX cannot carry
// (invalid UTF-8).
var ErrUnencodable = errors.New("tm: text not encodable in tmx")

// ExportOptions configures [ExportTMX]. A nil *ExportOptions exports every
// entry with the defaults.
type ExportOptions struct {
	SourceLang string // only this source language; also the header's srclang
	TargetLang string // only this target language
	State      State  // only this state (e.g. Reviewed, to share human work)

	// ToolVersion is the header's creationtoolversion; empty means "1".
	ToolVersion string
	// AdminLang is the header's adminlang; empty means "en".
	AdminLang string
}

// ExportTMX writes the entries of src that opts selects to w as a TMX 1.4b
// document and returns how many units it wrote.
//
// The header names diglot as creation tool, segtype paragraph, datatype
// markdown, and srclang opts.SourceLang — or, when that is empty, the store's
// only source language if it has one (asked through [StatsReporter]), else
// "*all*" with a srclang on every <tu>. Each entry is a <tu> with
// creationdate and changedate (whole seconds, UTC), its key, origin, state
// and first-seen path as <prop>s ([PropKey], [PropOrigin], [PropState],
// [PropFirstSeen]), and a <tuv xml:lang> with a <seg> for source and
// target.
//
// Neutral tags become TMX inline codes whose native code is the tag's
// original markup ([Entry.Markup]): <xN/> is <ph x="N">, <gN>…</gN> is
// <bpt i="N" x="N">…</bpt>…<ept i="N">…</ept>, so that an image is
// <ph x="1">![](a.png)</ph> and a link <bpt i="2" x="2">[</bpt>text<ept
// i="2">](https://…)</ept>, and a [PropMarkup] prop says so. CAT tools
// (OmegaT, Trados) show the codes as protected tags that the translator
// keeps, and [ImportTMX] rebuilds the neutral tags from the i and x
// attributes and the markup from the codes, so export and import are
// inverse. An entry without markup (stored before diglot recorded it, or
// whose markup holds a character XML cannot carry) has the neutral tag
// itself as native code: <ph x="1">&lt;x1/&gt;</ph>. A carriage return is
// written as &#xD; so XML line-end normalisation cannot eat it; a character
// XML cannot hold at all is written as <ph type="x-diglot-char">U+XXXX</ph>.
// Entries are written in the order (source, target, key), so an export is
// deterministic.
func ExportTMX(ctx context.Context, w io.Writer, src Enumerator, opts *ExportOptions) (int, error) {
	var o ExportOptions
	if opts != nil {
		o = *opts
	}
	if o.ToolVersion == "" {
		o.ToolVersion = "1"
	}
	if o.AdminLang == "" {
		o.AdminLang = "en"
	}
	f, err := (&Filter{SourceLang: o.SourceLang, TargetLang: o.TargetLang, State: o.State}).canon()
	if err != nil {
		return 0, err
	}
	srcLang := f.SourceLang
	if srcLang == "" {
		srcLang = "*all*"
		if sr, ok := src.(StatsReporter); ok {
			st, err := sr.Stats(ctx)
			if err != nil {
				return 0, err
			}
			langs := map[string]bool{}
			for _, p := range st.Pairs {
				if f.TargetLang == "" || p.TargetLang == f.TargetLang {
					langs[p.SourceLang] = true
				}
			}
			if len(langs) == 1 {
				for l := range langs {
					srcLang = l
				}
			}
		}
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE tmx SYSTEM "tmx14.dtd">` + "\n")
	b.WriteString(`<tmx version="1.4">` + "\n")
	b.WriteString(`  <header creationtool="diglot" creationtoolversion="`)
	if err := escape(&b, o.ToolVersion, true); err != nil {
		return 0, err
	}
	b.WriteString(`" segtype="paragraph" o-tmf="diglot" adminlang="`)
	if err := escape(&b, o.AdminLang, true); err != nil {
		return 0, err
	}
	b.WriteString(`" srclang="` + srcLang + `" datatype="markdown"/>` + "\n  <body>\n")
	if _, err := bw.WriteString(b.String()); err != nil {
		return 0, err
	}

	n := 0
	err = src.Each(ctx, &f, func(e Entry) error {
		b.Reset()
		if err := writeTU(&b, e, srcLang == "*all*"); err != nil {
			return err
		}
		n++
		_, err := bw.WriteString(b.String())
		return err
	})
	if err != nil {
		return n, err
	}
	if _, err := bw.WriteString("  </body>\n</tmx>\n"); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func writeTU(b *strings.Builder, e Entry, unitSrcLang bool) error {
	b.WriteString(`    <tu`)
	if unitSrcLang {
		b.WriteString(` srclang="` + e.SourceLang + `"`)
	}
	b.WriteString(` creationdate="` + e.Created.UTC().Format(tmxTime) + `"`)
	b.WriteString(` changedate="` + e.Updated.UTC().Format(tmxTime) + `">` + "\n")
	props := [][2]string{{PropKey, e.Key}, {PropOrigin, e.Origin}, {PropState, string(e.State)}}
	if e.FirstSeen != "" {
		props = append(props, [2]string{PropFirstSeen, e.FirstSeen})
	}
	markup := e.Markup
	if !markupEncodable(markup) {
		// XML cannot carry a control character inside a code: the tags
		// of this entry travel as neutral tags, as without markup.
		markup = nil
	}
	if markup != nil {
		props = append(props, [2]string{PropMarkup, markupMarkdown})
	}
	for _, p := range props {
		b.WriteString(`      <prop type="` + p[0] + `">`)
		if err := escapeSeg(b, p[1]); err != nil {
			return fmt.Errorf("%w: key %q: %s", err, e.Key, p[0])
		}
		b.WriteString("</prop>\n")
	}
	for _, v := range [][2]string{{e.SourceLang, e.Source}, {e.TargetLang, e.Target}} {
		b.WriteString(`      <tuv xml:lang="` + v[0] + `"><seg>`)
		if err := encodeSeg(b, v[1], markup); err != nil {
			return fmt.Errorf("%w: key %q", err, e.Key)
		}
		b.WriteString("</seg></tuv>\n")
	}
	b.WriteString("    </tu>\n")
	return nil
}

// encodeSeg writes neutral text as the content of a TMX <seg>. Each tag's
// native code is its markup when the entry has markup (empty for a tag
// without), else the neutral tag itself.
func encodeSeg(b *strings.Builder, s string, markup []TagMarkup) error {
	code := func(neutral, m string) {
		if markup == nil {
			m = neutral
		}
		for _, r := range m {
			xmltext.EscapeRune(b, r, false)
		}
	}
	for _, t := range tags.Parse(s) {
		id := strconv.Itoa(t.ID)
		m, _ := markupOf(markup, t.ID)
		switch t.Kind {
		case tags.Standalone:
			b.WriteString(`<ph x="` + id + `">`)
			code(t.Text, m.Open)
			b.WriteString(`</ph>`)
		case tags.Open:
			b.WriteString(`<bpt i="` + id + `" x="` + id + `">`)
			code(t.Text, m.Open)
			b.WriteString(`</bpt>`)
		case tags.Close:
			b.WriteString(`<ept i="` + id + `">`)
			code(t.Text, m.Close)
			b.WriteString(`</ept>`)
		default:
			if err := escapeSeg(b, t.Text); err != nil {
				return err
			}
		}
	}
	return nil
}

// markupEncodable reports whether every markup string can be written as
// TMX native code: valid UTF-8 (always, in a stored entry) of characters
// XML holds.
func markupEncodable(m []TagMarkup) bool {
	for _, t := range m {
		for _, s := range []string{t.Open, t.Close} {
			if !utf8.ValidString(s) {
				return false
			}
			for _, r := range s {
				if !xmltext.IsChar(r) {
					return false
				}
			}
		}
	}
	return true
}

// escapeSeg escapes text inside an element, with characters XML cannot hold
// carried by a <ph type="x-diglot-char">.
func escapeSeg(b *strings.Builder, s string) error {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Errorf("%w: invalid utf-8 at byte %d", ErrUnencodable, i)
		}
		i += size
		if !xmltext.IsChar(r) {
			fmt.Fprintf(b, `<ph type="%s">U+%04X</ph>`, propChar, r)
			continue
		}
		xmltext.EscapeRune(b, r, false)
	}
	return nil
}

// escape escapes an attribute value (attr) or text; characters XML cannot
// hold are an error here.
func escape(b *strings.Builder, s string, attr bool) error {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || !xmltext.IsChar(r) {
			return fmt.Errorf("%w: %q", ErrUnencodable, s)
		}
		xmltext.EscapeRune(b, r, attr)
	}
	return nil
}

// parseTMXTime reads a TMX date; other tools sometimes omit the Z or write
// RFC 3339, which are accepted too. It returns the zero time when s is not a
// date, and the store then uses its clock.
func parseTMXTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{tmxTime, "20060102T150405", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
