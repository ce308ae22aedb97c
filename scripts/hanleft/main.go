// Command hanleft counts the Han characters a reader still sees in
// published target documents: outside code (fenced and indented code
// blocks, inline code), HTML and URLs, by cause. scripts/han-left.sh runs
// it on a pseudo translation of a corpus; with the pseudo engine every
// translated word is Latin, so what is left is what the pipeline did not
// give the engine to translate.
//
//	go run ./scripts/hanleft [-bilingual DIR] [-v] PUBLISHED_DIR
//
// The causes: wiki link labels ([[zh:香港]]), image alt text, link and
// image titles, indented blocks of prose (CommonMark code blocks whose
// lines are mostly Han: the markdown option indented_code = "auto"
// translates them), front matter, and other text (with -bilingual, the
// part of it in units that failed, whose source stands in the target, is
// counted too). Code, HTML and URLs (a URL's Chinese path included) are
// counted apart and left out of the figure.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/diglot/diglot/out"
)

// The causes a Han character is counted under.
const (
	causeWiki   = "wiki"   // label of a [[zh:…]] wiki link
	causeAlt    = "alt"    // image alt text
	causeTitle  = "title"  // link or image title
	causeProse  = "prose"  // an indented block of prose, which CommonMark reads as code
	causeFront  = "front"  // front matter
	causeText   = "text"   // any other text
	seenCode    = "code"   // not counted: fenced or indented code, inline code
	seenHTML    = "html"   // not counted: HTML blocks and inline HTML
	seenURL     = "url"    // not counted: autolinks and URLs in text
	seenTarget  = "target" // not counted: the target of a labelled wiki link, [[zh:香港|…]], which a wiki shows as its label
	inFailed    = "failed" // the part of text in failed units (with -bilingual)
	causeLegend = "wiki: [[zh:…]] labels; alt: image alt text; title: link and image titles; prose: indented prose (read as code); front: front matter; text: other text"
)

var causes = []string{causeWiki, causeAlt, causeTitle, causeProse, causeFront, causeText}

func main() {
	bilingual := flag.String("bilingual", "", "`DIR` of the bilingual files the documents were published from, to count the Han of failed units")
	verbose := flag.Bool("v", false, "print each file's count")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: hanleft [-bilingual DIR] [-v] PUBLISHED_DIR")
		os.Exit(2)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	total := map[string]int{}
	files := 0
	err := filepath.WalkDir(flag.Arg(0), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isMarkdown(path) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		c := count(md, data)
		for k, v := range c {
			total[k] += v
		}
		if *verbose {
			fmt.Printf("%s\t%d\n", path, sum(c))
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hanleft:", err)
		os.Exit(1)
	}
	if *bilingual != "" {
		n, err := failedHan(*bilingual)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hanleft:", err)
			os.Exit(1)
		}
		total[inFailed] = n
	}
	fmt.Printf("han-left: %d files, %d Han characters a reader sees outside code, HTML and URLs\n", files, sum(total))
	for _, k := range causes {
		fmt.Printf("  %-6s %8d\n", k, total[k])
	}
	if *bilingual != "" {
		fmt.Printf("  (text in failed units: %d)\n", total[inFailed])
	}
	fmt.Printf("not counted: code %d, HTML %d, URLs %d, wiki link targets %d\n", total[seenCode], total[seenHTML], total[seenURL], total[seenTarget])
	fmt.Println(causeLegend)
}

func isMarkdown(p string) bool {
	return strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")
}

// sum adds up the counted causes.
func sum(c map[string]int) int {
	n := 0
	for _, k := range causes {
		n += c[k]
	}
	return n
}

// frontMatterRE matches YAML front matter at the start of a document.
var frontMatterRE = regexp.MustCompile(`\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n(?s:.*?)\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\z)`)

// count counts the Han characters of one published document by cause.
func count(md goldmark.Markdown, src []byte) map[string]int {
	c := map[string]int{}
	if fm := frontMatterRE.Find(src); fm != nil {
		c[causeFront] += hanCount(fm)
		src = append(bytes.Repeat([]byte{'\n'}, bytes.Count(fm, []byte{'\n'})), src[len(fm):]...)
	}
	wiki, urls := spans(wikiRE, src), urlSpans(src)
	doc := md.Parser().Parse(text.NewReader(src))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeSpan:
			c[seenCode] += hanCount(nodeText(n, src))
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			body := nodeText(n, src)
			if isProse(body) {
				c[causeProse] += hanCount(body)
			} else {
				c[seenCode] += hanCount(body)
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			c[seenHTML] += hanCount(nodeText(n, src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < v.Segments.Len(); i++ {
				seg := v.Segments.At(i)
				c[seenHTML] += hanCount(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			c[seenURL] += hanCount(v.URL(src))
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			c[seenURL] += hanCount(v.Destination)
			c[causeTitle] += hanCount(v.Title)
			c[causeAlt] += hanCount(inlineText(n, src))
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			c[seenURL] += hanCount(v.Destination)
			c[causeTitle] += hanCount(v.Title)
		case *ast.Text:
			seg := v.Segment
			for off := seg.Start; off < seg.Stop; {
				r, size := utf8.DecodeRune(src[off:])
				if unicode.Is(unicode.Han, r) {
					switch {
					case within(urls, off):
						c[seenURL]++
					case within(wiki, off) && wikiTarget(src, wiki, off):
						c[seenTarget]++
					case within(wiki, off):
						c[causeWiki]++
					default:
						c[causeText]++
					}
				}
				off += size
			}
		case *ast.String:
			c[causeText] += hanCount(v.Value)
		}
		return ast.WalkContinue, nil
	})
	return c
}

// nodeText returns the lines of a block node.
func nodeText(n ast.Node, src []byte) []byte {
	if cs, ok := n.(*ast.CodeSpan); ok {
		return inlineText(cs, src)
	}
	var b []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b = append(b, seg.Value(src)...)
	}
	return b
}

// inlineText returns the text of an inline node's children.
func inlineText(n ast.Node, src []byte) []byte {
	var b []byte
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b = append(b, t.Segment.Value(src)...)
		}
		return ast.WalkContinue, nil
	})
	return b
}

// isProse reports whether an indented code block is prose: more than half
// of its letters are Han and few of its characters are code's punctuation.
func isProse(b []byte) bool {
	han, letters, code := 0, 0, 0
	for _, r := range string(b) {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		case strings.ContainsRune("{}();=<>$#/\\`", r):
			code++
		}
	}
	return han > 0 && 2*han > letters && code*10 < letters
}

func hanCount(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// wikiTarget reports whether off lies in the target part of a labelled
// wiki link ([[target|label]]): a reader sees only the label.
func wikiTarget(src []byte, wiki [][]int, off int) bool {
	for _, w := range wiki {
		if w[0] <= off && off < w[1] {
			bar := bytes.IndexByte(src[w[0]:w[1]], '|')
			return bar >= 0 && off < w[0]+bar
		}
	}
	return false
}

// wikiRE matches a wiki link: [[target]] or [[target|label]].
var wikiRE = regexp.MustCompile(`\[\[[^\[\]\n]+\]\]`)

// urlRE matches a URL or www. address written in text, Chinese path
// included: what a translation must keep as it is.
var urlRE = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"'()\[\]{}` + "`" + `，。、；：！？（）【】《》“”]+|\bwww\.[^\s<>"'()\[\]{}` + "`" + `，。、；：！？（）【】《》“”]+`)

func spans(re *regexp.Regexp, src []byte) [][]int { return re.FindAllIndex(src, -1) }

// urlSpans returns the byte ranges of URLs in src, each as far as URL
// characters go on, Chinese ones included when URL punctuation follows
// them (…/tag/文贵/).
func urlSpans(src []byte) [][]int {
	var out [][]int
	for _, loc := range urlRE.FindAllIndex(src, -1) {
		end := loc[1]
		// Trailing Han with nothing URL-like after it is the sentence.
		for end > loc[0] {
			r, size := utf8.DecodeLastRune(src[loc[0]:end])
			if r < utf8.RuneSelf {
				break
			}
			end -= size
		}
		out = append(out, []int{loc[0], end})
	}
	return out
}

// within reports whether offset off lies in one of the sorted ranges.
func within(ranges [][]int, off int) bool {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i][1] > off })
	return i < len(ranges) && ranges[i][0] <= off
}

// failedHan counts the Han characters of the targets of failed units in
// the bilingual files under dir.
func failedHan(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isMarkdown(path) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := out.ReadBilingual(path, data, out.Format{})
		if err != nil {
			return nil // an unreadable file was not published either
		}
		for _, u := range f.Units {
			if u.State == out.StateFailed && !u.Edited {
				n += hanCount(u.TargetBytes)
			}
		}
		return nil
	})
	return n, err
}
