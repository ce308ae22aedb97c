// Package xmltext holds what diglot's XML readers and writers (XLIFF, TMX)
// share: a decoder that takes the encodings CAT tools write, two walks over
// an element, and escaping. Each reader passes its own token function,
// which keeps its positions for error messages.
package xmltext

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// NewDecoder returns an XML decoder of r that reads UTF-16 (recognised by
// its byte-order mark, as Trados writes it) and the encodings a document
// may declare, and drops a UTF-8 byte-order mark.
func NewDecoder(r io.Reader) (*xml.Decoder, error) {
	in, err := decodeBOM(r)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(in)
	d.CharsetReader = charsetReader
	return d, nil
}

// decodeBOM turns UTF-16 input (recognised by its byte-order mark) into
// UTF-8 and drops a UTF-8 byte-order mark.
func decodeBOM(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), nil
	}
	return br, nil
}

// charsetReader decodes a declared non-UTF-8 encoding; UTF-16 input was
// already transcoded by decodeBOM, so its declaration is taken as read.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	l := strings.ToLower(label)
	if strings.HasPrefix(l, "utf-16") || l == "unicode" {
		return in, nil
	}
	enc, err := ianaindex.IANA.Encoding(label)
	if err != nil || enc == nil {
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	return enc.NewDecoder().Reader(in), nil
}

// Skip consumes, with next, the rest of the element whose start was just
// read.
func Skip(next func() (xml.Token, error)) error {
	for depth := 1; depth > 0; {
		tok, err := next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// Text returns the character data of the element whose start was just
// read, consuming it with next, and ignoring nested elements.
func Text(next func() (xml.Token, error)) (string, error) {
	var b strings.Builder
	for depth := 1; depth > 0; {
		tok, err := next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 1 {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// EscapeRune writes r to b as XML character data, or as an attribute
// value when attr is set (where quotes, tabs and line ends are references).
// A carriage return is always &#xD;, which XML's line-end normalisation
// keeps.
func EscapeRune(b *strings.Builder, r rune, attr bool) {
	switch r {
	case '&':
		b.WriteString("&amp;")
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '"':
		if attr {
			b.WriteString("&quot;")
		} else {
			b.WriteByte('"')
		}
	case '\r':
		b.WriteString("&#xD;")
	case '\n', '\t':
		if attr {
			fmt.Fprintf(b, "&#x%X;", r)
		} else {
			b.WriteRune(r)
		}
	default:
		b.WriteRune(r)
	}
}

// IsChar reports whether r is a Char of XML 1.0.
func IsChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
