package googletranslate

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/diglot/diglot/tags"
)

// errReply is the sentinel every decoding failure wraps.
var errReply = errors.New("googletranslate: bad html in reply")

// textEscaper escapes what HTML text content needs: & and <. Quotes and >
// are not special in text, and escaping them would only add billed
// characters (Markdown text is full of >).
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;")

// encodeHTML renders neutral text as the HTML Google receives (see the
// package documentation for the encoding).
func encodeHTML(s string) string {
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
			b.WriteString(`<span id="g`)
			b.WriteString(strconv.Itoa(t.ID))
			b.WriteString(`">`)
		case tags.Close:
			if !nested {
				protected(&b, "e", t.ID)
				continue
			}
			b.WriteString("</span>")
		}
	}
	return b.String()
}

func protected(b *strings.Builder, kind string, id int) {
	b.WriteString(`<span translate="no" id="`)
	b.WriteString(kind)
	b.WriteString(strconv.Itoa(id))
	b.WriteString(`"></span>`)
}

// decodeHTML turns a reply back into neutral text. It fails on markup it
// did not send: an unknown element, a span without a known id, or a closing
// tag with nothing open. Whether the tags match the source is checked
// afterwards by tags.Check.
func decodeHTML(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	// open holds, for each span still open, the neutral closing tag it
	// stands for ("" for a protected span, which closes silently).
	// Text Google put inside a protected span, if it ever does, is kept.
	var open []string
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(html.UnescapeString(s[i:]))
			break
		}
		b.WriteString(html.UnescapeString(s[i : i+j]))
		i += j
		el, n := parseElement(s[i:])
		if n == 0 {
			// Not markup: a stray '<' Google left unescaped.
			b.WriteByte('<')
			i++
			continue
		}
		i += n
		switch {
		case el.name != "span":
			return "", fmt.Errorf("%w: unexpected element <%s>", errReply, el.name)
		case el.closing:
			if len(open) == 0 {
				return "", fmt.Errorf("%w: </span> with no open span", errReply)
			}
			b.WriteString(open[len(open)-1])
			open = open[:len(open)-1]
		default:
			tag, closer, err := spanTag(el)
			if err != nil {
				return "", err
			}
			b.WriteString(tag)
			if !el.selfClosing {
				open = append(open, closer)
			}
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("%w: %d span(s) left open", errReply, len(open))
	}
	return b.String(), nil
}

// spanTag returns the neutral tag a span opens with and the text its
// closing </span> stands for.
func spanTag(el element) (tag, closer string, err error) {
	id := el.attrs["id"]
	if len(id) < 2 {
		return "", "", fmt.Errorf("%w: span without a tag id", errReply)
	}
	n, convErr := strconv.Atoi(id[1:])
	if convErr != nil || n <= 0 || id[1] == '0' {
		return "", "", fmt.Errorf("%w: span id %q", errReply, id)
	}
	if strings.EqualFold(el.attrs["translate"], "no") {
		switch id[0] {
		case 'x':
			return tags.X(n), "", nil
		case 'g':
			return tags.G(n), "", nil
		case 'e':
			return tags.EndG(n), "", nil
		}
		return "", "", fmt.Errorf("%w: span id %q", errReply, id)
	}
	if id[0] != 'g' {
		return "", "", fmt.Errorf("%w: span id %q", errReply, id)
	}
	return tags.G(n), tags.EndG(n), nil
}

// element is one parsed start or end tag.
type element struct {
	name        string // lowercase
	closing     bool   // </name>
	selfClosing bool   // <name ... />
	attrs       map[string]string
}

// parseElement parses the tag at the start of s (which begins with '<')
// leniently, as HTML does: any attribute order, quoted or bare values,
// any case. It returns n == 0 when s does not start with a tag.
func parseElement(s string) (element, int) {
	var el element
	i := 1
	if i < len(s) && s[i] == '/' {
		el.closing = true
		i++
	}
	start := i
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	if i == start || !isLetter(s[start]) {
		return element{}, 0
	}
	el.name = strings.ToLower(s[start:i])
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return element{}, 0
		}
		switch {
		case s[i] == '>':
			return el, i + 1
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '>':
			el.selfClosing = true
			return el, i + 2
		}
		// An attribute name, then optionally = and a value.
		ns := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/' {
			i++
		}
		if i == ns {
			return element{}, 0
		}
		name := strings.ToLower(s[ns:i])
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		val := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return element{}, 0
			}
			if q := s[i]; q == '"' || q == '\'' {
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					return element{}, 0
				}
				val = s[i+1 : i+1+end]
				i += end + 2
			} else {
				vs := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				val = s[vs:i]
			}
		}
		if el.attrs == nil {
			el.attrs = map[string]string{}
		}
		el.attrs[name] = html.UnescapeString(val)
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNameByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '-' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
