package review

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/diglot/diglot/out"
)

// filter selects units: by file, state, flag kind and text. Every page
// link carries it, so navigation stays inside the selection.
type filter struct {
	File  string // a file id, or "" for every file
	State string // a state as unitState reports it, or ""
	Flag  string // a flag kind, "any" for any flag, or ""
	Q     string // text to find, case-insensitively
	In    string // where to find Q: "source", "target", or "" for both
}

// States lists the states a filter may name, for the pages' menus.
var filterStates = []string{string(out.StateNew), string(out.StateMachine), string(out.StateReviewed), string(out.StateStale), string(out.StateFailed)}

func filterFrom(q url.Values) filter {
	f := filter{
		File:  q.Get("file"),
		State: q.Get("state"),
		Flag:  q.Get("flag"),
		Q:     strings.TrimSpace(q.Get("q")),
		In:    q.Get("in"),
	}
	if f.In != "source" && f.In != "target" {
		f.In = ""
	}
	return f
}

// values returns the filter as query parameters, leaving out empty ones.
func (f filter) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"file", f.File}, {"state", f.State}, {"flag", f.Flag}, {"q", f.Q}, {"in", f.In}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// Query returns the filter as a URL query string, without "?".
func (f filter) Query() string { return f.values().Encode() }

// Active reports whether the filter selects anything less than all.
func (f filter) Active() bool { return f.File != "" || f.State != "" || f.Flag != "" || f.Q != "" }

// skipFile reports whether a file's summary proves that no unit of it can
// match, so it need not be read.
func (f filter) skipFile(s summary) bool {
	if s.Err != "" {
		return true
	}
	switch f.State {
	case "new":
		if s.New == 0 {
			return true
		}
	case "machine":
		if s.Machine == 0 {
			return true
		}
	case "reviewed":
		if s.Reviewed == 0 {
			return true
		}
	case "stale":
		if s.Stale == 0 {
			return true
		}
	case "failed":
		if s.Failed == 0 {
			return true
		}
	}
	switch f.Flag {
	case "":
	case "any":
		return s.Flagged == 0
	default:
		return s.Flags[f.Flag] == 0
	}
	return false
}

// match reports whether unit u of d is selected.
func (f filter) match(d *doc, u *out.Unit) bool {
	if f.State != "" && string(unitState(u)) != f.State {
		return false
	}
	switch f.Flag {
	case "":
	case "any":
		if len(u.Flags) == 0 {
			return false
		}
	default:
		found := false
		for _, fl := range u.Flags {
			found = found || fl == f.Flag
		}
		if !found {
			return false
		}
	}
	if f.Q != "" {
		in := f.In != "target" && containsFold(string(d.sourceBlock(u)), f.Q) ||
			f.In != "source" && containsFold(string(u.TargetBytes), f.Q)
		if !in {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// position is a unit's place in the sequence the server walks: the file's
// index in the list and the unit's id.
type position struct {
	file int
	id   int
}

func (p position) String() string { return strconv.Itoa(p.file) + ":" + strconv.Itoa(p.id) }

func parsePosition(s string) (position, bool) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return position{}, false
	}
	fi, err1 := strconv.Atoi(a)
	id, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || fi < 0 || id < 0 {
		return position{}, false
	}
	return position{fi, id}, true
}

// hit is a unit the filter selected.
type hit struct {
	pos position
	d   *doc
	u   *out.Unit
}

// scan walks the units after (or, with back, before) from in list order,
// calling fn for each unit the filter and extra select until fn returns
// false. Files the filter's summary rules out are skipped without being
// parsed again; files that cannot be read are skipped.
func (s *Server) scan(f filter, from position, back bool, extra func(*out.Unit) bool, fn func(hit) bool) {
	files := s.list()
	lo, hi := 0, len(files)
	if f.File != "" {
		ref, ok := parseRef(f.File)
		i, listed := s.position(ref)
		if !ok || !listed {
			return
		}
		lo, hi = i, i+1
	}
	step := 1
	start := max(from.file, lo)
	if back {
		step = -1
		start = min(from.file, hi-1)
	}
	for fi := start; fi >= lo && fi < hi; fi += step {
		sum, err := s.summaryOf(files[fi])
		if err != nil || f.skipFile(sum) {
			continue
		}
		d, err := s.load(files[fi])
		if err != nil || d.file == nil {
			continue
		}
		n := len(d.file.Units)
		for k := 0; k < n; k++ {
			i := k
			if back {
				i = n - 1 - k
			}
			u := &d.file.Units[i]
			if fi == from.file && (!back && u.ID <= from.id || back && u.ID >= from.id) {
				continue
			}
			if !f.match(d, u) || extra != nil && !extra(u) {
				continue
			}
			if !fn(hit{pos: position{fi, u.ID}, d: d, u: u}) {
				return
			}
		}
	}
}

// neighbour returns the next (or previous) selected unit after from.
func (s *Server) neighbour(f filter, from position, back bool, extra func(*out.Unit) bool) (hit, bool) {
	var h hit
	found := false
	s.scan(f, from, back, extra, func(x hit) bool {
		h, found = x, true
		return false
	})
	return h, found
}

// flagged selects units with at least one flag.
func flagged(u *out.Unit) bool { return len(u.Flags) > 0 }
