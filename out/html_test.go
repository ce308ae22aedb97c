package out

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/diglot/diglot/markdown"
)

// attr returns n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// elements lists the element nodes under n, in document order.
func elements(n *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// textOf returns the text under n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for _, e := range append([]*html.Node{n}, descendants(n)...) {
		if e.Type == html.TextNode {
			b.WriteString(e.Data)
		}
	}
	return b.String()
}

func descendants(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
		out = append(out, descendants(c)...)
	}
	return out
}

// checkPage parses an article's page and checks it against its file: one
// pair of columns per unit (front matter and footnote definitions aside),
// each with the language it holds; no script, no external style; every
// footnote link lands.
func checkPage(t *testing.T, name string, f *File, page []byte) {
	t.Helper()
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: html.Parse: %v", name, err)
	}
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) {
		fail("no doctype")
	}
	ids := map[string]bool{}
	var pairs, styles int
	for _, e := range elements(doc) {
		if id := attr(e, "id"); id != "" {
			ids[id] = true
		}
		switch e.DataAtom {
		case atom.Html:
			if attr(e, "lang") != f.Header.Target {
				fail("<html lang=%q>, want %q", attr(e, "lang"), f.Header.Target)
			}
		case atom.Title:
			if strings.TrimSpace(textOf(e)) == "" {
				fail("empty <title>")
			}
		case atom.Script, atom.Iframe, atom.Object, atom.Embed:
			fail("a <%s> element", e.Data)
		case atom.Link:
			fail("an external resource <link rel=%q>", attr(e, "rel"))
		case atom.Style:
			styles++
		case atom.Div:
			if attr(e, "class") != "pair" {
				continue
			}
			pairs++
			var cols []*html.Node
			for c := e.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					cols = append(cols, c)
				}
			}
			if len(cols) != 2 || attr(cols[0], "class") != "src" || attr(cols[1], "class") != "tgt" {
				fail("pair %d: columns %v", pairs, cols)
				continue
			}
			if attr(cols[0], "lang") != f.Header.Source || attr(cols[1], "lang") != f.Header.Target {
				fail("pair %d: lang %q and %q", pairs, attr(cols[0], "lang"), attr(cols[1], "lang"))
			}
			if strings.TrimSpace(textOf(cols[0])) == "" && len(elements(cols[0])) < 3 {
				fail("pair %d: empty source column", pairs)
			}
			if strings.TrimSpace(textOf(cols[1])) == "" && len(elements(cols[1])) < 3 {
				fail("pair %d: empty target column", pairs)
			}
		}
	}
	for _, e := range elements(doc) {
		if href := attr(e, "href"); e.DataAtom == atom.A && strings.HasPrefix(href, "#fn") && !ids[href[1:]] {
			fail("link %s lands nowhere", href)
		}
	}
	if styles != 1 {
		fail("%d <style> elements, want the one inline style sheet", styles)
	}
	want := 0
	for _, u := range f.Units {
		if k := f.Source.Blocks[u.Block].Kind; k != markdown.FrontMatter && k != markdown.FootnoteDef {
			want++
		}
	}
	if pairs != want {
		fail("%d pairs of columns, want %d (one per unit)", pairs, want)
	}
	if len(errs) > 0 {
		t.Errorf("%s: %s", name, strings.Join(errs, "; "))
	}
}

func TestHTMLPage(t *testing.T) {
	cases := map[string]string{
		"raw html":    "<script>alert(1)</script>\n\n段落<b onclick=\"x()\">粗</b>。\n\n<div>块</div>\n",
		"footnotes":   "正文[^1]和[^a]。\n\n[^1]: 注释一。\n\n[^a]: https://example.org/a\n",
		"links":       "见[另一篇](other.md#part)、[目录](../README.markdown)、[站外](https://example.org/x.md)和[根](/a.md)。\n",
		"front":       "---\ntitle: \"峰会：会谈\"\n---\n\n# 标题\n\n正文。\n",
		"lists":       "- 一\n- 二\n\n1. 第一\n\n> 引用。\n",
		"only shared": "```\ncode\n```\n",
	}
	for name, src := range cases {
		_, bi := writeBi(t, []byte(src), pseudoTargets, nil)
		f, err := ReadBilingual(name, bi, testFormat)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page, title, err := f.HTMLPage(nil)
		if err != nil {
			t.Fatalf("%s: HTMLPage: %v", name, err)
		}
		checkPage(t, name, f, page)
		switch name {
		case "raw html":
			if bytes.Contains(page, []byte("alert(1)")) || bytes.Contains(page, []byte("onclick")) {
				t.Errorf("raw HTML passed through:\n%s", page)
			}
		case "links":
			for _, want := range []string{`href="other.html#part"`, `href="../README.html"`, `href="https://example.org/x.md"`, `href="/a.md"`} {
				if !bytes.Contains(page, []byte(want)) {
					t.Errorf("links: no %s in\n%s", want, page)
				}
			}
		case "front":
			if title != pseudo("峰会：会谈") {
				t.Errorf("title = %q, want the target front matter's", title)
			}
		case "only shared":
			if title != "articles/a.md" {
				t.Errorf("title = %q, want the source file's name", title)
			}
		}
	}
}

// TestCorpusHTML parses the page of every golden input and corpus file.
func TestCorpusHTML(t *testing.T) {
	paths, _ := filepath.Glob("testdata/golden/*.md")
	if !testing.Short() {
		c, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
		paths = append(paths, c...)
	}
	for _, path := range paths {
		if strings.Count(filepath.Base(path), ".") > 1 {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(src) {
			continue
		}
		_, bi := writeBi(t, src, pseudoTargets, nil)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		page, _, err := f.HTMLPage(&HTMLOptions{Index: "index.html"})
		if err != nil {
			t.Errorf("%s: HTMLPage: %v", path, err)
			continue
		}
		checkPage(t, path, f, page)
	}
}

func TestHTMLIndex(t *testing.T) {
	page, err := HTMLIndex("Articles", "en", []IndexEntry{{Href: "a.html", Title: "A <b>"}, {Href: "sub/b c.html", Title: "B"}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range elements(doc) {
		if e.DataAtom == atom.A {
			got = append(got, attr(e, "href")+" "+textOf(e))
		}
	}
	if want := []string{"a.html A <b>", "sub/b%20c.html B"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("index links = %q, want %q", got, want)
	}
}

// TestAttrEscape checks that the rows' language attributes are escaped as
// html/template escapes them.
func TestAttrEscape(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<div lang="{{.}}">`))
	for _, s := range []string{"en", "zh-Hant", `x"><script>alert(1)</script>`, "a+b&c'd\x00e", "中文"} {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		if got := `<div lang="` + attrEscape(s) + `">`; got != want.String() {
			t.Errorf("attrEscape(%q) gives %s, html/template %s", s, got, want.String())
		}
	}
}
