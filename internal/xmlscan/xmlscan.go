// Package xmlscan holds the two walks over an XML element that diglot's
// streaming readers (XLIFF, TMX) share. Each reader passes its own token
// function, which keeps its positions for error messages.
package xmlscan

import (
	"encoding/xml"
	"strings"
)

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
