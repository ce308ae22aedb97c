package glossary

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/tags"
)

// row is an entry as read from a file, before checks.
type row struct {
	e    Entry
	line int
}

// Load reads glossary files and merges them in order, later files
// overriding earlier ones (see [Merge]). The format of each file follows its
// extension: .tsv, .csv or .toml. Bad input is a [*LoadError] naming the file
// and line.
func Load(paths ...string) (*Glossary, []Conflict, error) {
	gs := make([]*Glossary, 0, len(paths))
	for _, p := range paths {
		g, err := LoadFile(p)
		if err != nil {
			return nil, nil, err
		}
		gs = append(gs, g)
	}
	g, conflicts := Merge(gs...)
	return g, conflicts, nil
}

// LoadFile reads one glossary file; see [Load].
func LoadFile(path string) (*Glossary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	return parse(path, data)
}

// Parse reads a glossary from r. name gives the format by its extension
// (.tsv, .csv, .toml) and names the source in errors.
func Parse(name string, r io.Reader) (*Glossary, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("glossary: read %s: %w", name, err)
	}
	return parse(name, data)
}

func parse(name string, data []byte) (*Glossary, error) {
	data, err := checkEncoding(name, data)
	if err != nil {
		return nil, err
	}
	var rows []row
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".tsv", ".tab":
		rows, err = parseTSV(name, data)
	case ".csv":
		rows, err = parseCSV(name, data)
	case ".toml":
		rows, err = parseTOML(name, data)
	default:
		return nil, &LoadError{File: name, Msg: fmt.Sprintf("unknown glossary format %q (want .tsv, .csv or .toml)", ext)}
	}
	if err != nil {
		return nil, err
	}
	return fromRows(name, rows)
}

// checkEncoding rejects anything but UTF-8, naming the first bad line, and
// drops a UTF-8 byte order mark.
func checkEncoding(name string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, &LoadError{File: name, Line: 1, Msg: "utf-16 is not supported: save the glossary as utf-8"}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if utf8.Valid(data) {
		return data, nil
	}
	line := 1
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		if !utf8.Valid(data[:end]) {
			break
		}
		line++
		data = data[min(end+1, len(data)):]
	}
	return nil, &LoadError{File: name, Line: line, Msg: "invalid utf-8 encoding"}
}

// fromRows checks rows and builds the glossary. A term defined twice in one
// file with the same target is merged; with another target it is an error.
func fromRows(name string, rows []row) (*Glossary, error) {
	g := &Glossary{}
	owner := map[string]int{}
	for _, r := range rows {
		e := r.e
		if msg := normalize(&e); msg != "" {
			return nil, &LoadError{File: name, Line: r.line, Msg: msg}
		}
		into := -1
		for _, sp := range spellings(&e) {
			o, ok := owner[fold(sp)]
			if !ok {
				continue
			}
			old := &g.entries[o]
			if old.Target != e.Target || old.Mode != e.Mode {
				return nil, &LoadError{File: name, Line: r.line, Msg: fmt.Sprintf(
					"duplicate term %q with target %q: line %d gives %q", sp, e.Target, g.pos[o].Line, old.Target)}
			}
			if into < 0 {
				into = o
			}
		}
		if into < 0 {
			into = len(g.entries)
			g.entries = append(g.entries, e)
			g.pos = append(g.pos, Pos{File: name, Line: r.line})
		} else {
			old := &g.entries[into]
			for _, sp := range spellings(&e) {
				if _, ok := owner[fold(sp)]; !ok {
					old.Aliases = append(old.Aliases, sp)
				}
			}
			for _, f := range e.Forbidden {
				if !slices.Contains(old.Forbidden, f) {
					old.Forbidden = append(old.Forbidden, f)
				}
			}
			if old.Note == "" {
				old.Note = e.Note
			}
		}
		for _, sp := range spellings(&g.entries[into]) {
			if _, ok := owner[fold(sp)]; !ok {
				owner[fold(sp)] = into
			}
		}
	}
	g.build()
	return g, nil
}

// normalize trims and checks e in place and returns what is wrong with it,
// or "".
func normalize(e *Entry) string {
	for _, s := range append([]string{e.Source, e.Target, e.Note}, append(e.Aliases, e.Forbidden...)...) {
		if !utf8.ValidString(s) {
			return "invalid utf-8 encoding"
		}
	}
	switch e.Mode {
	case "":
		e.Mode = Translate
	case Translate, Keep:
	default:
		return fmt.Sprintf("unknown mode %q (want translate or keep)", e.Mode)
	}
	src := strings.TrimSpace(e.Source)
	switch {
	case e.Source == "":
		return "empty source term"
	case src == "":
		return "source term is only whitespace"
	case strings.ContainsAny(src, "\r\n\t"):
		return fmt.Sprintf("source term %q contains a tab or line break", src)
	case tagLike(src):
		return fmt.Sprintf("source term %q contains a tag", src)
	}
	e.Source = src
	tgt := strings.TrimSpace(e.Target)
	switch {
	case tgt == "" && e.Target != "":
		return fmt.Sprintf("target of %q is only whitespace", src)
	case tgt == "" && e.Mode == Keep:
		tgt = src
	case tgt == "":
		return fmt.Sprintf("empty target for %q (use mode keep to leave a term untranslated)", src)
	case e.Mode == Keep && tgt != src:
		return fmt.Sprintf("term %q has mode keep but a different target %q", src, tgt)
	}
	e.Target = tgt
	e.Note = strings.TrimSpace(e.Note)
	var aliases []string
	for _, a := range e.Aliases {
		t := strings.TrimSpace(a)
		switch {
		case t == "" && a != "":
			return fmt.Sprintf("an alias of %q is only whitespace", src)
		case t == "" || t == src || slices.Contains(aliases, t):
			continue
		case tagLike(t):
			return fmt.Sprintf("alias %q contains a tag", t)
		}
		aliases = append(aliases, t)
	}
	e.Aliases = aliases
	var forbidden []string
	for _, f := range e.Forbidden {
		t := strings.TrimSpace(f)
		switch {
		case t == "" && f != "":
			return fmt.Sprintf("a forbidden variant of %q is only whitespace", src)
		case t == "" || slices.Contains(forbidden, t):
			continue
		case fold(t) == fold(tgt):
			return fmt.Sprintf("forbidden variant %q is the target of %q itself", t, src)
		}
		forbidden = append(forbidden, t)
	}
	e.Forbidden = forbidden
	return ""
}

// tagLike reports whether s holds a neutral tag, which a term never may:
// terms never match across tags.
func tagLike(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if _, _, n := tags.Match(s[i:]); n > 0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}
