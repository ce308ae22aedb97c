package out

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/diglot/diglot/markdown"
)

// Version is the bilingual format version this package writes and reads.
const Version = 1

// The fixed parts of the comments the format uses.
const (
	headerPrefix   = "<!-- diglot v"
	unitPrefix     = "<!-- diglot:t "
	previousPrefix = "<!-- diglot:previous "
	commentSuffix  = " -->"
	cutPrefix      = "<!-- diglot" // any line starting so may end a target block
)

// Header is what the first comment of a bilingual file records.
type Header struct {
	Source string // source language (BCP 47), e.g. "zh"
	Target string // target language (BCP 47), e.g. "en"
	From   string // the source file the bilingual file was made from, slash-separated
	// Markdown holds the markdown options the header records (those that
	// differ from the defaults), or nil when it records none.
	Markdown *markdown.Options
}

// State is the review state of a unit.
type State string

// The states of a unit.
const (
	StateNew      State = "new"      // not translated yet
	StateMachine  State = "machine"  // translated by an engine, not reviewed
	StateReviewed State = "reviewed" // edited or approved by a reviewer
	StateStale    State = "stale"    // the source changed after review; the old target is kept as previous
	StateFailed   State = "failed"   // no valid translation: the source is kept in the target slot
)

// Valid reports whether s is one of the defined states.
func (s State) Valid() bool {
	switch s {
	case StateNew, StateMachine, StateReviewed, StateStale, StateFailed:
		return true
	}
	return false
}

// marker is the parsed form of a unit marker.
type marker struct {
	id      int
	src, mt string
	state   State
	by      string // the origin of the machine translation, engine:model
	flags   []string
}

// formatHeader returns the header comment, without line ending: the pair,
// the source file, then the markdown options that are not the defaults.
func formatHeader(h Header) (string, error) {
	opts, err := optionAttrs(h.Markdown)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(headerPrefix)
	b.WriteString(strconv.Itoa(Version))
	for _, kv := range append([][2]string{{"source", h.Source}, {"target", h.Target}, {"from", h.From}}, opts...) {
		if kv[1] == "" && kv[0] != attrFrontMatter {
			continue
		}
		b.WriteString(" " + kv[0] + "=" + quoteValue(kv[1]))
	}
	b.WriteString(commentSuffix)
	return b.String(), nil
}

// quoteValue writes v bare when it is a plain token, else as a Go quoted
// string in which '>' is escaped so that the value can never close the
// comment.
func quoteValue(v string) string {
	plain := v != ""
	for _, r := range v {
		if r <= ' ' || r == '"' || r == '\\' || r == '>' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			plain = false
			break
		}
	}
	if plain && !strings.Contains(v, "--") {
		return v
	}
	return strings.ReplaceAll(strconv.QuoteToASCII(v), ">", `\x3e`)
}

// parseAttrs splits `k=v k="quoted v" …` into pairs. It fails on anything
// else.
func parseAttrs(s string) ([][2]string, error) {
	var attrs [][2]string
	for s != "" {
		key, val, rest, err := nextAttr(s)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, [2]string{key, val})
		s = rest
	}
	return attrs, nil
}

// nextAttr parses the first `k=v` or `k="quoted v"` of s and returns the
// rest of s after the spaces that follow it. Markers are parsed with it
// attribute by attribute, so that reading one allocates nothing but its
// text.
func nextAttr(s string) (key, val, rest string, err error) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 || strings.ContainsAny(s[:eq], " \t\"") {
		return "", "", "", fmt.Errorf("bad attribute %q", s)
	}
	key = s[:eq]
	s = s[eq+1:]
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return "", "", "", fmt.Errorf("bad quoted value for %s", key)
		}
		val, _ = strconv.Unquote(q)
		s = s[len(q):]
	} else {
		end := strings.IndexByte(s, ' ')
		if end < 0 {
			end = len(s)
		}
		val, s = s[:end], s[end:]
	}
	if s != "" {
		if s[0] != ' ' {
			return "", "", "", fmt.Errorf("missing space after %s", key)
		}
		s = strings.TrimLeft(s, " ")
	}
	return key, val, s, nil
}

// lineContent returns line without its line ending and trailing spaces and
// tabs, which editors add or strip freely.
func lineContent(line []byte) string {
	return string(bytes.TrimRight(line, " \t\r\n"))
}

// parseHeader parses a header line. ok is false when the line is not a
// diglot header at all; err is set when it is one but cannot be read.
func parseHeader(line []byte) (h Header, ok bool, err error) {
	s := lineContent(line)
	if !strings.HasPrefix(s, headerPrefix) || !strings.HasSuffix(s, commentSuffix) || len(s) < len(headerPrefix)+len(commentSuffix) {
		return h, false, nil
	}
	body := s[len(headerPrefix) : len(s)-len(commentSuffix)]
	vers, rest, _ := strings.Cut(body, " ")
	v, verr := strconv.Atoi(vers)
	if verr != nil {
		return h, false, nil
	}
	if v != Version {
		return h, true, fmt.Errorf("%w: v%d", ErrVersion, v)
	}
	attrs, err := parseAttrs(strings.TrimLeft(rest, " "))
	if err != nil {
		return h, true, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	var opts markdown.Options
	for _, kv := range attrs {
		switch kv[0] {
		case "source":
			h.Source = kv[1]
		case "target":
			h.Target = kv[1]
		case "from":
			h.From = kv[1]
		default:
			ok, err := parseOption(&opts, kv[0], kv[1])
			if err != nil {
				return h, true, fmt.Errorf("%w: header: %v", ErrFormat, err)
			}
			if ok {
				h.Markdown = &opts
			}
		}
	}
	return h, true, nil
}

// validFlag reports whether f can be written in a flags attribute.
func validFlag(f string) bool {
	if f == "" {
		return false
	}
	for _, c := range []byte(f) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// formatMarker returns a unit marker, without line ending.
func formatMarker(m marker) string {
	return string(appendMarker(nil, m))
}

// appendMarker appends the unit marker of m, without line ending, to dst.
func appendMarker(dst []byte, m marker) []byte {
	dst = append(dst, unitPrefix+"id="...)
	dst = strconv.AppendInt(dst, int64(m.id), 10)
	dst = append(dst, " src="...)
	dst = append(dst, m.src...)
	dst = append(dst, " mt="...)
	dst = append(dst, m.mt...)
	dst = append(dst, " state="...)
	dst = append(dst, m.state...)
	if m.by != "" {
		dst = append(dst, " by="...)
		dst = append(dst, quoteValue(m.by)...)
	}
	for i, f := range m.flags {
		if i == 0 {
			dst = append(dst, " flags="...)
		} else {
			dst = append(dst, ',')
		}
		dst = append(dst, f...)
	}
	return append(dst, commentSuffix...)
}

// parseMarker parses a unit marker line. It returns false for anything that
// is not a well-formed marker; such a line is ordinary content.
func parseMarker(line []byte) (marker, bool) {
	var m marker
	b := bytes.TrimRight(line, " \t\r\n")
	if !bytes.HasPrefix(b, []byte(unitPrefix)) || !bytes.HasSuffix(b, []byte(commentSuffix)) || len(b) < len(unitPrefix)+len(commentSuffix) {
		return m, false
	}
	s := string(bytes.TrimSpace(b[len(unitPrefix) : len(b)-len(commentSuffix)]))
	for s != "" {
		key, val, rest, err := nextAttr(s)
		if err != nil {
			return m, false
		}
		s = rest
		switch key {
		case "id":
			n, ok := positiveInt(val)
			if !ok {
				return m, false
			}
			m.id = n
		case "src":
			m.src = val
		case "mt":
			m.mt = val
		case "state":
			m.state = State(val)
		case "by":
			m.by = val
		case "flags":
			for f := range strings.SplitSeq(val, ",") {
				if !validFlag(f) {
					return m, false
				}
				m.flags = append(m.flags, f)
			}
		}
	}
	if m.id == 0 || !isHash(m.src) || !isHash(m.mt) || m.state == "" {
		return m, false
	}
	return m, true
}

// isHash reports whether s has the form Hash returns.
func isHash(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// formatPrevious returns the marker that introduces a stale unit's previous
// target, without line ending.
func formatPrevious(id int) string {
	return previousPrefix + "id=" + strconv.Itoa(id) + commentSuffix
}

// parsePrevious returns the id of a previous-target marker line, or 0.
func parsePrevious(line []byte) int {
	if !bytes.HasPrefix(line, []byte(previousPrefix)) {
		return 0
	}
	s := lineContent(line)
	if !strings.HasPrefix(s, previousPrefix+"id=") || !strings.HasSuffix(s, commentSuffix) || len(s) < len(previousPrefix)+3+len(commentSuffix) {
		return 0
	}
	v := s[len(previousPrefix)+3 : len(s)-len(commentSuffix)]
	n, _ := positiveInt(v)
	return n
}

// positiveInt parses a positive decimal number written as strconv.Itoa
// writes it: no sign, no leading zero.
func positiveInt(s string) (int, bool) {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
