package tm

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// TagMarkup is the original markup that one neutral tag of an entry stands
// for: for a standalone tag (<xN/>) the whole span in Open ("![](a.png)",
// "`code`"), for a paired tag (<gN>…</gN>) its opening and closing bytes
// ("[", "](https://example.org)"). The pipeline fills it from the source
// segment's tags (markdown.Tag: ID, Open, Close), so that a TMX export
// shows CAT tools the real markup rather than diglot's tag numbers.
type TagMarkup struct {
	ID    int    `json:"id"`              // the tag number in Source and Target
	Open  string `json:"open"`            // the span, or the opening bytes of a paired tag
	Close string `json:"close,omitempty"` // the closing bytes of a paired tag
}

// maxTagID is the largest tag number of the neutral form (six digits).
const maxTagID = 999999

// checkMarkup validates the markup of an entry and returns it sorted by
// tag number, as every store returns it; an empty list becomes nil. The
// strings must be valid UTF-8 (they are bytes of a parsed document), so
// that the stores can keep them as JSON text.
func checkMarkup(m []TagMarkup) ([]TagMarkup, error) {
	if len(m) == 0 {
		return nil, nil
	}
	m = slices.Clone(m)
	slices.SortFunc(m, func(a, b TagMarkup) int { return a.ID - b.ID })
	for i, t := range m {
		if t.ID < 1 || t.ID > maxTagID {
			return nil, fmt.Errorf("markup of tag %d: tag numbers are 1 to %d", t.ID, maxTagID)
		}
		if i > 0 && m[i-1].ID == t.ID {
			return nil, fmt.Errorf("markup of tag %d given twice", t.ID)
		}
		if !utf8.ValidString(t.Open) || !utf8.ValidString(t.Close) {
			return nil, fmt.Errorf("markup of tag %d is not valid UTF-8", t.ID)
		}
	}
	return m, nil
}

// encodeMarkup returns the column value the SQL stores keep: a JSON array,
// or "" for none.
func encodeMarkup(m []TagMarkup) string {
	if len(m) == 0 {
		return ""
	}
	// Marshalling valid UTF-8 strings and ints cannot fail.
	b, _ := json.Marshal(m)
	return string(b)
}

// decodeMarkup reads a column value written by encodeMarkup.
func decodeMarkup(s string) ([]TagMarkup, error) {
	if s == "" {
		return nil, nil
	}
	var m []TagMarkup
	d := json.NewDecoder(strings.NewReader(s))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("tm: stored markup: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// markupOf returns the markup of tag id in m, and whether m has it.
func markupOf(m []TagMarkup, id int) (TagMarkup, bool) {
	for _, t := range m {
		if t.ID == id {
			return t, true
		}
	}
	return TagMarkup{}, false
}
