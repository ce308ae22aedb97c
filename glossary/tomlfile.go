package glossary

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlFile is a TOML glossary: an array of [[term]] tables.
type tomlFile struct {
	Term []tomlTerm `toml:"term"`
}

// tomlTerm has the keys of the tabular formats. aliases and forbidden are
// arrays of strings, or one |-separated string as in TSV.
type tomlTerm struct {
	Source    string `toml:"source"`
	Target    string `toml:"target"`
	Note      string `toml:"note"`
	Case      string `toml:"case"`
	Mode      string `toml:"mode"`
	Aliases   any    `toml:"aliases"`
	Forbidden any    `toml:"forbidden"`
}

// parseTOML decodes strictly: an unknown key is an error naming its line.
func parseTOML(name string, data []byte) ([]row, error) {
	var f tomlFile
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var (
			de *toml.DecodeError
			se *toml.StrictMissingError
		)
		switch {
		case errors.As(err, &se) && len(se.Errors) > 0:
			line, _ := se.Errors[0].Position()
			return nil, &LoadError{File: name, Line: line, Msg: fmt.Sprintf("unknown key %q", strings.Join(se.Errors[0].Key(), ".")), Err: err}
		case errors.As(err, &de):
			line, _ := de.Position()
			return nil, &LoadError{File: name, Line: line, Msg: de.Error(), Err: err}
		}
		return nil, &LoadError{File: name, Msg: err.Error(), Err: err}
	}
	lines := termLines(data)
	rows := make([]row, 0, len(f.Term))
	for i, t := range f.Term {
		line := 0
		if len(lines) == len(f.Term) {
			line = lines[i]
		}
		aliases, err := tomlList("aliases", t.Aliases)
		if err == nil {
			var forbidden []string
			forbidden, err = tomlList("forbidden", t.Forbidden)
			if err == nil {
				fields := []string{t.Source, t.Target, t.Note, t.Case, t.Mode, strings.Join(aliases, "|"), strings.Join(forbidden, "|")}
				e, msg := record(columnIndex, fields)
				if msg != "" {
					return nil, &LoadError{File: name, Line: line, Msg: msg}
				}
				// Keep list items whole: a TOML alias may contain "|".
				e.Aliases, e.Forbidden = aliases, forbidden
				rows = append(rows, row{e: e, line: line})
				continue
			}
		}
		return nil, &LoadError{File: name, Line: line, Msg: err.Error()}
	}
	return rows, nil
}

// columnIndex maps every column to its position in columns.
var columnIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range columns {
		m[c] = i
	}
	return m
}()

// tomlList accepts an array of strings or one |-separated string.
func tomlList(key string, v any) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return splitList(v), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("%s: want strings, found %T", key, x)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: want an array of strings, found %T", key, v)
}

// termLines returns the line of each [[term]] header in order, so that
// errors about a term can name its line (go-toml's decoder keeps no
// positions for values that decode fine).
func termLines(data []byte) []int {
	var (
		p     unstable.Parser
		lines []int
	)
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.ArrayTable {
			continue
		}
		it := e.Key()
		if !it.Next() {
			continue
		}
		k := it.Node()
		if string(k.Data) != "term" || it.Next() {
			continue
		}
		lines = append(lines, lineOf(&p, data, k.Data))
	}
	return lines
}

// lineOf returns the line of b within data, or 0 when b is not part of data
// (a quoted key with escapes is decoded into a new buffer).
func lineOf(p *unstable.Parser, data, b []byte) (line int) {
	defer func() {
		if recover() != nil {
			line = 0
		}
	}()
	return 1 + bytes.Count(data[:p.Range(b).Offset], []byte("\n"))
}
