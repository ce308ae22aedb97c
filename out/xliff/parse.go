package xliff

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/internal/xmltext"
)

// Document is an XLIFF 2 document as diglot reads it back: its files,
// units and segments, with the inline content of each source and target.
// Everything diglot does not use (notes, original data, other modules) is
// skipped.
type Document struct {
	Version string // the version attribute, "2.1"
	SrcLang string
	TrgLang string
	Files   []File
}

// File is one <file> of a Document.
type File struct {
	ID       string
	Original string // the original attribute: the bilingual file
	// SrcLang and TrgLang are the document's languages.
	SrcLang, TrgLang string
	Line             int               // 1-based line of the <file> element
	Meta             map[string]string // diglot's mda metadata (MetaFrom …), if any
	Units            []Unit            // in document order, groups flattened
}

// Unit is one <unit> of a File.
type Unit struct {
	ID       string
	Name     string
	Line     int               // 1-based line of the <unit> element
	Meta     map[string]string // diglot's mda metadata (MetaUnit …), if any
	Segments []Segment         // the <segment>s; <ignorable>s are dropped
}

// Segment is one <segment> of a Unit.
type Segment struct {
	ID    string
	State State // StateInitial when the attribute is absent
	Line  int   // 1-based line of the <segment> element
	// Source and Target are the inline content of <source> and
	// <target>; HasTarget is false when the segment has no <target>.
	Source, Target []Inline
	HasTarget      bool
	// TargetLine is the 1-based line of the <target> element.
	TargetLine int
}

// InlineKind says what an Inline is.
type InlineKind uint8

// The kinds of inline content.
const (
	Text        InlineKind = iota // character data (with <cp> decoded)
	Placeholder                   // <ph/>
	Start                         // the start of <pc>, or <sc/>
	End                           // the end of <pc>, or <ec/>
)

// Inline is one piece of a source or target: a run of text or one code.
// Annotations (<mrk>, <sm/>, <em/>) are transparent: their content is kept,
// their markup dropped.
type Inline struct {
	Kind InlineKind
	// ID is the code's id; for an End, the id of the code it ends (the
	// <pc>'s id, or the <ec>'s startRef, or its own id when isolated).
	ID   string
	Text string // the characters of a Text
}

// maxDepth bounds the nesting of groups and of inline codes a document
// may have.
const maxDepth = 200

// Parse reads an XLIFF 2.x document (UTF-8, UTF-16 with a byte-order mark,
// or a declared IANA encoding). name is used in errors. It accepts what
// CAT tools plausibly write back: attributes in any order, other
// namespaces and prefixes, re-indentation, <group>s, dropped
// <originalData> and metadata, <pc> turned into <sc/>…<ec/>, annotations.
// A document that is not well-formed, not XLIFF 2 ([ErrVersion] for 1.x)
// or that has no <file> fails with a [*ParseError].
func Parse(name string, r io.Reader) (*Document, error) {
	d, err := xmltext.NewDecoder(r)
	if err != nil {
		return nil, &ParseError{Name: name, Line: 1, Column: 1, Err: err}
	}
	p := &parser{name: name, d: d}
	doc, err := p.document()
	if err != nil {
		return nil, err
	}
	return doc, nil
}

type parser struct {
	name      string
	d         *xml.Decoder
	line, col int // where the token last read starts
}

// token reads the next token, remembering where it started.
func (p *parser) token() (xml.Token, error) {
	p.line, p.col = p.d.InputPos()
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, p.errorf("unexpected end of document")
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			_, col := p.d.InputPos()
			return nil, &ParseError{Name: p.name, Line: se.Line, Column: col, Err: errors.New(se.Msg)}
		}
		return nil, p.errorf("%v", err)
	}
	return tok, nil
}

func (p *parser) errorf(format string, args ...any) error {
	return &ParseError{Name: p.name, Line: p.line, Column: p.col, Err: fmt.Errorf(format, args...)}
}

// skip consumes the rest of the element whose start was just read.
func (p *parser) skip() error { return xmltext.Skip(p.token) }

// text returns the character data of the element whose start was just
// read, ignoring nested elements.
func (p *parser) text() (string, error) { return xmltext.Text(p.token) }

// isCore reports whether n is an element of the XLIFF 2 core (any 2.x).
func isCore(n xml.Name, local string) bool {
	return n.Local == local && strings.HasPrefix(n.Space, "urn:oasis:names:tc:xliff:document:2.")
}

func isMeta(n xml.Name, local string) bool {
	return n.Local == local && n.Space == NSMetadata
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == se.Name.Space) {
			return a.Value, true
		}
	}
	return "", false
}

func (p *parser) document() (*Document, error) {
	var root xml.StartElement
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	version, _ := attr(root, "version")
	switch {
	case root.Name.Local != "xliff":
		return nil, p.errorf("root element is <%s>, want <xliff>", root.Name.Local)
	case strings.HasPrefix(root.Name.Space, "urn:oasis:names:tc:xliff:document:1.") || strings.HasPrefix(version, "1."):
		return nil, &ParseError{Name: p.name, Line: p.line, Column: p.col,
			Err: fmt.Errorf("%w: XLIFF %s; diglot reads XLIFF 2.0 and 2.1 (have the tool write XLIFF 2)", ErrVersion, version)}
	case !strings.HasPrefix(root.Name.Space, "urn:oasis:names:tc:xliff:document:2."):
		return nil, p.errorf("<xliff> is not in the XLIFF 2 namespace (%q)", root.Name.Space)
	}
	doc := &Document{Version: version}
	doc.SrcLang, _ = attr(root, "srcLang")
	doc.TrgLang, _ = attr(root, "trgLang")
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if isCore(t.Name, "file") {
				f, err := p.file(t)
				if err != nil {
					return nil, err
				}
				f.SrcLang, f.TrgLang = doc.SrcLang, doc.TrgLang
				doc.Files = append(doc.Files, f)
			} else if err := p.skip(); err != nil {
				return nil, err
			}
		case xml.EndElement:
			if len(doc.Files) == 0 {
				return nil, p.errorf("<xliff> has no <file>")
			}
			return doc, nil
		}
	}
}

func (p *parser) file(start xml.StartElement) (File, error) {
	f := File{Line: p.line}
	f.ID, _ = attr(start, "id")
	f.Original, _ = attr(start, "original")
	return f, p.container(&f.Units, &f.Meta, 0)
}

// container reads the content of a <file> or <group>: units, nested
// groups and the file's metadata.
func (p *parser) container(units *[]Unit, meta *map[string]string, depth int) error {
	if depth > maxDepth {
		return p.errorf("groups nested deeper than %d", maxDepth)
	}
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case isCore(t.Name, "unit"):
				u, err := p.unit(t)
				if err != nil {
					return err
				}
				*units = append(*units, u)
			case isCore(t.Name, "group"):
				var ignored map[string]string
				err = p.container(units, &ignored, depth+1)
			case isMeta(t.Name, "metadata") && meta != nil:
				err = p.metadata(meta)
			default:
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

// metadata reads an mda:metadata element, keeping the meta of diglot's
// metaGroup.
func (p *parser) metadata(meta *map[string]string) error {
	var ours []bool // per open metaGroup: is it diglot's
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case isMeta(t.Name, "metaGroup"):
				cat, _ := attr(t, "category")
				ours = append(ours, cat == MetaGroup || len(ours) > 0 && ours[len(ours)-1])
			case isMeta(t.Name, "meta") && len(ours) > 0 && ours[len(ours)-1]:
				typ, _ := attr(t, "type")
				v, err := p.text()
				if err != nil {
					return err
				}
				depth--
				if *meta == nil {
					*meta = map[string]string{}
				}
				if _, dup := (*meta)[typ]; !dup {
					(*meta)[typ] = v
				}
			}
		case xml.EndElement:
			depth--
			if isMeta(t.Name, "metaGroup") && len(ours) > 0 {
				ours = ours[:len(ours)-1]
			}
		}
	}
	return nil
}

func (p *parser) unit(start xml.StartElement) (Unit, error) {
	u := Unit{Line: p.line}
	u.ID, _ = attr(start, "id")
	u.Name, _ = attr(start, "name")
	for {
		tok, err := p.token()
		if err != nil {
			return u, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case isCore(t.Name, "segment"):
				s, err := p.segment(t)
				if err != nil {
					return u, err
				}
				u.Segments = append(u.Segments, s)
			case isMeta(t.Name, "metadata"):
				err = p.metadata(&u.Meta)
			default:
				err = p.skip()
			}
			if err != nil {
				return u, err
			}
		case xml.EndElement:
			return u, nil
		}
	}
}

func (p *parser) segment(start xml.StartElement) (Segment, error) {
	s := Segment{Line: p.line, State: StateInitial}
	s.ID, _ = attr(start, "id")
	if v, ok := attr(start, "state"); ok {
		s.State = State(v)
	}
	switch s.State {
	case StateInitial, StateTranslated, StateReviewed, StateFinal:
	default:
		return s, p.errorf("segment state %q is none of initial, translated, reviewed, final", s.State)
	}
	sawSource := false
	for {
		tok, err := p.token()
		if err != nil {
			return s, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case isCore(t.Name, "source") && !sawSource:
				sawSource = true
				s.Source, err = p.content()
			case isCore(t.Name, "target") && !s.HasTarget:
				s.HasTarget, s.TargetLine = true, p.line
				s.Target, err = p.content()
			default:
				err = p.skip()
			}
			if err != nil {
				return s, err
			}
		case xml.EndElement:
			if !sawSource {
				return s, p.errorf("<segment> has no <source>")
			}
			return s, nil
		}
	}
}

// content reads the inline content of a <source> or <target>.
func (p *parser) content() ([]Inline, error) {
	var in []Inline
	addText := func(s string) {
		if n := len(in); n > 0 && in[n-1].Kind == Text {
			in[n-1].Text += s
			return
		}
		in = append(in, Inline{Kind: Text, Text: s})
	}
	// open holds, per element open inside the content, the id of the
	// <pc> it is, or "" for a transparent one (<mrk>, unknown).
	var open []*string
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			addText(string(t))
		case xml.EndElement:
			if len(open) == 0 {
				return in, nil
			}
			if id := open[len(open)-1]; id != nil {
				in = append(in, Inline{Kind: End, ID: *id})
			}
			open = open[:len(open)-1]
		case xml.StartElement:
			if len(open) >= maxDepth {
				return nil, p.errorf("inline content nested deeper than %d", maxDepth)
			}
			id, _ := attr(t, "id")
			core := strings.HasPrefix(t.Name.Space, "urn:oasis:names:tc:xliff:document:2.")
			switch {
			case core && t.Name.Local == "ph":
				in = append(in, Inline{Kind: Placeholder, ID: id})
				err = p.skip()
			case core && t.Name.Local == "sc":
				in = append(in, Inline{Kind: Start, ID: id})
				err = p.skip()
			case core && t.Name.Local == "ec":
				if ref, ok := attr(t, "startRef"); ok {
					id = ref
				}
				in = append(in, Inline{Kind: End, ID: id})
				err = p.skip()
			case core && t.Name.Local == "cp":
				hex, _ := attr(t, "hex")
				c, perr := strconv.ParseUint(hex, 16, 32)
				if perr != nil || c > utf8.MaxRune || c >= 0xD800 && c <= 0xDFFF {
					return nil, p.errorf("<cp hex=%q> is not a code point", hex)
				}
				addText(string(rune(c)))
				err = p.skip()
			case core && t.Name.Local == "pc":
				in = append(in, Inline{Kind: Start, ID: id})
				open = append(open, &id)
			case core && (t.Name.Local == "sm" || t.Name.Local == "em"):
				err = p.skip()
			default:
				// <mrk> (terms, comments) and anything a tool added:
				// keep the content, drop the markup.
				open = append(open, nil)
			}
			if err != nil {
				return nil, err
			}
		}
	}
}
