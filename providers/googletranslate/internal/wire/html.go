// Package wire is what the two Google Cloud Translation engines share: the
// HTML form segments travel in, the batch that carries them, the
// classification of the client libraries' errors, Google's language codes
// and the usage meter. See package googletranslate for the encoding.
package wire

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/diglot/diglot/tags"
)

// ErrReply is the sentinel every decoding failure wraps.
var ErrReply = errors.New("googletranslate: bad html in reply")

// textEscaper escapes what HTML text content needs: & and <, and \r, which
// an HTML tokenizer would fold into \n. Quotes and > are not special in
// text, and escaping them would only add billed characters (Markdown text
// is full of >).
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", "\r", "&#13;")

// Encode renders neutral text as the HTML Google receives: text escaped,
// a standalone tag <xN/> as an empty protected span, a paired tag
// <gN>…</gN> as a translatable span. When the tags are not well nested
// (a piece of a split segment), every tag is sent as its own protected
// empty span (id gN for an opening tag, eN for a closing one) so the HTML
// stays well formed.
func Encode(s string) string {
	toks := tags.Parse(s)
	nested := tags.Check(s, s) == nil
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, t := range toks {
		switch t.Kind {
		case tags.Text:
			textEscaper.WriteString(&b, t.Text)
		case tags.Standalone:
			protected(&b, "x", t.ID)
		case tags.Open:
			if !nested {
				protected(&b, "g", t.ID)
				continue
			}
			b.WriteString(span([]html.Attribute{{Key: "id", Val: "g" + strconv.Itoa(t.ID)}}).String())
		case tags.Close:
			if !nested {
				protected(&b, "e", t.ID)
				continue
			}
			b.WriteString(html.Token{Type: html.EndTagToken, Data: "span"}.String())
		}
	}
	return b.String()
}

func span(attrs []html.Attribute) html.Token {
	return html.Token{Type: html.StartTagToken, Data: "span", Attr: attrs}
}

// protected writes an empty span Google leaves alone (translate="no").
func protected(b *strings.Builder, kind string, id int) {
	b.WriteString(span([]html.Attribute{{Key: "translate", Val: "no"}, {Key: "id", Val: kind + strconv.Itoa(id)}}).String())
	b.WriteString("</span>")
}

// Decode turns a reply back into neutral text, reading it with
// golang.org/x/net/html's tokenizer: entities are unescaped, spans become
// tags, attributes are matched in any order and case, and attributes
// Google adds (a style for right-to-left targets) are ignored. It fails on
// markup it did not send: another element, a span without a known id, a
// closing tag with nothing open, a comment. Whether the tags match the
// source is checked afterwards by tags.Check.
func Decode(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	// open holds, for each span still open, the neutral closing tag it
	// stands for ("" for a protected span, which closes silently).
	// Text Google put inside a protected span, if it ever does, is kept.
	var open []string
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return "", fmt.Errorf("%w: %v", ErrReply, err)
			}
			if len(open) > 0 {
				return "", fmt.Errorf("%w: %d span(s) left open", ErrReply, len(open))
			}
			return b.String(), nil
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "span" {
				return "", fmt.Errorf("%w: unexpected element <%s>", ErrReply, tok.Data)
			}
			tag, closer, err := spanTag(tok)
			if err != nil {
				return "", err
			}
			b.WriteString(tag)
			if tt == html.StartTagToken {
				open = append(open, closer)
			}
		case html.EndTagToken:
			tok := z.Token()
			if tok.Data != "span" {
				return "", fmt.Errorf("%w: unexpected element </%s>", ErrReply, tok.Data)
			}
			if len(open) == 0 {
				return "", fmt.Errorf("%w: </span> with no open span", ErrReply)
			}
			b.WriteString(open[len(open)-1])
			open = open[:len(open)-1]
		default: // comments and doctypes are never sent
			return "", fmt.Errorf("%w: unexpected %v", ErrReply, tt)
		}
	}
}

// spanTag returns the neutral tag a span opens with and the text its
// closing </span> stands for.
func spanTag(tok html.Token) (tag, closer string, err error) {
	var id, translate string
	for _, a := range tok.Attr {
		switch a.Key {
		case "id":
			id = a.Val
		case "translate":
			translate = a.Val
		}
	}
	if len(id) < 2 {
		return "", "", fmt.Errorf("%w: span without a tag id", ErrReply)
	}
	n, convErr := strconv.Atoi(id[1:])
	if convErr != nil || n <= 0 || id[1] == '0' || id[1] == '+' {
		return "", "", fmt.Errorf("%w: span id %q", ErrReply, id)
	}
	if strings.EqualFold(translate, "no") {
		switch id[0] {
		case 'x':
			return tags.X(n), "", nil
		case 'g':
			return tags.G(n), "", nil
		case 'e':
			return tags.EndG(n), "", nil
		}
		return "", "", fmt.Errorf("%w: span id %q", ErrReply, id)
	}
	if id[0] != 'g' {
		return "", "", fmt.Errorf("%w: span id %q", ErrReply, id)
	}
	return tags.G(n), tags.EndG(n), nil
}
