package xliff

import (
	"strconv"
	"strings"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
)

// This file holds what export and import must agree on: the ids of units
// and of inline codes, and what diglot's marker says beyond out.Unit.

// unitIDs returns the XLIFF id of each unit of f: "u" and the hash of its
// source block, so that an id survives blocks added or removed elsewhere
// in the file; a later unit with the same source block gets "-2", "-3"….
func unitIDs(f *out.File) []string {
	ids := make([]string, len(f.Units))
	seen := map[string]int{}
	for i, u := range f.Units {
		id := "u" + u.Src
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		ids[i] = id
	}
	return ids
}

// code is one inline code of a unit: tag Tag of the unit's segment Seg
// (an index among the block's segments).
type code struct {
	Seg int
	Tag markdown.Tag
}

// unitCodes numbers the tags of a unit's segments for XLIFF, which wants
// inline ids unique in the unit: the tags of the first segment are 1…n,
// those of the next n+1…, in tag order. It returns the code of each id and
// the id of each (segment, tag number).
func unitCodes(f *out.File, u *out.Unit) (byID map[string]code, ids [][]string) {
	byID = map[string]code{}
	segs := f.Source.Blocks[u.Block].Segments
	ids = make([][]string, len(segs))
	n := 0
	for k, si := range segs {
		tg := f.Source.Segments[si].Tags
		ids[k] = make([]string, len(tg)+1)
		for _, t := range tg {
			n++
			id := strconv.Itoa(n)
			byID[id] = code{Seg: k, Tag: t}
			if t.ID < len(ids[k]) {
				ids[k][t.ID] = id
			}
		}
	}
	return byID, ids
}

// effectiveState is the unit's state as diglot treats it: a target a
// reviewer edited is reviewed whatever its marker says.
func effectiveState(u *out.Unit) out.State {
	if u.Approved() {
		return out.StateReviewed
	}
	return u.State
}

// xliffState maps a diglot state to the segment state of XLIFF 2.
func xliffState(s out.State) State {
	switch s {
	case out.StateReviewed:
		return StateFinal
	case out.StateMachine:
		return StateTranslated
	}
	return StateInitial // new, stale, failed
}

// hasTarget reports whether a unit's target slot holds a translation to
// export: a new or failed unit's holds the source.
func hasTarget(s out.State) bool {
	return s != out.StateNew && s != out.StateFailed
}

// markerAttrs splits the attributes of a unit marker line, keeping each
// one's exact bytes; values may be Go-quoted strings. ok is false when the
// line is not a marker.
func markerAttrs(line string) (prefix string, attrs []string, suffix string, ok bool) {
	const pre, suf = "<!-- diglot:t ", " -->"
	body := strings.TrimRight(line, " \t\r\n")
	if !strings.HasPrefix(body, pre) || !strings.HasSuffix(body, suf) || len(body) < len(pre)+len(suf) {
		return "", nil, "", false
	}
	inner := body[len(pre) : len(body)-len(suf)]
	suffix = line[len(pre)+len(inner):]
	for len(inner) > 0 {
		if inner[0] == ' ' {
			inner = inner[1:]
			continue
		}
		end := 0
		quoted := false
		for end < len(inner) && (quoted || inner[end] != ' ') {
			switch {
			case quoted && inner[end] == '\\':
				end++
			case inner[end] == '"':
				quoted = !quoted
			}
			end++
		}
		end = min(end, len(inner))
		attrs = append(attrs, inner[:end])
		inner = inner[end:]
	}
	return pre, attrs, suffix, true
}

// markerValue returns the value of attribute key of a marker line, or "".
func markerValue(line, key string) string {
	_, attrs, _, ok := markerAttrs(line)
	if !ok {
		return ""
	}
	for _, a := range attrs {
		k, v, _ := strings.Cut(a, "=")
		if k != key {
			continue
		}
		if strings.HasPrefix(v, `"`) {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
			return ""
		}
		return v
	}
	return ""
}

// approveMarker returns a marker line with state=reviewed, without the
// failed flag a failed unit carried and without the by= origin of a
// machine translation (a reviewed target is the reviewer's); the other
// attributes keep their bytes (runs of spaces between them become one).
func approveMarker(line string) (string, bool) {
	pre, attrs, suffix, ok := markerAttrs(line)
	if !ok {
		return line, false
	}
	var kept []string
	for _, a := range attrs {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "by":
			continue
		case "state":
			a = "state=" + string(out.StateReviewed)
		case "flags":
			var fs []string
			for _, f := range strings.Split(v, ",") {
				if f != "failed" {
					fs = append(fs, f)
				}
			}
			if len(fs) == 0 {
				continue
			}
			a = "flags=" + strings.Join(fs, ",")
		}
		kept = append(kept, a)
	}
	return pre + strings.Join(kept, " ") + suffix, true
}
