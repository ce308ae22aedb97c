package tm

import (
	"cmp"
	"context"
	"database/sql"
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
	Keys       int            `json:"keys"`    // distinct keys (segments)
	Entries    int            `json:"entries"` // entries: a key has one per slot
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

// PairKeys is the number of distinct keys of one language pair.
type PairKeys struct {
	SourceLang, TargetLang string
	Keys                   int
}

// NewStats aggregates rows (one per distinct pair, origin and state) and the
// key counts of each pair into Stats. Store implementations count their
// own way and call it.
func NewStats(rows []StatsRow, keys []PairKeys) *Stats {
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
	for _, k := range keys {
		for i := range s.Pairs {
			if s.Pairs[i].SourceLang == k.SourceLang && s.Pairs[i].TargetLang == k.TargetLang {
				s.Pairs[i].Keys = k.Keys
			}
		}
	}
	return s
}

// WriteText prints s for people: a table with one line per language pair,
// origin and state, then one with the keys and entries per pair and overall.
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
	fmt.Fprintln(tw, "SOURCE\tTARGET\tKEYS\tMACHINE\tREVIEWED\tENTRIES")
	keys := 0
	for _, p := range s.Pairs {
		keys += p.Keys
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\n", p.SourceLang, p.TargetLang, p.Keys, p.States[Machine], p.States[Reviewed], p.Entries)
	}
	fmt.Fprintf(tw, "total\t\t%d\t\t\t%d\n", keys, s.Entries)
	return tw.Flush()
}

// rowSource runs a query and calls row for each result row with the row's
// scan function; the SQL stores adapt their drivers to it, so that both
// count with the same statements.
type rowSource interface {
	each(ctx context.Context, query string, row func(scan func(dest ...any) error) error) error
}

// countStats counts the entries table of an SQL store.
func countStats(ctx context.Context, src rowSource) (*Stats, error) {
	rows := []StatsRow{}
	err := src.each(ctx, `SELECT source_lang, target_lang, origin, state, count(*) FROM entries
		GROUP BY source_lang, target_lang, origin, state`, func(scan func(...any) error) error {
		var r StatsRow
		var state string
		if err := scan(&r.SourceLang, &r.TargetLang, &r.Origin, &state, &r.Entries); err != nil {
			return err
		}
		r.State = State(state)
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var keys []PairKeys
	err = src.each(ctx, `SELECT source_lang, target_lang, count(DISTINCT key) FROM entries
		GROUP BY source_lang, target_lang`, func(scan func(...any) error) error {
		var k PairKeys
		if err := scan(&k.SourceLang, &k.TargetLang, &k.Keys); err != nil {
			return err
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return NewStats(rows, keys), nil
}

// sqlQueryer is a rowSource over database/sql.
type sqlQueryer struct{ tx *sql.Tx }

func (q sqlQueryer) each(ctx context.Context, query string, row func(scan func(dest ...any) error) error) error {
	rows, err := q.tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
