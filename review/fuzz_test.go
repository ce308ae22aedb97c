package review

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEdit feeds arbitrary targets to every unit of a translated article:
// an edit is either refused, or it yields a file that reads back under the
// reader's rules with the same source, the unit reviewed with exactly the
// new target, and every byte before its marker and after its target block
// unchanged.
func FuzzEdit(f *testing.F) {
	dir := articleFixture(f)
	data := mustRead(f, filepath.Join(dir, "article.md"))
	srv, err := New([]string{dir}, nil)
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	file, err := srv.readBilingual("article.md", data)
	if err != nil {
		f.Fatal(err)
	}
	for i, u := range file.Units {
		f.Add(uint8(i), string(u.TargetBytes))
		f.Add(uint8(i), strings.ToUpper(string(u.TargetBytes)))
	}
	for _, s := range []string{"", "\n\n", "a\n\nb", "- x\n- y\n- z", "| a |\n| --- |", "<!-- diglot:t id=1 src=00000000 mt=00000000 state=machine -->", "[x](https://example.org/geneva)", "```\ncode", "---\ntitle: x\n---", "text\r\nmore\r"} {
		f.Add(uint8(2), s)
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, unit uint8, target string) {
		if !utf8.ValidString(target) {
			return
		}
		u := &file.Units[int(unit)%len(file.Units)]
		nt := normalizeTarget([]byte(target), u.TargetBytes)
		next, g, err := srv.spliceAndRead("article.md", data, file, u, nt, nil)
		if err != nil {
			var ee *EditError
			if !errors.As(err, &ee) {
				t.Fatalf("refusal is not an EditError: %v", err)
			}
			return
		}
		gu := &g.Units[u.ID-1]
		if !bytes.Equal(gu.TargetBytes, nt) || !gu.Approved() {
			t.Fatalf("unit %d reads back as %q (approved %v), want %q", u.ID, gu.TargetBytes, gu.Approved(), nt)
		}
		mAt := lineStart(data, u.Line)
		tEnd := lineStart(data, u.TargetLine) + len(u.TargetBytes)
		if !bytes.Equal(next[:mAt], data[:mAt]) || !bytes.HasSuffix(next, data[tEnd:]) {
			t.Fatalf("bytes outside unit %d changed:\n%s", u.ID, next)
		}
	})
}
