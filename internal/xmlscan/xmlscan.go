// Package xmlscan holds what diglot's streaming XML readers (XLIFF, TMX)
// share: a decoder that takes the encodings CAT tools write, and two walks
// over an element. Each reader passes its own token function, which keeps
// its positions for error messages.
package xmlscan

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
