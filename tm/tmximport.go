package tm

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/diglot/diglot/internal/xmltext"
	"github.com/diglot/diglot/lang"

	"github.com/diglot/diglot/tags"
)

// KeyFunc computes the TM key of a source segment (neutral tag form) for
// units that carry no [PropKey] — units from other tools. The pipeline passes
// its own key function so that imported units are found by later runs.
type KeyFunc func(source string) string

// ImportOptions configures [ImportTMX]. A nil *ImportOptions uses the
// defaults, which suit a TMX that diglot exported.
type ImportOptions struct {
	// Name is the imported file's name; units without a [PropOrigin] get
	// the Origin "import:<Name>".
	Name string

	// SourceLang and TargetLang choose the <tuv>s of each unit and are the
	// languages the entries are stored under, so a TMX written for "ZH-CN"
	// and "EN-US" serves a "zh" to "en" run. A <tuv> whose language equals
	// the option is preferred, then one with the same language and script
	// (zh-CN for zh, en-GB for en, but not zh-TW for zh). An empty SourceLang means the unit's or the header's srclang;
	// an empty TargetLang means the unit's only other language (a unit with
	// several is skipped). Without options entries keep the <tuv> languages.
	SourceLang string
	TargetLang string

	// KeyFunc computes the key of units without [PropKey], or of every
	// unit when RecomputeKeys is set (after the key rules changed). A unit
	// that needs it when it is nil fails the import with [ErrNoKeyFunc].
	KeyFunc       KeyFunc
	RecomputeKeys bool

	// State is given to units without [PropState]; empty means Reviewed:
	// a TM from a CAT tool holds human work.
	State State

	// BatchSize is how many units are stored per transaction. Zero stores
	// the whole file in one transaction after it was parsed completely, so
	// a malformed file imports nothing; a positive size bounds memory on
	// huge files, and the batches stored before an error stay stored.
	BatchSize int

	// Skip, when set, is told about each unit that is not imported and
	// why: no <tuv> in the chosen languages, an empty target, or (units from
	// other tools) target tags that do not match the source's.
	Skip func(line int, reason string)
}

// ErrMalformedTMX is matched (errors.Is) by every [*ParseError].
var ErrMalformedTMX = errors.New("tm: malformed tmx")

// ErrNoKeyFunc is returned for a unit without [PropKey] when
// [ImportOptions.KeyFunc] is nil.
var ErrNoKeyFunc = errors.New("tm: tmx unit has no x-diglot-key and no key function was given")

// ParseError is an error in a TMX document, with its position.
type ParseError struct {
	Name   string // the file name given in ImportOptions, if any
	Line   int    // 1-based line
	Column int    // 1-based column, in bytes
	Offset int64  // byte offset in the decoded input
	Err    error
}

// Error formats the error as "tm: NAME:LINE:COLUMN (byte OFFSET): what".
func (e *ParseError) Error() string {
	name := "tmx"
	if e.Name != "" {
		name = e.Name
	}
	return fmt.Sprintf("tm: %s:%d:%d (byte %d): %v", name, e.Line, e.Column, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMalformedTMX) true for every *ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrMalformedTMX }

// ImportTMXFile imports the TMX file at path with [ImportTMX]; opts.Name
// defaults to the file's base name.
func ImportTMXFile(ctx context.Context, path string, store Store, opts *ImportOptions) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("tm: import: %w", err)
	}
	defer f.Close()
	var o ImportOptions
	if opts != nil {
		o = *opts
	}
	if o.Name == "" {
		o.Name = filepath.Base(path)
	}
	return ImportTMX(ctx, f, store, &o)
}

// ImportTMX reads a TMX document (1.4b, and the 1.1–1.4 files CAT tools
// write; UTF-8, UTF-16 with a byte-order mark, or any declared IANA
// encoding) and puts one entry per <tu> into store. It returns how many
// entries it offered to the store; [Store.Put] precedence still applies, so
// a machine unit never replaces a reviewed entry.
//
// A unit written by [ExportTMX] comes back exactly as it was exported: key,
// origin, state and first-seen from its <prop>s, times from its dates, and
// neutral tags from its inline codes. A unit from another tool gets its key
// from opts.KeyFunc, the origin "import:<Name>", the state opts.State
// (reviewed by default) unless a [PropState] says otherwise, and its inline
// codes (<bpt>/<ept> pairs, <ph>, <it>, <ut>) become neutral tags numbered
// in source order, matched between source and target by their x attribute;
// <hi> is transparent and notes are ignored.
//
// A document that is not well-formed XML, has no <tmx> root, or has a <tuv>
// without a <seg> or an <ept> without a number fails with a [*ParseError]
// that gives the line, column and byte offset.
func ImportTMX(ctx context.Context, r io.Reader, store Store, opts *ImportOptions) (int, error) {
	p := &tmxParser{ctx: ctx, store: store}
	if opts != nil {
		p.opts = *opts
	}
	if p.opts.State == "" {
		p.opts.State = Reviewed
	}
	if !p.opts.State.Valid() {
		return 0, fmt.Errorf("tm: import: state %q is neither machine nor reviewed", p.opts.State)
	}
	var err error
	if p.opts.SourceLang != "" {
		if p.srcLang, err = canonLang(p.opts.SourceLang); err != nil {
			return 0, fmt.Errorf("tm: import: source language: %w", err)
		}
	}
	if p.opts.TargetLang != "" {
		if p.tgtLang, err = canonLang(p.opts.TargetLang); err != nil {
			return 0, fmt.Errorf("tm: import: target language: %w", err)
		}
	}
	if p.d, err = xmltext.NewDecoder(r); err != nil {
		return 0, fmt.Errorf("tm: import: %w", err)
	}
	if err := p.document(); err != nil {
		return p.n, err
	}
	if err := p.flush(); err != nil {
		return p.n, err
	}
	return p.n, nil
}

type tmxParser struct {
	ctx   context.Context
	d     *xml.Decoder
	store Store
	opts  ImportOptions

	srcLang, tgtLang string // canonical options
	headerSrc        string // canonical header srclang, "" for *all*

	pending []Entry
	n       int
	langs   langCache

	// position before the token last read, for errors
	line, col int
	off       int64
}

type position struct {
	line, col int
	off       int64
}

// token reads the next token, remembering where it started.
func (p *tmxParser) token() (xml.Token, error) {
	p.line, p.col = p.d.InputPos()
	p.off = p.d.InputOffset()
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, p.errorf(position{p.line, p.col, p.off}, "unexpected end of document")
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			// The decoder stops where it found the error; its column is
			// the best one available.
			_, col := p.d.InputPos()
			return nil, &ParseError{Name: p.opts.Name, Line: se.Line, Column: col, Offset: p.d.InputOffset(), Err: errors.New(se.Msg)}
		}
		return nil, p.errorf(position{p.line, p.col, p.off}, "%v", err)
	}
	return tok, nil
}

func (p *tmxParser) pos() position { return position{p.line, p.col, p.off} }

func (p *tmxParser) errorf(at position, format string, args ...any) error {
	return &ParseError{Name: p.opts.Name, Line: at.line, Column: at.col, Offset: at.off, Err: fmt.Errorf(format, args...)}
}

// skip consumes the rest of the element whose start was just read.
func (p *tmxParser) skip() error { return xmltext.Skip(p.token) }

// text returns the character data of the element whose start was just
// read, ignoring nested elements.
func (p *tmxParser) text() (string, error) { return xmltext.Text(p.token) }

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (p *tmxParser) document() error {
	// the root
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "tmx" {
				return p.errorf(p.pos(), "root element is <%s>, want <tmx>", se.Name.Local)
			}
			break
		}
	}
	sawBody := false
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "header":
				if v, ok := attr(t, "srclang"); ok && v != "*all*" {
					if c, err := canonLang(v); err == nil {
						p.headerSrc = c
					}
				}
				err = p.skip()
			case "body":
				sawBody = true
				err = p.body()
			default:
				err = p.skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			if !sawBody {
				return p.errorf(p.pos(), "<tmx> has no <body>")
			}
			return nil
		}
	}
}

func (p *tmxParser) body() error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "tu" {
				if err := p.ctx.Err(); err != nil {
					return err
				}
				err = p.tu(t)
			} else {
				err = p.skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

type tuv struct {
	lang             string // canonical when parseable
	seg              string // neutral text
	codes            codes  // the native code of each tag of seg
	created, changed string
}

// codeKey names a tag of a segment's neutral text: a standalone and a
// paired tag may have the same number.
type codeKey struct {
	paired bool
	id     int
}

// codes holds the native code of each inline code of a <seg>: the content
// of a <ph>, <it> or <ut> (Open), of a <bpt> (Open) and of an <ept> (Close).
type codes map[codeKey]TagMarkup

type unit struct {
	at               position
	srcLang          string
	created, changed string
	props            map[string]string
	tuvs             []tuv
}

func (p *tmxParser) tu(start xml.StartElement) error {
	u := unit{at: p.pos(), props: map[string]string{}}
	u.srcLang, _ = attr(start, "srclang")
	u.created, _ = attr(start, "creationdate")
	u.changed, _ = attr(start, "changedate")
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "prop":
				typ, _ := attr(t, "type")
				// seg, not text: a diglot prop may carry an
				// x-diglot-char <ph>.
				v, _, err := p.seg()
				if err != nil {
					return err
				}
				if _, dup := u.props[typ]; !dup {
					u.props[typ] = v
				}
			case "tuv":
				v, err := p.tuv(t)
				if err != nil {
					return err
				}
				u.tuvs = append(u.tuvs, v)
			default:
				if err := p.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return p.unit(u)
		}
	}
}

func (p *tmxParser) tuv(start xml.StartElement) (tuv, error) {
	at := p.pos()
	var v tuv
	v.lang, _ = attr(start, "lang") // xml:lang in 1.4, lang in 1.1
	if c, err := canonLang(v.lang); err == nil {
		v.lang = c
	}
	v.created, _ = attr(start, "creationdate")
	v.changed, _ = attr(start, "changedate")
	sawSeg := false
	for {
		tok, err := p.token()
		if err != nil {
			return v, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "seg" && !sawSeg {
				sawSeg = true
				if v.seg, v.codes, err = p.seg(); err != nil {
					return v, err
				}
			} else if err := p.skip(); err != nil {
				return v, err
			}
		case xml.EndElement:
			if !sawSeg {
				return v, p.errorf(at, "<tuv xml:lang=%q> has no <seg>", v.lang)
			}
			return v, nil
		}
	}
}

// maxTag is the largest tag number the neutral form has (six digits).
// Inline codes without a usable number are numbered down from it, in
// order, so source and target agree when their codes come in the same order;
// renumbering (units from other tools) then makes them small.
const maxTag = 999999

// seg decodes a <seg>'s content into neutral text, and returns the native
// code of each of its tags.
func (p *tmxParser) seg() (string, codes, error) {
	var b strings.Builder
	cs := codes{}
	pairs := map[string]int{} // bpt i -> tag number, for its ept
	next := maxTag + 1
	number := func(s string) int {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= maxTag && strconv.Itoa(n) == s {
			return n
		}
		next--
		return next
	}
	for depth := 0; ; {
		tok, err := p.token()
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			if depth == 0 {
				return b.String(), cs, nil
			}
			depth--
		case xml.StartElement:
			at := p.pos()
			x, hasX := attr(t, "x")
			var k codeKey
			switch t.Name.Local {
			case "ph", "it", "ut":
				if typ, _ := attr(t, "type"); typ == propChar {
					s, err := p.text()
					if err != nil {
						return "", nil, err
					}
					c, err := strconv.ParseUint(strings.TrimPrefix(s, "U+"), 16, 32)
					if err != nil || !strings.HasPrefix(s, "U+") {
						return "", nil, p.errorf(at, "bad %s code %q", propChar, s)
					}
					b.WriteRune(rune(c))
					continue
				}
				if !hasX {
					x = ""
				}
				k = codeKey{false, number(x)}
				b.WriteString(tags.X(k.id))
			case "bpt":
				i, _ := attr(t, "i")
				if !hasX {
					x = i
				}
				k = codeKey{true, number(x)}
				pairs[i] = k.id
				b.WriteString(tags.G(k.id))
			case "ept":
				i, ok := attr(t, "i")
				if !ok {
					return "", nil, p.errorf(at, "<ept> without an i attribute")
				}
				n, ok := pairs[i]
				if !ok {
					n = number(i)
				}
				k = codeKey{true, n}
				b.WriteString(tags.EndG(n))
			default:
				// <hi> and anything unknown: keep the content, drop the
				// markup.
				depth++
				continue
			}
			// The native code is the element's own text; a <sub> inside
			// it (translatable text of an attribute) is not part of it.
			code, err := p.text()
			if err != nil {
				return "", nil, err
			}
			m := cs[k]
			if t.Name.Local == "ept" {
				m.Close = code
			} else {
				m.Open = code
			}
			cs[k] = m
		}
	}
}

// unit turns a parsed <tu> into an entry.
func (p *tmxParser) unit(u unit) error {
	skip := func(format string, args ...any) error {
		if p.opts.Skip != nil {
			p.opts.Skip(u.at.line, fmt.Sprintf(format, args...))
		}
		return nil
	}
	key, ours := u.props[PropKey]
	ours = ours && key != ""

	srcLang := p.srcLang
	if srcLang == "" && u.srcLang != "" && u.srcLang != "*all*" {
		srcLang, _ = canonLang(u.srcLang)
	}
	if srcLang == "" {
		srcLang = p.headerSrc
	}
	if srcLang == "" {
		return skip("no source language (set one)")
	}
	si := pickTUV(u.tuvs, srcLang, -1)
	if si < 0 {
		return skip("no <tuv> in source language %s", srcLang)
	}
	tgtLang := p.tgtLang
	ti := -1
	if tgtLang != "" {
		ti = pickTUV(u.tuvs, tgtLang, si)
	} else {
		for i, v := range u.tuvs {
			if i == si {
				continue
			}
			if ti >= 0 && u.tuvs[ti].lang != v.lang {
				return skip("several target languages (%s, %s): choose one", u.tuvs[ti].lang, v.lang)
			}
			if ti < 0 {
				ti = i
			}
		}
	}
	if ti < 0 {
		if tgtLang == "" {
			tgtLang = "another language"
		}
		return skip("no <tuv> in %s", tgtLang)
	}
	src, tgt := u.tuvs[si], u.tuvs[ti]
	e := Entry{
		SourceLang: p.srcLang, TargetLang: p.tgtLang,
		Source: src.seg, Target: tgt.seg,
		FirstSeen: u.props[PropFirstSeen],
		State:     p.opts.State,
	}
	if e.SourceLang == "" {
		e.SourceLang = src.lang
	}
	if e.TargetLang == "" {
		e.TargetLang = tgt.lang
	}
	origin, ok := u.props[PropOrigin]
	if !ok {
		origin = ImportOrigin(p.opts.Name)
	}
	e.Origin = origin
	if s, ok := u.props[PropState]; ok {
		e.State = State(s)
		if !e.State.Valid() {
			return p.errorf(u.at, "%s %q is neither machine nor reviewed", PropState, s)
		}
	}
	if ours {
		// diglot's own unit: its codes are the markup (PropMarkup), or
		// the neutral tags themselves (older exports).
		_, raw := u.props[PropMarkup]
		e.Markup = markupFrom(src.codes, nil, raw)
	} else {
		// Another tool's codes: number them as our segmenter would, in
		// source order, and require the target to carry the same ones.
		// Their native codes are kept as the tags' markup, so that an
		// export gives them back.
		var mapping map[codeKey]int
		e.Source, e.Target, mapping = renumberPair(e.Source, e.Target)
		e.Markup = markupFrom(src.codes, mapping, true)
		if strings.TrimSpace(e.Target) == "" {
			return skip("empty target")
		}
		if err := tags.Check(e.Source, e.Target); err != nil {
			return skip("%v", err)
		}
	}
	if !ours || p.opts.RecomputeKeys {
		if p.opts.KeyFunc == nil {
			name := p.opts.Name
			if name == "" {
				name = "tmx"
			}
			return fmt.Errorf("%s:%d: %w", name, u.at.line, ErrNoKeyFunc)
		}
		key = p.opts.KeyFunc(e.Source)
	}
	e.Key = key
	created, changed := u.created, u.changed
	if created == "" {
		created = tgt.created
	}
	if changed == "" {
		changed = tgt.changed
	}
	e.Created = parseTMXTime(created)
	e.Updated = parseTMXTime(changed)
	if e.Updated.IsZero() {
		e.Updated = e.Created
	}
	if _, err := prepare(e, func() (t time.Time) { return t }, &p.langs); err != nil {
		return p.errorf(u.at, "%v", err)
	}
	p.pending = append(p.pending, e)
	if p.opts.BatchSize > 0 && len(p.pending) >= p.opts.BatchSize {
		return p.flush()
	}
	return nil
}

func (p *tmxParser) flush() error {
	if len(p.pending) == 0 {
		return nil
	}
	if err := p.store.Put(p.ctx, p.pending); err != nil {
		return fmt.Errorf("tm: import: %w", err)
	}
	p.n += len(p.pending)
	p.pending = p.pending[:0]
	return nil
}

// pickTUV returns the index of the <tuv> for tag, other than not: an exact
// match first, then one with the same language and script; -1 if none.
func pickTUV(tuvs []tuv, tag string, not int) int {
	for i, v := range tuvs {
		if i != not && strings.EqualFold(v.lang, tag) {
			return i
		}
	}
	for i, v := range tuvs {
		if i != not && lang.SameWriting(v.lang, tag) {
			return i
		}
	}
	return -1
}

// markupFrom turns the native codes of a source <seg> into the entry's
// markup. mapping, when not nil, gives the tag numbers after renumbering
// (tags it lacks are dropped). Unless raw, a code that is the neutral tag
// itself (an export without markup) is none. A standalone and a paired tag
// with one number share one markup entry (the export wrote the same Open
// for both): the first non-empty Open and Close are taken.
func markupFrom(cs codes, mapping map[codeKey]int, raw bool) []TagMarkup {
	keys := make([]codeKey, 0, len(cs))
	for k := range cs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b codeKey) int {
		if a.id != b.id {
			return a.id - b.id
		}
		return boolCmp(a.paired, b.paired)
	})
	byID := map[int]int{} // tag number -> index in m
	var m []TagMarkup
	for _, k := range keys {
		c := cs[k]
		if !raw {
			if !k.paired && c.Open == tags.X(k.id) || k.paired && c.Open == tags.G(k.id) {
				c.Open = ""
			}
			if k.paired && c.Close == tags.EndG(k.id) {
				c.Close = ""
			}
		}
		id := k.id
		if mapping != nil {
			n, ok := mapping[k]
			if !ok {
				continue
			}
			id = n
		}
		if c.Open == "" && c.Close == "" {
			continue
		}
		i, ok := byID[id]
		if !ok {
			byID[id] = len(m)
			m = append(m, TagMarkup{ID: id, Open: c.Open, Close: c.Close})
			continue
		}
		if m[i].Open == "" {
			m[i].Open = c.Open
		}
		if m[i].Close == "" {
			m[i].Close = c.Close
		}
	}
	slices.SortFunc(m, func(a, b TagMarkup) int { return a.ID - b.ID })
	return m
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// renumberPair renumbers the tags of source in order of appearance from 1,
// and the target's with the same mapping (a standalone and a paired tag with
// the same number are different tags); target tags unknown to the source
// get the numbers after. It returns the mapping too.
func renumberPair(source, target string) (string, string, map[codeKey]int) {
	mapping := map[codeKey]int{}
	next := 1
	rewrite := func(s string) string {
		if !strings.Contains(s, "<") {
			return s
		}
		var b strings.Builder
		for _, t := range tags.Parse(s) {
			if t.Kind == tags.Text {
				b.WriteString(t.Text)
				continue
			}
			k := codeKey{t.Kind != tags.Standalone, t.ID}
			n, ok := mapping[k]
			if !ok {
				n = next
				next++
				mapping[k] = n
			}
			switch t.Kind {
			case tags.Standalone:
				b.WriteString(tags.X(n))
			case tags.Open:
				b.WriteString(tags.G(n))
			case tags.Close:
				b.WriteString(tags.EndG(n))
			}
		}
		return b.String()
	}
	return rewrite(source), rewrite(target), mapping
}
