package markdown

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/diglot/diglot/tags"
)

// AlignTags renumbers the tags of like (a segment parsed from an edited
// target) to the numbers of the same spans in seg, matching by kind and
// exact bytes, and returns like's text in seg's numbering. It fails when a
// tag of either has no counterpart.
func AlignTags(seg, like Segment) (string, error) {
	used := make([]bool, len(seg.Tags))
	mapping := make(map[int]int, len(like.Tags))
	for _, lt := range like.Tags {
		found := false
		for i, st := range seg.Tags {
			if !used[i] && st.Kind == lt.Kind && st.Paired == lt.Paired && st.Open == lt.Open && st.Close == lt.Close {
				used[i], found = true, true
				mapping[lt.ID] = st.ID
				break
			}
		}
		if !found {
			return "", fmt.Errorf("%w: tag %s has no counterpart in the source", ErrTags, describeTag(lt))
		}
	}
	for i, u := range used {
		if !u {
			return "", fmt.Errorf("%w: source tag %s is missing", ErrTags, describeTag(seg.Tags[i]))
		}
	}
	return tags.Renumber(like.Text, mapping), nil
}

func describeTag(t Tag) string {
	if t.Paired {
		return fmt.Sprintf("%d %q…%q", t.ID, t.Open, t.Close)
	}
	return fmt.Sprintf("%d %q", t.ID, t.Open)
}

// Normalize returns the form of a segment text used for identity: Unicode
// NFC, runs of white space (including line breaks) folded to one space,
// trimmed.
func Normalize(text string) string {
	text = norm.NFC.String(text)
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
