package config

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// This file turns go-toml's errors into messages in the user's words: the
// file, the line, the key as written in the file, what the key wants and
// what the file gives. Go type and field names never show.

// ErrUnknownKey is wrapped by errors for keys and tables the configuration
// does not have.
var ErrUnknownKey = errors.New("unknown key")

// ErrType is wrapped by errors for a value of the wrong type.
var ErrType = errors.New("wrong type")

// keyIndex knows where each key and table of a TOML file is.
type keyIndex struct {
	lines  map[string]int  // dotted key path to 1-based line, first occurrence
	tables map[string]bool // paths that are table headers
}

// indexKeys parses data for the positions of its keys. A file that does
// not parse yields what was read before the error.
func indexKeys(data []byte) keyIndex {
	idx := keyIndex{lines: map[string]int{}, tables: map[string]bool{}}
	p := unstable.Parser{}
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		var path []string
		line := 0
		it := e.Key()
		for it.Next() {
			n := it.Node()
			path = append(path, string(n.Data))
			if line == 0 {
				line = p.Shape(n.Raw).Start.Line
			}
		}
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = path
			idx.tables[strings.Join(path, ".")] = true
			idx.add(path, line)
		case unstable.KeyValue:
			full := append(append([]string(nil), table...), path...)
			// Every prefix of a dotted key is where that table starts.
			for i := len(table) + 1; i <= len(full); i++ {
				idx.add(full[:i], line)
			}
		}
	}
	return idx
}

func (idx keyIndex) add(path []string, line int) {
	k := strings.Join(path, ".")
	if _, ok := idx.lines[k]; !ok {
		idx.lines[k] = line
	}
}

// line returns the line of the key path, or of its nearest enclosing key
// the index knows, or 0.
func (idx keyIndex) line(path []string) int {
	for i := len(path); i > 0; i-- {
		if l, ok := idx.lines[strings.Join(path[:i], ".")]; ok {
			return l
		}
	}
	return 0
}

// at formats "file:line: " for a key path, or "file: " when the line is
// unknown.
func at(name string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d: ", name, line)
	}
	return name + ": "
}

// describeDecode turns an error of decoding data (named name) into target
// into "file:line: key: message" errors. prefix is the key path of the
// decoded table inside the file: an engine's table is re-encoded before it
// is decoded, so positions come from idx, the original file's index, and
// keys are named inside their table ("[providers.openai] temperature").
func describeDecode(name string, data []byte, idx keyIndex, prefix []string, target any, err error) error {
	table := ""
	if len(prefix) > 0 {
		table = "[" + strings.Join(prefix, ".") + "]"
	}
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		errs := make([]error, 0, len(strict.Errors))
		for _, e := range strict.Errors {
			path := append(append([]string(nil), prefix...), e.Key()...)
			key := strings.Join(e.Key(), ".")
			what := fmt.Sprintf("unknown key %q", key)
			if idx.tables[strings.Join(path, ".")] {
				what = fmt.Sprintf("unknown table [%s]", strings.Join(path, "."))
			} else if table != "" {
				what = table + ": " + what
			}
			errs = append(errs, fmt.Errorf("%s%w", at(name, idx.line(path)), wrapf(ErrUnknownKey, what)))
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return fmt.Errorf("%s%s%w", at(name, idx.line(prefix)), table+sep(table), err)
	}
	rel := de.Key()
	path := append(append([]string(nil), prefix...), rel...)
	line := idx.line(path)
	if len(prefix) == 0 && line == 0 {
		line, _ = de.Position()
	}
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	if len(rel) == 0 {
		return fmt.Errorf("%s%s", at(name, line), msg) // a syntax error
	}
	key := strings.Join(rel, ".")
	if table != "" {
		key = table + " " + key
	}
	if strings.Contains(msg, "cannot decode") || strings.Contains(msg, "struct field") {
		want := wantType(target, rel)
		got := gotType(data, rel)
		if want != "" && got != "" {
			return fmt.Errorf("%s%s: %w", at(name, line), key, wrapf(ErrType, "want "+want+", got "+got))
		}
		return fmt.Errorf("%s%s: %w", at(name, line), key, wrapf(ErrType, "a value of the wrong type"))
	}
	return fmt.Errorf("%s%s: %s", at(name, line), key, msg)
}

// sep is ": " after a non-empty table name.
func sep(table string) string {
	if table == "" {
		return ""
	}
	return ": "
}

// wrapf is an error that prints msg and wraps err.
func wrapf(err error, msg string) error { return &wrapped{msg, err} }

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// wantType describes in words the type that the key path asks for in
// target, or "" when the path does not lead anywhere known.
func wantType(target any, path []string) string {
	t := reflect.TypeOf(target)
	for _, k := range path {
		t = deref(t)
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(t, k)
			if !ok {
				return ""
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		default:
			return ""
		}
	}
	return describeType(t)
}

// fieldByTag finds the struct field decoded from key.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == "" {
			name = f.Name
		}
		if name == key || strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// describeType says what a TOML value for a Go type must be.
func describeType(t reflect.Type) string {
	if reflect.PointerTo(deref(t)).Implements(textUnmarshaler) {
		return "a string"
	}
	t = deref(t)
	if t == durationType {
		return `a duration such as "30s"`
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number (0 or more)"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list of " + plural(describeType(t.Elem()))
	case reflect.Map, reflect.Struct:
		return "a table"
	}
	return "a value"
}

// plural turns "a string" into "strings", "an integer" into "integers".
func plural(s string) string {
	switch {
	case strings.HasPrefix(s, "a list of "):
		return "lists of " + strings.TrimPrefix(s, "a list of ")
	case s == "true or false":
		return "booleans"
	case strings.HasPrefix(s, "an "):
		return strings.TrimPrefix(s, "an ") + "s"
	case strings.HasPrefix(s, "a "):
		s = strings.TrimPrefix(s, "a ")
		if i := strings.IndexByte(s, ' '); i > 0 { // "duration such as ..."
			return s[:i] + "s" + s[i:]
		}
		return s + "s"
	}
	return s
}

// gotType describes the TOML value at path in data, or "" when data does
// not decode or has no value there.
func gotType(data []byte, path []string) string {
	var doc map[string]any
	if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return ""
	}
	var v any = doc
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = m[k]; !ok {
			return ""
		}
	}
	return describeValue(v)
}

// describeValue says in words what kind of TOML value v is.
func describeValue(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time, toml.LocalDate, toml.LocalDateTime, toml.LocalTime:
		return "a date or time"
	case map[string]any:
		return "a table"
	case []any:
		if len(v) == 0 {
			return "an empty list"
		}
		kinds := map[string]bool{}
		for _, e := range v {
			kinds[plural(describeValue(e))] = true
		}
		var ks []string
		for k := range kinds {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return "a list of " + strings.Join(ks, " and ")
	}
	return "a value"
}
