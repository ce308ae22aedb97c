package out

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadLimited(t *testing.T) {
	// A source of tiny paragraphs, every unit stale with a previous
	// target as long as the source: the most a run writes per source byte.
	var src strings.Builder
	for src.Len() < 30000 {
		src.WriteString("短句。\n\n")
	}
	doc := mustParse(t, src.String())
	units := map[int]UnitInfo{}
	for i, b := range doc.Blocks {
		if len(b.Segments) > 0 {
			units[i] = UnitInfo{State: StateStale, Previous: []byte("短句。\n"), By: "openai:gpt-4o-mini", Flags: []string{"numbers", "length"}}
		}
	}
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: doc.Texts(), Units: units}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	max := int64(src.Len())
	if int64(len(bi)) < 10*max {
		t.Fatalf("the bilingual file is only %d bytes for %d of source: not the case this tests", len(bi), max)
	}
	got, err := ReadLimited(bytes.NewReader(bi), max)
	if err != nil || !bytes.Equal(got, bi) {
		t.Errorf("ReadLimited at the source's size = %d bytes, %v; want the whole file", len(got), err)
	}
	text := int64(strings.Count(src.String(), "短句。\n") * len("短句。\n"))
	if _, err := ReadLimited(bytes.NewReader(bi), text); err != nil {
		t.Errorf("ReadLimited at the source's text size: %v", err)
	}
	// 3 × the text: source, target, previous; not 8 times a third of it.
	if _, err := ReadLimited(bytes.NewReader(bi), 3*text/textFactor-10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadLimited under 3/8 of the source's text size: err = %v, want ErrTooLarge", err)
	}
	// Comment lines are free only as markers: a flood of them is not.
	flood := []byte("<!-- diglot v1 source=zh target=en -->\n\n" + strings.Repeat("<!-- diglot:t -->\n", 1000) + "x\n")
	if _, err := ReadLimited(bytes.NewReader(flood), 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a flood of comment lines: err = %v, want ErrTooLarge", err)
	}
	// One long line (no line ending for a while) counts as text.
	long := bytes.Repeat([]byte("长"), 100000)
	if _, err := ReadLimited(bytes.NewReader(long), 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a long line: err = %v, want ErrTooLarge", err)
	}
	if got, err := ReadLimited(bytes.NewReader(long), int64(len(long))); err != nil || !bytes.Equal(got, long) {
		t.Errorf("a long line within the limit: %d bytes, %v", len(got), err)
	}
}

// TestReadLimitedReaders checks that ReadLimited reads the same bytes and
// decides the same whatever the reader: a file (whose size it uses), one
// byte at a time, a stream.
func TestReadLimitedReaders(t *testing.T) {
	doc := mustParse(t, strings.Repeat("短句。\n\n", 5000))
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: doc.Texts()}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bi.md")
	if err := os.WriteFile(path, bi, 0o644); err != nil {
		t.Fatal(err)
	}
	readers := map[string]func() io.Reader{
		"bytes":    func() io.Reader { return bytes.NewReader(bi) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(bi)) },
		"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(bi)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(bi)) },
		"file": func() io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		},
	}
	for name, r := range readers {
		if got, err := ReadLimited(r(), int64(len(bi))); err != nil || !bytes.Equal(got, bi) {
			t.Errorf("%s: ReadLimited = %d bytes, %v; want the file", name, len(got), err)
		}
		// Source and target: 100,000 bytes of text.
		if _, err := ReadLimited(r(), 100_000/textFactor/2); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: ReadLimited at half the text: err = %v, want ErrTooLarge", name, err)
		}
	}
}
