// Command bareparse parses every Markdown file under a directory with
// goldmark alone (the GFM extensions and footnotes diglot enables), as
// the baseline the run benchmarks are ratios of. It prints the bytes
// parsed and the seconds taken.
//
//	go run ./scripts/bareparse DIR
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bareparse DIR")
		os.Exit(2)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	var files [][]byte
	total := 0
	err := filepath.WalkDir(os.Args[1], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(strings.ToLower(p), ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		files = append(files, data)
		total += len(data)
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareparse:", err)
		os.Exit(1)
	}
	start := time.Now()
	for _, data := range files {
		md.Parser().Parse(text.NewReader(data))
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%d files, %d bytes, %.3f s, %.1f MB/s\n", len(files), total, secs, float64(total)/secs/1e6)
}
