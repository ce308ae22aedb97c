// Command variants writes N distinct variants of each Markdown file of a
// corpus, for benchmarks that must not reuse the same texts: every Han
// character of variant k is replaced by another one k places further on in
// the CJK block, so structure, sizes, line endings and the untranslated
// parts (URLs, code, HTML) stay as they were while every paragraph is new.
//
//	go run ./scripts/variants SRC DST N
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: variants SRC DST N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[3])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "variants: N must be a positive number")
		os.Exit(2)
	}
	names, _ := filepath.Glob(filepath.Join(os.Args[1], "*.md"))
	for k := 0; k < n; k++ {
		dir := filepath.Join(os.Args[2], fmt.Sprintf("v%03d", k))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				fail(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), []byte(shift(string(data), k)), 0o644); err != nil {
				fail(err)
			}
		}
	}
}

// shift moves every character of the CJK Unified Ideographs block k places
// on, wrapping within the block.
func shift(s string, k int) string {
	if k == 0 {
		return s
	}
	const lo, hi = 0x4E00, 0x9FFF
	return strings.Map(func(r rune) rune {
		if r >= lo && r <= hi && unicode.Is(unicode.Han, r) {
			return lo + (r-lo+rune(k)*7)%(hi-lo+1)
		}
		return r
	}, s)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "variants:", err)
	os.Exit(1)
}
