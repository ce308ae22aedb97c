package glossary

import (
	"encoding/json"
	"sort"
	"sync"
)

// Stats accumulates glossary compliance over a run: per term, how often it
// occurred in source segments, how often the translation applied it and how
// often it violated it. An occurrence counts as applied when its segment
// has no violation for its entry. The zero value is ready to use; Add is
// safe for concurrent use. Marshal a *Stats to JSON for the run report.
type Stats struct {
	mu    sync.Mutex
	terms map[string]*TermStats
}

// TermStats is the compliance of one term.
type TermStats struct {
	Term        string `json:"term"`
	Target      string `json:"target"`
	Occurrences int    `json:"occurrences"`
	Applied     int    `json:"applied"`
	Violated    int    `json:"violated"`
}

// StatsReport is a snapshot of [Stats].
type StatsReport struct {
	Occurrences int         `json:"occurrences"`
	Applied     int         `json:"applied"`
	Violated    int         `json:"violated"`
	Compliance  float64     `json:"compliance_percent"` // 100 when nothing occurred
	Terms       []TermStats `json:"terms"`              // most frequent first
}

// Add records one translated segment: the matches of its source and the
// violations Verify found in its translation.
func (s *Stats) Add(matches []Match, violations []Violation) {
	if len(matches) == 0 {
		return
	}
	bad := map[*Entry]bool{}
	for _, v := range violations {
		bad[v.Entry] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.terms == nil {
		s.terms = map[string]*TermStats{}
	}
	for _, m := range matches {
		k := m.Entry.Source + "\x00" + m.Entry.Target
		t := s.terms[k]
		if t == nil {
			t = &TermStats{Term: m.Entry.Source, Target: m.Entry.Target}
			s.terms[k] = t
		}
		t.Occurrences++
		if bad[m.Entry] {
			t.Violated++
		} else {
			t.Applied++
		}
	}
}

// Report returns a snapshot.
func (s *Stats) Report() StatsReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := StatsReport{Terms: []TermStats{}}
	for _, t := range s.terms {
		r.Terms = append(r.Terms, *t)
		r.Occurrences += t.Occurrences
		r.Applied += t.Applied
		r.Violated += t.Violated
	}
	sort.Slice(r.Terms, func(i, j int) bool {
		a, b := r.Terms[i], r.Terms[j]
		if a.Occurrences != b.Occurrences {
			return a.Occurrences > b.Occurrences
		}
		if a.Term != b.Term {
			return a.Term < b.Term
		}
		return a.Target < b.Target
	})
	r.Compliance = 100
	if r.Occurrences > 0 {
		r.Compliance = 100 * float64(r.Applied) / float64(r.Occurrences)
	}
	return r
}

// MarshalJSON writes the snapshot that Report returns.
func (s *Stats) MarshalJSON() ([]byte, error) { return json.Marshal(s.Report()) }
