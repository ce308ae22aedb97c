package tm

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Stats counts a store's entries, for `diglot tm stats`. It marshals to JSON
// as is (`--json`); [Stats.WriteText] prints it for people.
type Stats struct {
	Entries int         `json:"entries"` // all entries
	Pairs   []PairStats `json:"pairs"`   // per language pair, sorted
	Rows    []StatsRow  `json:"rows"`    // the finest grain: pair, origin and state
}

// PairStats counts the entries of one language pair.
type PairStats struct {
	SourceLang string         `json:"source_lang"`
	TargetLang string         `json:"target_lang"`
	Entries    int            `json:"entries"`
	States     map[State]int  `json:"states"`  // by state
	Origins    map[string]int `json:"origins"` // by origin
}

// StatsRow is the number of entries with one language pair, origin and
// state.
type StatsRow struct {
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	Origin     string `json:"origin"`
	State      State  `json:"state"`
	Entries    int    `json:"entries"`
}

// NewStats aggregates rows (one per distinct pair, origin and state) into
// Stats. Store implementations count rows their own way and call it.
func NewStats(rows []StatsRow) *Stats {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b StatsRow) int {
		return cmp.Or(
			cmp.Compare(a.SourceLang, b.SourceLang),
			cmp.Compare(a.TargetLang, b.TargetLang),
			cmp.Compare(a.Origin, b.Origin),
			cmp.Compare(a.State, b.State),
		)
	})
	s := &Stats{Rows: rows, Pairs: []PairStats{}}
	if s.Rows == nil {
		s.Rows = []StatsRow{}
	}
	for _, r := range rows {
		s.Entries += r.Entries
		n := len(s.Pairs)
		if n == 0 || s.Pairs[n-1].SourceLang != r.SourceLang || s.Pairs[n-1].TargetLang != r.TargetLang {
			s.Pairs = append(s.Pairs, PairStats{
				SourceLang: r.SourceLang, TargetLang: r.TargetLang,
				States: map[State]int{}, Origins: map[string]int{},
			})
			n++
		}
		p := &s.Pairs[n-1]
		p.Entries += r.Entries
		p.States[r.State] += r.Entries
		p.Origins[r.Origin] += r.Entries
	}
	return s
}

// WriteText prints s for people: a table with one line per language pair,
// origin and state, then one with the totals per pair and overall.
func (s *Stats) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tTARGET\tORIGIN\tSTATE\tENTRIES")
	for _, r := range s.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", r.SourceLang, r.TargetLang, r.Origin, r.State, r.Entries)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "SOURCE\tTARGET\tMACHINE\tREVIEWED\tENTRIES")
	for _, p := range s.Pairs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", p.SourceLang, p.TargetLang, p.States[Machine], p.States[Reviewed], p.Entries)
	}
	fmt.Fprintf(tw, "total\t\t\t\t%d\n", s.Entries)
	return tw.Flush()
}
