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
// exact bytes, and returns like's text in seg's numbering. It fails with
// ErrTags when a tag of either has no counterpart, with two exceptions
// that let a reviewer rewrite what a reader sees:
//
//   - Wiki spans and link titles are optional. A wiki span of seg that
//     like lacks (deleted, or unwrapped to its label) is simply absent
//     from the result; a wiki span of like that seg lacks (rewritten to
//     another target) becomes text, its bytes as they are. A paired wiki
//     span matches by its target, whatever its label.
//   - A link or image matches whatever its title; like's title, if the
//     source had one, is the title tag's text.
func AlignTags(seg, like Segment) (string, error) {
	used := make([]bool, len(seg.Tags))
	mapping := make(map[int]int, len(like.Tags))
	// The source's tags by a key that sameSpan's matches agree with, so a
	// paragraph with thousands of tags is aligned in linear time.
	byKey := make(map[string][]int, len(seg.Tags))
	for i := range seg.Tags {
		k := alignKey(&seg.Tags[i])
		byKey[k] = append(byKey[k], i)
	}
	for _, lt := range like.Tags {
		if lt.Kind == TitleTag {
			continue // placed with its link, below
		}
		found := false
		for _, k := range []string{alignKey(&lt), imageKey(&lt)} {
			if k == "" {
				continue
			}
			cands := byKey[k]
			for len(cands) > 0 && used[cands[0]] {
				cands = cands[1:]
			}
			byKey[k] = cands
			for _, i := range cands {
				if !used[i] && sameSpan(&seg.Tags[i], &lt) {
					used[i], found = true, true
					mapping[lt.ID] = seg.Tags[i].ID
					break
				}
			}
			if found {
				break
			}
		}
		if !found && lt.Kind != WikiTag {
			return "", fmt.Errorf("%w: tag %s has no counterpart in the source", ErrTags, describeTag(lt))
		}
	}
	for _, lt := range like.Tags {
		if lt.Kind != TitleTag {
			continue
		}
		owner, ok := mapping[lt.owner]
		st := seg.titleOf(owner)
		if !ok || st == nil {
			return "", fmt.Errorf("%w: tag %s: the source link has no title", ErrTags, describeTag(lt))
		}
		used[st.ID-1] = true
		mapping[lt.ID] = st.ID
	}
	for i, u := range used {
		if !u && !seg.Tags[i].Optional() {
			return "", fmt.Errorf("%w: source tag %s is missing", ErrTags, describeTag(seg.Tags[i]))
		}
	}
	var b strings.Builder
	b.Grow(len(like.Text))
	for _, t := range tags.Parse(like.Text) {
		id, ok := mapping[t.ID]
		switch {
		case t.Kind == tags.Text:
			b.WriteString(t.Text)
		case !ok && t.ID >= 1 && t.ID <= len(like.Tags):
			// A wiki span without a counterpart: its bytes become text.
			lt := like.Tags[t.ID-1]
			if t.Kind == tags.Close {
				b.WriteString(lt.Close)
			} else {
				b.WriteString(lt.Open)
			}
		case !ok:
			b.WriteString(t.Text)
		case t.Kind == tags.Standalone && seg.Tags[id-1].Paired:
			b.WriteString(tags.G(id) + tags.EndG(id)) // an image whose alt text was emptied
		case t.Kind == tags.Standalone:
			b.WriteString(tags.X(id))
		case t.Kind == tags.Open:
			b.WriteString(tags.G(id))
		default:
			b.WriteString(tags.EndG(id))
		}
	}
	return b.String(), nil
}

// sameSpan reports whether tag l of an edited target stands for tag s of
// its source: the same kind and bytes, except that a paired wiki span
// matches by target, an image by all but its alt text, and a link or
// image by all but its title.
func sameSpan(s, l *Tag) bool {
	switch {
	case s.Kind != l.Kind:
		return false
	case s.Kind == WikiTag && s.Paired && l.Paired:
		return s.Dest == l.Dest
	case s.Kind == ImageTag && s.Paired != l.Paired:
		// An image whose alt text was emptied: the destination decides.
		return !l.Paired && l.Dest == s.Dest
	case s.Paired != l.Paired || s.Open != l.Open:
		return false
	case s.cut[1] > 0 || l.cut[1] > 0:
		return s.closeKey() == l.closeKey()
	}
	return s.Close == l.Close
}

// alignKey groups tags that sameSpan may match: the kind, and the bytes
// that must be equal.
func alignKey(t *Tag) string {
	switch {
	case t.Kind == WikiTag && t.Paired:
		return "w\x00" + t.Dest
	case t.Kind == ImageTag && t.Paired:
		return "i\x00" + t.Dest
	}
	return string(rune('a'+t.Kind)) + "\x00" + t.Open + "\x00" + t.closeKey()
}

// imageKey is the key under which a standalone image of a target finds a
// source image whose alt text it emptied ("" for other tags).
func imageKey(t *Tag) string {
	if t.Kind != ImageTag || t.Paired {
		return ""
	}
	return "i\x00" + t.Dest
}

// closeKey returns a link's or image's closing bytes without its title.
func (t *Tag) closeKey() string {
	if t.cut[1] == 0 {
		return t.Close
	}
	return t.Close[:t.cut[0]] + t.Close[t.cut[1]:]
}

// titleOf returns the title tag of link or image tag id, or nil.
func (s *Segment) titleOf(id int) *Tag {
	for k := id; k < len(s.Tags); k++ {
		if s.Tags[k].Kind == TitleTag && s.Tags[k].owner == id {
			return &s.Tags[k]
		}
	}
	return nil
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
