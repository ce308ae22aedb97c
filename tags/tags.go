package tags

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind says what a [Token] is.
type Kind uint8

// The kinds of token in neutral text.
const (
	Text       Kind = iota // plain translatable text
	Standalone             // <xN/>
	Open                   // <gN>
	Close                  // </gN>
)

func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Standalone:
		return "standalone"
	case Open:
		return "open"
	case Close:
		return "close"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one piece of neutral text: a run of plain text or one tag.
type Token struct {
	Kind Kind
	ID   int    // the tag number; 0 for Text
	Text string // the exact bytes of the token in the neutral text
}

// X returns the standalone tag with number id, e.g. "<x3/>".
func X(id int) string { return "<x" + strconv.Itoa(id) + "/>" }

// G returns the opening tag with number id, e.g. "<g3>".
func G(id int) string { return "<g" + strconv.Itoa(id) + ">" }

// EndG returns the closing tag with number id, e.g. "</g3>".
func EndG(id int) string { return "</g" + strconv.Itoa(id) + ">" }

// Parse splits neutral text into tokens. It never fails: anything that is
// not exactly a tag is text. Adjacent text is returned as one token.
func Parse(s string) []Token {
	var toks []Token
	textStart := 0
	for i := 0; i < len(s); {
		if s[i] != '<' {
			i++
			continue
		}
		kind, id, n := match(s[i:])
		if n == 0 {
			i++
			continue
		}
		if textStart < i {
			toks = append(toks, Token{Kind: Text, Text: s[textStart:i]})
		}
		toks = append(toks, Token{Kind: kind, ID: id, Text: s[i : i+n]})
		i += n
		textStart = i
	}
	if textStart < len(s) {
		toks = append(toks, Token{Kind: Text, Text: s[textStart:]})
	}
	return toks
}

// Match reports whether s starts with a tag and, if so, its kind, number and
// length in bytes. It returns n == 0 when s does not start with a tag.
func Match(s string) (kind Kind, id, n int) { return match(s) }

// match recognises exactly <xN/>, <gN> and </gN> with N a decimal number
// without leading zeros.
func match(s string) (Kind, int, int) {
	if len(s) < 4 || s[0] != '<' {
		return Text, 0, 0
	}
	i := 1
	closing := false
	if s[i] == '/' {
		closing = true
		i++
	}
	if i >= len(s) {
		return Text, 0, 0
	}
	letter := s[i]
	if letter != 'x' && letter != 'g' || closing && letter != 'g' {
		return Text, 0, 0
	}
	i++
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start || i-start > 6 || s[start] == '0' {
		return Text, 0, 0
	}
	id, _ := strconv.Atoi(s[start:i])
	switch {
	case letter == 'x' && strings.HasPrefix(s[i:], "/>"):
		return Standalone, id, i + 2
	case letter == 'g' && i < len(s) && s[i] == '>':
		if closing {
			return Close, id, i + 1
		}
		return Open, id, i + 1
	}
	return Text, 0, 0
}

// Strip returns s with every tag removed: the translatable text alone.
func Strip(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for _, t := range Parse(s) {
		if t.Kind == Text {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// Has reports whether s contains at least one tag.
func Has(s string) bool {
	for _, t := range Parse(s) {
		if t.Kind != Text {
			return true
		}
	}
	return false
}

// ErrMismatch is the sentinel that every [*Error] matches with errors.Is.
var ErrMismatch = errors.New("tags: mismatch")

// Error describes how a translation's tags differ from its source's.
type Error struct {
	Missing  []string // tags of the source absent from the target
	Extra    []string // tags in the target that the source lacks
	Repeated []string // tags that occur more than once in the target
	Nesting  string   // the first tag that breaks nesting, if any
}

func (e *Error) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, "missing "+strings.Join(e.Missing, " "))
	}
	if len(e.Extra) > 0 {
		parts = append(parts, "invented "+strings.Join(e.Extra, " "))
	}
	if len(e.Repeated) > 0 {
		parts = append(parts, "repeated "+strings.Join(e.Repeated, " "))
	}
	if e.Nesting != "" {
		parts = append(parts, "badly nested at "+e.Nesting)
	}
	return "tags: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrMismatch) true for every *Error.
func (e *Error) Is(target error) bool { return target == ErrMismatch }

// Check verifies that target carries every tag of source exactly once, no
// other tag, and that paired tags are well nested. Tags may be reordered: a
// translation may move a link within its sentence. It returns nil or an
// [*Error].
func Check(source, target string) error {
	want := map[string]int{}
	for _, t := range Parse(source) {
		if t.Kind != Text {
			want[t.Text]++
		}
	}
	got := map[string]int{}
	e := &Error{}
	var stack []int
	for _, t := range Parse(target) {
		if t.Kind == Text {
			continue
		}
		got[t.Text]++
		if got[t.Text] == 2 {
			e.Repeated = append(e.Repeated, t.Text)
		}
		if want[t.Text] == 0 {
			e.Extra = append(e.Extra, t.Text)
			continue
		}
		switch t.Kind {
		case Open:
			stack = append(stack, t.ID)
		case Close:
			if len(stack) == 0 || stack[len(stack)-1] != t.ID {
				if e.Nesting == "" {
					e.Nesting = t.Text
				}
				continue
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 && e.Nesting == "" {
		e.Nesting = G(stack[len(stack)-1])
	}
	for _, t := range Parse(source) {
		if t.Kind != Text && got[t.Text] == 0 {
			e.Missing = append(e.Missing, t.Text)
		}
	}
	if len(e.Missing)+len(e.Extra)+len(e.Repeated) == 0 && e.Nesting == "" {
		return nil
	}
	return e
}

// Renumber rewrites the tags of s through mapping (old number to new). Tags
// whose number is not in mapping are left as they are.
func Renumber(s string, mapping map[int]int) string {
	var b strings.Builder
	for _, t := range Parse(s) {
		nid, ok := mapping[t.ID]
		if t.Kind == Text || !ok {
			b.WriteString(t.Text)
			continue
		}
		switch t.Kind {
		case Standalone:
			b.WriteString(X(nid))
		case Open:
			b.WriteString(G(nid))
		case Close:
			b.WriteString(EndG(nid))
		}
	}
	return b.String()
}

// Describe returns a short human description of a tag token for messages.
func Describe(t Token) string { return fmt.Sprintf("%s tag %d", t.Kind, t.ID) }

// Plain returns the translatable text of s for checks that read words:
// paired tags are dropped (they wrap text that reads on) and each
// standalone tag becomes a space, so that what it protected (a URL, code)
// never joins the words around it.
func Plain(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for _, t := range Parse(s) {
		switch t.Kind {
		case Text:
			b.WriteString(t.Text)
		case Standalone:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// Words is like [Plain] but turns every tag into a space, paired ones too:
// for checks that need word boundaries, where the end of one link and the
// start of the next ("[a](x)[b](y)") separate words.
func Words(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for _, t := range Parse(s) {
		if t.Kind == Text {
			b.WriteString(t.Text)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
