package glossary

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The columns of the tabular formats, in the order Export writes them.
var columns = []string{"source", "target", "note", "case", "mode", "aliases", "forbidden"}

// header maps column names to field indexes and checks them.
func header(name string, line int, fields []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, f := range fields {
		c := strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(columns, c) {
			return nil, &LoadError{File: name, Line: line, Msg: fmt.Sprintf("unknown column %q (want %s)", f, strings.Join(columns, ", "))}
		}
		if _, dup := cols[c]; dup {
			return nil, &LoadError{File: name, Line: line, Msg: fmt.Sprintf("column %q appears twice", c)}
		}
		cols[c] = i
	}
	for _, c := range []string{"source", "target"} {
		if _, ok := cols[c]; !ok {
			return nil, &LoadError{File: name, Line: line, Msg: fmt.Sprintf("the header has no %q column", c)}
		}
	}
	return cols, nil
}

// record turns one row of fields into an entry, or returns what is wrong.
// Missing trailing fields are empty: editors drop trailing separators.
func record(cols map[string]int, fields []string) (Entry, string) {
	if len(fields) > len(cols) {
		for _, f := range fields[len(cols):] {
			if strings.TrimSpace(f) != "" {
				return Entry{}, fmt.Sprintf("%d fields, but the header has %d columns", len(fields), len(cols))
			}
		}
	}
	get := func(c string) string {
		i, ok := cols[c]
		if !ok || i >= len(fields) {
			return ""
		}
		return fields[i]
	}
	e := Entry{
		Source:    get("source"),
		Target:    get("target"),
		Note:      get("note"),
		Aliases:   splitList(get("aliases")),
		Forbidden: splitList(get("forbidden")),
	}
	switch v := strings.ToLower(strings.TrimSpace(get("case"))); v {
	case "", "insensitive":
	case "sensitive":
		e.CaseSensitive = true
	default:
		return Entry{}, fmt.Sprintf("unknown case %q (want sensitive or insensitive)", get("case"))
	}
	switch v := strings.ToLower(strings.TrimSpace(get("mode"))); v {
	case "", "translate":
		e.Mode = Translate
	case "keep":
		e.Mode = Keep
	default:
		return Entry{}, fmt.Sprintf("unknown mode %q (want translate or keep)", get("mode"))
	}
	return e, ""
}

// splitList splits a |-separated list; items are trimmed later.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// parseTSV reads our tab-separated format: one entry per line, a header
// line first, blank lines and lines starting with # ignored. Fields are not
// quoted; \t, \n, \r and \\ stand for a tab, line feed, carriage return and
// backslash (Export writes them so notes round-trip).
func parseTSV(name string, data []byte) ([]row, error) {
	var (
		cols map[string]int
		rows []row
	)
	for n, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSuffix(string(line), "\r")
		if t := strings.TrimSpace(s); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Split(s, "\t")
		for i := range fields {
			fields[i] = unescapeTSV(fields[i])
		}
		if cols == nil {
			var err error
			if cols, err = header(name, n+1, fields); err != nil {
				return nil, err
			}
			continue
		}
		e, msg := record(cols, fields)
		if msg != "" {
			return nil, &LoadError{File: name, Line: n + 1, Msg: msg}
		}
		rows = append(rows, row{e: e, line: n + 1})
	}
	if cols == nil {
		return nil, &LoadError{File: name, Msg: "no header line (want source, target, …)"}
	}
	return rows, nil
}

var (
	tsvEscaper   = strings.NewReplacer("\\", `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
	tsvUnescaper = strings.NewReplacer(`\\`, "\\", `\t`, "\t", `\n`, "\n", `\r`, "\r")
)

func unescapeTSV(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return tsvUnescaper.Replace(s)
}

// parseCSV reads RFC 4180 CSV with the same header as TSV. Lines starting
// with # are comments.
func parseCSV(name string, data []byte) ([]row, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	var (
		cols map[string]int
		rows []row
	)
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &LoadError{File: name, Line: pe.Line, Msg: pe.Err.Error(), Err: err}
			}
			return nil, &LoadError{File: name, Msg: err.Error(), Err: err}
		}
		line, _ := r.FieldPos(0)
		if cols == nil {
			if cols, err = header(name, line, fields); err != nil {
				return nil, err
			}
			continue
		}
		e, msg := record(cols, fields)
		if msg != "" {
			return nil, &LoadError{File: name, Line: line, Msg: msg}
		}
		rows = append(rows, row{e: e, line: line})
	}
	if cols == nil {
		return nil, &LoadError{File: name, Msg: "no header line (want source, target, …)"}
	}
	return rows, nil
}
