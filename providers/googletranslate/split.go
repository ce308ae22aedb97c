package googletranslate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/tags"
)

// splitSegment cuts s into pieces whose size (as measured by size) is at
// most limit, at sentence boundaries where it can: first only outside
// paired tags, then anywhere outside a tag, and as a last resort at any
// character boundary in text. Concatenating the pieces gives s back. A
// piece is never cut inside a tag.
func splitSegment(s string, limit int, size func(string) int) []string {
	if size(s) <= limit {
		return []string{s}
	}
	for _, level := range []int{cutSentenceTop, cutSentence, cutClause, cutAnywhere} {
		cuts := cutPoints(s, level)
		if pieces, ok := pack(s, cuts, limit, size); ok {
			return pieces
		}
	}
	// Every rune boundary was a candidate, so a single rune (or tag) is
	// over the limit: nothing smaller can be sent. Send it whole and let
	// the service say what it thinks.
	return []string{s}
}

// The levels of cut, from most to least preferred.
const (
	cutSentenceTop = iota // sentence ends outside paired tags
	cutSentence           // sentence ends at any depth
	cutClause             // also commas and other clause breaks
	cutAnywhere           // every rune boundary in text
)

// cutPoints returns byte offsets in s (strictly inside it) where a piece may
// end, for the given level.
func cutPoints(s string, level int) []int {
	var cuts []int
	depth := 0
	off := 0
	for _, t := range tags.Parse(s) {
		switch t.Kind {
		case tags.Open:
			depth++
		case tags.Close:
			depth--
		case tags.Text:
			if level == cutSentenceTop && depth > 0 {
				break
			}
			txt := t.Text
			for i, r := range txt {
				end := i + utf8.RuneLen(r)
				ok := false
				switch level {
				case cutAnywhere:
					ok = true
				case cutClause:
					ok = isSentenceEnd(txt, i, r) || strings.ContainsRune("，、：,:", r) || unicode.IsSpace(r)
				default:
					ok = isSentenceEnd(txt, i, r)
				}
				if !ok {
					continue
				}
				// Keep closing quotes and brackets, and the space after
				// Latin punctuation, with the sentence they end.
				for end < len(txt) {
					nr, n := utf8.DecodeRuneInString(txt[end:])
					if !strings.ContainsRune("”’」』）)]\"' ", nr) {
						break
					}
					end += n
				}
				if c := off + end; c > 0 && c < len(s) {
					cuts = append(cuts, c)
				}
			}
		}
		off += len(t.Text)
	}
	return cuts
}

// isSentenceEnd reports whether the rune r at byte i of txt ends a sentence:
// Chinese full stops always, Latin ones when a space follows.
func isSentenceEnd(txt string, i int, r rune) bool {
	switch r {
	case '。', '！', '？', '；':
		return true
	case '.', '!', '?':
		next := i + 1
		return next < len(txt) && (txt[next] == ' ' || txt[next] == '\n' || txt[next] == '\t')
	}
	return false
}

// pack groups s's text between cuts into pieces within limit, each piece
// as long as it can be. The farthest cut that fits is found by binary
// search, so a very long segment costs O(pieces · log cuts) size calls.
func pack(s string, cuts []int, limit int, size func(string) int) ([]string, bool) {
	ends := append(append([]int(nil), cuts...), len(s))
	var pieces []string
	start := 0
	lo := 0 // ends[lo:] are past start
	for start < len(s) {
		for lo < len(ends) && ends[lo] <= start {
			lo++
		}
		// Find the last k in [lo, len(ends)) with size(s[start:ends[k]]) <= limit.
		i, j := lo, len(ends)
		for i < j {
			m := int(uint(i+j) >> 1)
			if size(s[start:ends[m]]) <= limit {
				i = m + 1
			} else {
				j = m
			}
		}
		if i == lo {
			return nil, false
		}
		end := ends[i-1]
		pieces = append(pieces, s[start:end])
		start = end
	}
	return pieces, true
}

// joinPieces rejoins the translations of a split segment. Pieces cut after
// a Chinese full stop carry no space, so for a target written with spaces
// one is put back between pieces that lack it.
func joinPieces(parts []string, target language.Tag) string {
	if len(parts) == 1 {
		return parts[0]
	}
	spaced := !noSpaceScript(target)
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && spaced && p != "" && b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(p)
			if !unicode.IsSpace(prev) && !unicode.IsSpace(next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

// noSpaceScript reports whether the language writes without spaces between
// sentences.
func noSpaceScript(t language.Tag) bool {
	base, _ := t.Base()
	switch base.String() {
	case "zh", "ja", "th", "lo", "km", "my", "yue", "wuu", "bo":
		return true
	}
	return false
}

// trimSpace splits s into its leading space, its content and its trailing
// space, so the space can be put back around a translation: Google trims
// it.
func trimSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeftFunc(s, unicode.IsSpace)
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRightFunc(core, unicode.IsSpace)
	trail = core[len(trimmed):]
	return lead, trimmed, trail
}
