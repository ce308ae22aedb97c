package out

import (
	"errors"
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/markdown"
)

// enLinks is a link rewriter for tests: every path ending in .md but
// README.md gets .en before its extension.
func enLinks(p string) (string, bool) {
	if path.Ext(p) != ".md" || path.Base(p) == "README.md" {
		return "", false
	}
	return strings.TrimSuffix(p, ".md") + ".en.md", true
}

// hugoPageOf parses src and returns hugoPage's result.
func hugoPageOf(t *testing.T, src, key string, link func(string) (string, bool)) (string, hugoStats) {
	t.Helper()
	doc, err := markdown.Parse([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	page, st, err := hugoPage(doc, nil, key, link)
	if err != nil {
		t.Fatalf("hugoPage(%q): %v", src, err)
	}
	return string(page), st
}

func TestHugoLinks(t *testing.T) {
	tests := []struct {
		name, src, want string
		links           int
	}{
		{"relative", "见[乙](b.md)。\n", "见[乙](b.en.md)。\n", 1},
		{"fragment kept", "[a](b.md#x)\n", "[a](b.en.md#x)\n", 1},
		{"query and fragment kept", "[a](b.md?q=1#x\\_y)\n", "[a](b.en.md?q=1#x\\_y)\n", 1},
		{"dot slash kept", "[a](./b.md)\n", "[a](./b.en.md)\n", 1},
		{"parent and title", "[a](../x/c.md \"题\")\n", "[a](../x/c.en.md \"题\")\n", 1},
		{"angle brackets", "[a](<d e.md>)\n", "[a](<d e.en.md>)\n", 1},
		{"percent-encoded", "[a](d%20e.md) [b](%E4%B8%AD.md)\n", "[a](d%20e.en.md) [b](%E4%B8%AD.en.md)\n", 2},
		{"non-ASCII", "[a](中文.md)\n", "[a](中文.en.md)\n", 1},
		{"escaped parenthesis", "[a](e\\(1.md)\n", "[a](e\\(1.en.md)\n", 1},
		{"balanced parentheses", "[a](e\\(1\\).md)\n", "[a](e(1).en.md)\n", 1},
		{"entity decoded", "[a](f&amp;g.md)\n", "[a](f&g.en.md)\n", 1},
		{"what would read as an entity is escaped", "[a](f&amp;copy;.md)\n", "[a](f\\&copy;.en.md)\n", 1},
		{"destination on its own line", "[a](\nb.md\n\"t\")\n", "[a](\nb.en.md\n\"t\")\n", 1},
		{"linked image", "[![图](p.png)](b.md)\n", "[![图](p.png)](b.en.md)\n", 1},
		{"nothing to translate around it", "[1](b.md) | [«](c.md)\n\n- [2](d.md)\n", "[1](b.en.md) | [«](c.en.md)\n\n- [2](d.en.md)\n", 3},
		{"in a heading", "## [标题](b.md)\n", "## [标题](b.en.md)\n", 1},
		{"in a list and a quote", "- [a](b.md)\n  - [c](c.md)\n\n> [d](d.md)\n", "- [a](b.en.md)\n  - [c](c.en.md)\n\n> [d](d.en.md)\n", 3},
		{"in a block quote over two lines", "> 一[a](\n> b.md)\n", "> 一[a](\n> b.en.md)\n", 1},
		{"in a table", "| 甲 | 乙 |\n| --- | --- |\n| [a](b.md) | [c](c.md#x) |\n", "| 甲 | 乙 |\n| --- | --- |\n| [a](b.en.md) | [c](c.en.md#x) |\n", 2},
		{"in a footnote", "正文[^1]\n\n[^1]: 注[a](b.md)。\n", "正文[^1]\n\n[^1]: 注[a](b.en.md)。\n", 1},
		{"reference definition", "[a][r]\n\n[r]: b.md\n", "[a][r]\n\n[r]: b.en.md\n", 1},
		{"reference definition, title on the next line", "[r]\n\n[r]:\n  <b.md>\n  'T'\n", "[r]\n\n[r]:\n  <b.en.md>\n  'T'\n", 1},
		{"two definitions", "[a][r] [b][s]\n\n[r]: b.md \"T\"\n[s]: https://x.org/s.md\n", "[a][r] [b][s]\n\n[r]: b.en.md \"T\"\n[s]: https://x.org/s.md\n", 1},
		{"CRLF", "一[a](b.md)\r\n二[c](c.md)\r\n", "一[a](b.en.md)\r\n二[c](c.en.md)\r\n", 2},
		{"a label defined twice", "[r] [R]\n\n[r]: a.md\n[R]: <b.md>\n", "[r] [R]\n\n[r]: a.en.md\n[R]: <b.en.md>\n", 2},
		{"rewriter declines", "[a](README.md)\n", "[a](README.md)\n", 0},
		{"URL", "[a](https://x.org/b.md) [b](HTTP://x.org/b.md)\n", "[a](https://x.org/b.md) [b](HTTP://x.org/b.md)\n", 0},
		{"mailto", "[a](mailto:x@y.md)\n", "[a](mailto:x@y.md)\n", 0},
		{"host without scheme", "[a](//x.org/b.md)\n", "[a](//x.org/b.md)\n", 0},
		{"anchor", "[a](#b.md)\n", "[a](#b.md)\n", 0},
		{"query only", "[a](?b.md)\n", "[a](?b.md)\n", 0},
		{"image", "![a](b.md)\n", "![a](b.md)\n", 0},
		{"code span", "`[a](b.md)` 一\n", "`[a](b.md)` 一\n", 0},
		{"fenced code", "```\n[a](b.md)\n```\n", "```\n[a](b.md)\n```\n", 0},
		{"indented code", "    [a](b.md)\n", "    [a](b.md)\n", 0},
		{"raw HTML", "<a href=\"b.md\">a</a> 一\n\n<p><a href=\"b.md\">b</a></p>\n", "<a href=\"b.md\">a</a> 一\n\n<p><a href=\"b.md\">b</a></p>\n", 0},
		{"autolink", "<https://x.org/b.md> 一\n", "<https://x.org/b.md> 一\n", 0},
		{"empty destination", "[a]() 一\n", "[a]() 一\n", 0},
		{"a definition in a list is left", "- [r]: b.md\n", "- [r]: b.md\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := hugoPageOf(t, tt.src, "", enLinks)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hugoPage(%q) (-want +got):\n%s", tt.src, diff)
			}
			if st.links != tt.links || st.kept != 0 {
				t.Errorf("hugoPage(%q): %d links rewritten, %d kept, want %d and 0", tt.src, st.links, st.kept, tt.links)
			}
		})
	}
}

// TestHugoLinksKept checks that a rewrite that would change the document
// beyond its destinations is not made: a | in a table cell's link would
// cut the cell in two.
func TestHugoLinksKept(t *testing.T) {
	src := "| 甲 |\n| --- |\n| [a](b.md) |\n\n[c](c.md)\n"
	pipe := func(p string) (string, bool) { return "x|" + p, true }
	got, st := hugoPageOf(t, src, "", pipe)
	if got != src || st.kept != 2 || st.links != 0 {
		t.Errorf("hugoPage(%q) = %q, %d kept, %d rewritten; want the source, 2 kept", src, got, st.kept, st.links)
	}
}

func TestHugoFrontMatter(t *testing.T) {
	const key = "2021/a"
	const line = `translationKey: "2021/a"`
	tests := []struct {
		name, src, key, want string
	}{
		{"no front matter: title from the heading", "## 标题\n\n正文。\n", key,
			"---\ntitle: \"标题\"\n" + line + "\n---\n## 标题\n\n正文。\n"},
		{"the highest heading wins over a navigation line", "###  [返回](README.md)\n\n## 标题\n\n# \n", key,
			"---\ntitle: \"标题\"\n" + line + "\n---\n###  [返回](README.md)\n\n## 标题\n\n# \n"},
		{"setext heading, quotes and colons", "Title: \"A\" \\ B\n===\n", key,
			"---\ntitle: \"Title: \\\"A\\\" \\\\ B\"\n" + line + "\n---\nTitle: \"A\" \\ B\n===\n"},
		{"no heading: the key alone", "正文。\n", key, "---\n" + line + "\n---\n正文。\n"},
		{"a heading of digits, an empty one, code and a link", "#\n\n## 2021\n\n# `x` [链接](a.md) *强调*\n", key,
			"---\ntitle: \"x 链接 强调\"\n" + line + "\n---\n#\n\n## 2021\n\n# `x` [链接](a.md) *强调*\n"},
		{"a setext heading under an ATX one", "## 二级\n\n一级\n===\n", key, "---\ntitle: \"一级\"\n" + line + "\n---\n## 二级\n\n一级\n===\n"},
		{"empty document", "", key, "---\n" + line + "\n---\n"},
		{"a rule first is no front matter", "---\n正文\n", key, "---\n" + line + "\n---\n---\n正文\n"},
		{"CRLF", "## 标题\r\n\r\n正文。\r\n", key, "---\r\ntitle: \"标题\"\r\n" + line + "\r\n---\r\n## 标题\r\n\r\n正文。\r\n"},
		{"byte order mark stays first", "\ufeff正文。\n", key, "\ufeff---\n" + line + "\n---\n正文。\n"},
		{"no key: nothing added", "正文。\n", "", "正文。\n"},
		{"front matter gains the key", "---\ntitle: 标题\ndate: 2021-06-10\n---\n\n正文。\n", key,
			"---\ntitle: 标题\ndate: 2021-06-10\n" + line + "\n---\n\n正文。\n"},
		{"closed by ...", "---\ntitle: 标题\n...\n正文。\n", key, "---\ntitle: 标题\n" + line + "\n...\n正文。\n"},
		{"CRLF front matter", "---\r\ntitle: 标题\r\n---\r\n正文。\r\n", key, "---\r\ntitle: 标题\r\n" + line + "\r\n---\r\n正文。\r\n"},
		{"after a block scalar", "---\ndescription: |\n  一\n  二\n---\n正文。\n", key, "---\ndescription: |\n  一\n  二\n" + line + "\n---\n正文。\n"},
		{"byte order mark and front matter", "\ufeff---\ntitle: 标题\n---\n正文。\n", key, "\ufeff---\ntitle: 标题\n" + line + "\n---\n正文。\n"},
		{"own key kept", "---\ntranslationKey: mine\n---\n正文。\n", key, "---\ntranslationKey: mine\n---\n正文。\n"},
		{"own key, not a string", "---\ntranslationKey: 5\n---\n", key, "---\ntranslationKey: 5\n---\n"},
		{"indented mapping", "---\n  title: 标题\n  date: 2021\n---\n", key, "---\n  title: 标题\n  date: 2021\n  " + line + "\n---\n"},
		{"first when last would be taken into a value", "---\n a: 国\n。\n---\n", key, "---\n " + line + "\n a: 国\n。\n---\n"},
		{"empty front matter", "---\n---\n正文。\n", key, "---\n" + line + "\n---\n正文。\n"},
		{"comments only", "---\n# 注释\n---\n", key, "---\n# 注释\n" + line + "\n---\n"},
		{"own key in another case", "---\nTranslationkey: mine\n---\n", key, "---\nTranslationkey: mine\n---\n"},
		{"own key quoted", "---\n\"translationKey\" : 'mine'\n---\n", key, "---\n\"translationKey\" : 'mine'\n---\n"},
		{"another key", "---\ntranslationKeys: x\n---\n", key, "---\ntranslationKeys: x\n" + line + "\n---\n"},
		{"a nested key is not the page's", "---\nparams:\n  translationKey: x\n---\n", key, "---\nparams:\n  translationKey: x\n" + line + "\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := hugoPageOf(t, tt.src, tt.key, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hugoPage(%q) (-want +got):\n%s", tt.src, diff)
			}
			if tt.key != "" {
				checkHugoFile(t, tt.name, []byte(got))
			}
		})
	}
}

// TestHugoFrontMatterRefused checks front matter Hugo could not build
// (not YAML, not a mapping), front matter a key line cannot go into, and
// TOML front matter, which diglot reads as text: the page is refused with
// ErrFrontMatter rather than written broken.
func TestHugoFrontMatterRefused(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: [未闭合\n---\n正文。\n",
		"---\n- 一\n- 二\n---\n",
		"---\n只是一句话\n---\n",
		"---\n{title: 标题}\n---\n",
		"+++\ntitle = \"标题\"\n+++\n正文。\n",
	} {
		doc, err := markdown.Parse([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := hugoPage(doc, nil, "k", nil); !errors.Is(err, ErrFrontMatter) {
			t.Errorf("hugoPage(%q): %v, want ErrFrontMatter", src, err)
		}
	}
}

// TestHugoKeptSourceKey checks that a target whose front matter lost the
// source's translationKey (a reviewer deleted the line) gets the source's
// line back, not the derived key: both languages must carry one key.
func TestHugoKeptSourceKey(t *testing.T) {
	src := []byte("---\ntitle: 标题\ntranslationKey: >-\n  summit-2022\n---\n正文。\n")
	f := bilingualFile(t, "a.md", src, pseudoTargets)
	if len(f.Units) == 0 || f.Units[0].Block != 0 {
		t.Fatal("the front matter is not a unit")
	}
	// What a reviewer who removed the key line leaves.
	f.Units[0].TargetBytes = []byte("---\ntitle: 栎颟\n---\n")
	site := NewHugoSite(nil)
	if _, err := site.Add("a.md", f.Header, f.SourceKey()); err != nil {
		t.Fatal(err)
	}
	page, err := site.TargetPage("a.md", f)
	if err != nil {
		t.Fatal(err)
	}
	want := "---\ntitle: 栎颟\ntranslationKey: \"summit-2022\"\n---\n"
	if !strings.HasPrefix(string(page), want) {
		t.Errorf("TargetPage = %q, want it to start with %q", page, want)
	}
	if k := checkHugoFile(t, "a.en.md", page); k != "summit-2022" {
		t.Errorf("translationKey %q, want summit-2022", k)
	}
}

func TestHugoSiteAdd(t *testing.T) {
	zh := func(from string) Header { return Header{Source: "zh", Target: "en", From: from} }
	tests := []struct {
		name string
		tree bool
		add  string
		h    Header
		own  string
		want HugoPaths
		err  error
	}{
		{"by file name", false, "2021/a.md", zh("2021/a.md"), "", HugoPaths{"2021/a.en.md", "2021/a.zh.md", "2021/a"}, nil},
		{"by directory", true, "2021/a.md", zh("2021/a.md"), "", HugoPaths{"content/en/2021/a.md", "content/zh/2021/a.md", "2021/a"}, nil},
		// Translated alone (translate hs/2021 -o bi/2021), published with the
		// rest (publish bi): the key is where the article is published.
		{"the key follows the name, not from=", false, "2021/a.md", zh("a.md"), "", HugoPaths{"2021/a.en.md", "2021/a.zh.md", "2021/a"}, nil},
		{"a deeper from= is not the key either", false, "a.md", zh("articles/2021/a.md"), "", HugoPaths{"a.en.md", "a.zh.md", "a"}, nil},
		{"the source's own key", false, "2021/a.md", zh("a.md"), "summit-2021", HugoPaths{"2021/a.en.md", "2021/a.zh.md", "summit-2021"}, nil},
		{"no from=", false, "x/a.md", Header{Source: "zh", Target: "en"}, "", HugoPaths{"x/a.en.md", "x/a.zh.md", "x/a"}, nil},
		{"source language suffix replaced", false, "x/a.zh.md", zh("x/a.zh.md"), "", HugoPaths{"x/a.en.md", "x/a.zh.md", "x/a"}, nil},
		{"source language suffix in a tree", true, "a.ZH.md", zh("a.ZH.md"), "", HugoPaths{"content/en/a.md", "content/zh/a.md", "a"}, nil},
		{"a name that is only a suffix", false, ".zh.md", zh(""), "", HugoPaths{".zh.en.md", ".zh.zh.md", ".zh"}, nil},
		{"other extension", false, "a.markdown", zh(""), "", HugoPaths{"a.en.markdown", "a.zh.markdown", "a"}, nil},
		{"tags in lower case", false, "a.md", Header{Source: "zh-Hans", Target: "pt-BR"}, "", HugoPaths{"a.pt-br.md", "a.zh-hans.md", "a"}, nil},
		{"index of a bundle", false, "post/index.md", zh(""), "", HugoPaths{"post/index.en.md", "post/index.zh.md", "post/index"}, nil},
		{"name outside the tree", false, "../a.md", zh(""), "", HugoPaths{}, ErrHugoName},
		{"absolute name", false, "/a.md", zh(""), "", HugoPaths{}, ErrHugoName},
		{"unclean name", false, "x//a.md", zh(""), "", HugoPaths{}, ErrHugoName},
		{"language that is a path", false, "a.md", Header{Source: "zh", Target: "../en"}, "", HugoPaths{}, ErrHugoName},
		{"no language", false, "a.md", Header{Target: "en"}, "", HugoPaths{}, ErrHugoName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewHugoSite(&HugoOptions{Tree: tt.tree}).Add(tt.add, tt.h, tt.own)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Add(%q) error %v, want %v", tt.add, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Add(%q) = %+v, want %+v", tt.add, got, tt.want)
			}
		})
	}
}

// TestHugoSiteDuplicates checks that an article is refused when its pages
// or its key are another's: Hugo would build either site without a word,
// one page hiding the other or pairing the wrong languages' pages.
func TestHugoSiteDuplicates(t *testing.T) {
	type article struct{ name, from, own string }
	tests := []struct {
		name  string
		first article
		then  article
		err   error // nil: both added
	}{
		{"the same page", article{"a.md", "", ""}, article{"a.zh.md", "", ""}, ErrHugoDuplicate},
		{"added twice", article{"a.md", "", ""}, article{"a.md", "", ""}, ErrHugoDuplicate},
		{"the same key by name", article{"a.md", "", ""}, article{"a.markdown", "", ""}, ErrHugoKey},
		{"an own key that is another's name", article{"2021/a.md", "", ""}, article{"x.md", "", "2021/a"}, ErrHugoKey},
		{"an own key twice", article{"a.md", "", "k"}, article{"b.md", "", "k"}, ErrHugoKey},
		// Translated in separate runs: both from= a.md, and keys apart.
		{"the same from= in two directories", article{"2021/a.md", "a.md", ""}, article{"misc/a.md", "a.md", ""}, nil},
		{"another article", article{"a.md", "", ""}, article{"b.md", "", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewHugoSite(nil)
			h := func(a article) Header { return Header{Source: "zh", Target: "en", From: a.from} }
			if _, err := s.Add(tt.first.name, h(tt.first), tt.first.own); err != nil {
				t.Fatal(err)
			}
			_, err := s.Add(tt.then.name, h(tt.then), tt.then.own)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Add(%q) after %q: %v, want %v", tt.then.name, tt.first.name, err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.first.name) {
				t.Errorf("the error does not name the first article, %s: %v", tt.first.name, err)
			}
		})
	}
}

// TestHugoLinker checks links between articles that were translated in
// separate runs (their from= paths relative to each run's directory) and
// are published together: links follow the names, where the articles lie
// in the publish's input and its output.
func TestHugoLinker(t *testing.T) {
	for _, tree := range []bool{false, true} {
		s := NewHugoSite(&HugoOptions{Tree: tree})
		h := func(from string) Header { return Header{Source: "zh", Target: "en", From: from} }
		for _, a := range [][2]string{
			{"2021/a.md", "a.md"}, {"2021/b.md", "b.md"}, {"2022/c.zh.md", "c.zh.md"},
			{"2021/deep/d.md", "deep/d.md"}, {"misc/b.md", "b.md"},
			{"2022/refused.md", "refused.md"},
		} {
			if _, err := s.Add(a[0], h(a[1]), ""); err != nil {
				t.Fatal(err)
			}
		}
		s.Unlink("2022/refused.md")
		tests := []struct {
			link, files, tree string // "" means kept
		}{
			{"b.md", "b.en.md", "b.md"},
			{"./b.md", "b.en.md", "b.md"},
			{"a.md", "a.en.md", "a.md"},
			{"../2022/c.zh.md", "../2022/c.en.md", "../2022/c.md"},
			{"../2021/../2021/b.md", "b.en.md", "b.md"},
			{"deep/d.md", "deep/d.en.md", "deep/d.md"},
			{"../misc/b.md", "../misc/b.en.md", "../misc/b.md"},
			{"/2021/b.md", "/2021/b.en.md", "/2021/b.md"},
			{"//2021/b.md", "/2021/b.en.md", "/2021/b.md"},
			{"/2022/c.zh.md", "/2022/c.en.md", "/2022/c.md"},
			{"/2021/deep/d.md", "/2021/deep/d.en.md", "/2021/deep/d.md"},
			{"../2022/refused.md", "", ""},
			{"c.md", "", ""},            // c.zh.md's from=, relative to its run: not where it is
			{"/b.md", "", ""},           // b.md's from=, from its run's root
			{"../../2021/b.md", "", ""}, // outside the site
			{"b", "", ""},
		}
		link := s.linker(s.articles["2021/a.md"], sideTarget)
		for _, tt := range tests {
			want := tt.files
			if tree {
				want = tt.tree
			}
			got, ok := link(tt.link)
			if !ok {
				got = ""
			}
			if got != want {
				t.Errorf("tree=%v: link(%q) = %q, %v; want %q", tree, tt.link, got, ok, want)
			}
		}
	}
}

func TestRelPath(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{".", "b.md", "b.md"},
		{".", "x/b.md", "x/b.md"},
		{"x", "x/b.md", "b.md"},
		{"x", "y/b.md", "../y/b.md"},
		{"x/y", "x/b.md", "../b.md"},
		{"x/y", "b.md", "../../b.md"},
		{"x", "x", "../x"},
	}
	for _, tt := range tests {
		if got := relPath(tt.from, tt.to); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestHugoPageWrongPair(t *testing.T) {
	f := bilingualFile(t, "a.md", []byte("正文。\n"), copyTargets)
	s := NewHugoSite(nil)
	if _, err := s.Add("a.md", Header{Source: "zh", Target: "ja"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TargetPage("a.md", f); !errors.Is(err, ErrPair) {
		t.Errorf("TargetPage of a file of another pair: %v, want ErrPair", err)
	}
	if _, err := s.SourcePage("b.md", f); !errors.Is(err, ErrHugoName) {
		t.Errorf("SourcePage of an article not added: %v, want ErrHugoName", err)
	}
}

func TestReadHeader(t *testing.T) {
	f := bilingualFile(t, "x/a.md", []byte("---\ntitle: 标题\n---\n正文。\n"), copyTargets)
	var bi strings.Builder
	if err := WriteBilingual(&bi, f.Bilingual(), f.Format); err != nil {
		t.Fatal(err)
	}
	data := bi.String()
	h, err := ReadHeader("a.md", []byte(data[:strings.Index(data, "-->")+4]), testFormat)
	if err != nil {
		t.Fatalf("ReadHeader of the file up to its header: %v", err)
	}
	if h.Source != "zh" || h.Target != "en" || h.From != "x/a.md" {
		t.Errorf("ReadHeader = %+v", h)
	}
	var pe *ParseError
	if _, err := ReadHeader("b.md", []byte("正文。\n"), testFormat); !errors.Is(err, ErrNoHeader) || !errors.As(err, &pe) || pe.File != "b.md" {
		t.Errorf("ReadHeader of a plain file: %v, want a *ParseError wrapping ErrNoHeader", err)
	}
	if _, err := ReadHeader("a.md", []byte(data), Format{Source: "zh", Target: "ja"}); !errors.Is(err, ErrPair) || !strings.Contains(err.Error(), "zh→en, not zh→ja") {
		t.Errorf("ReadHeader for another pair: %v, want ErrPair naming both", err)
	}
	if _, err := ReadHeader("a.md", []byte(data), Format{}); err != nil {
		t.Errorf("ReadHeader for any pair: %v", err)
	}
}

func TestTooDeep(t *testing.T) {
	var stairs strings.Builder
	for i := range 300 {
		stairs.WriteString(strings.Repeat("  ", i) + "- 项目\n")
	}
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"article", "## 标题\n\n> 引用\n> > 再引\n\n- 一\n  1. 二\n", false},
		{"long rules", strings.Repeat("-", 3000) + "\n" + strings.Repeat("* ", 100) + "\n", false},
		{"numbers", strings.Repeat("1.5 ", 300) + "\n", false},
		{"quotes", strings.Repeat(">", 300) + " [a](b.md)\n", true},
		{"lists", strings.Repeat("- ", 300) + "[a](b.md)\n", true},
		{"ordered lists", strings.Repeat("1. ", 300) + "[a](b.md)\n", true},
		{"stairs", stairs.String(), true},
	}
	for _, tt := range tests {
		if got := tooDeep([]byte(tt.src), 64); got != tt.want {
			t.Errorf("%s: tooDeep = %v, want %v", tt.name, got, tt.want)
		}
	}
	// A page that deep keeps its links and still gets its key.
	src := strings.Repeat(">", 10000) + " [a](b.md)\n"
	got, st := hugoPageOf(t, src, "k", enLinks)
	if want := "---\ntranslationKey: \"k\"\n---\n" + src; got != want || st.links != 0 {
		t.Errorf("a deep page: %d links rewritten, page starts %q", st.links, head([]byte(got)))
	}
}

// TestReadHugoHeader checks the key read from the start of a bilingual
// file, before its header: the source's own, as the page will carry it.
func TestReadHugoHeader(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no front matter", "正文。\n", ""},
		{"no key", "---\ntitle: 标题\n---\n正文。\n", ""},
		{"a key", "---\ntitle: 标题\ntranslationKey: summit-2021\n---\n正文。\n", "summit-2021"},
		{"a key in another case, a byte order mark", "\ufeff---\nTranslationKey: \"k\"\n---\n正文。\n", "k"},
		{"a nested key", "---\nparams:\n  translationKey: x\n---\n正文。\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := bilingualFile(t, "x/a.md", []byte(tt.src), copyTargets)
			var bi strings.Builder
			if err := WriteBilingual(&bi, f.Bilingual(), f.Format); err != nil {
				t.Fatal(err)
			}
			data := bi.String()
			h, own, err := ReadHugoHeader("a.md", []byte(data[:strings.Index(data, "-->")+4]), testFormat)
			if err != nil || h.From != "x/a.md" || own != tt.want {
				t.Errorf("ReadHugoHeader = %+v, %q, %v; want from= x/a.md and key %q", h, own, err, tt.want)
			}
			if got := f.SourceKey(); got != own {
				t.Errorf("SourceKey = %q, ReadHugoHeader's key %q", got, own)
			}
		})
	}
	if _, _, err := ReadHugoHeader("b.md", []byte("---\ntranslationKey: k\n---\n正文。\n"), testFormat); !errors.Is(err, ErrNoHeader) {
		t.Errorf("ReadHugoHeader of a plain file: %v, want ErrNoHeader", err)
	}
}

// TestHugoKeyMismatch checks that no page pair is made with two keys: a
// target whose front matter sets a key of its own (a reviewer's edit) that
// its source page would not carry, or a file whose source sets another key
// than it did when it was added.
func TestHugoKeyMismatch(t *testing.T) {
	tests := []struct {
		name, src, target, own string
		err                    error
	}{
		{"the target keeps the source's key", "---\ntitle: 标题\ntranslationKey: k\n---\n正文。\n", "---\ntitle: T\ntranslationKey: k\n---\n", "k", nil},
		{"the target sets the derived key", "---\ntitle: 标题\n---\n正文。\n", "---\ntitle: T\ntranslationKey: a\n---\n", "", nil},
		{"the target sets another key", "---\ntitle: 标题\ntranslationKey: k\n---\n正文。\n", "---\ntitle: T\ntranslationKey: j\n---\n", "k", ErrHugoKey},
		{"the target sets one, the source none", "---\ntitle: 标题\n---\n正文。\n", "---\ntitle: T\ntranslationKey: j\n---\n", "", ErrHugoKey},
		{"the source's key changed since Add", "---\ntitle: 标题\ntranslationKey: k\n---\n正文。\n", "", "old", ErrHugoKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := bilingualFile(t, "a.md", []byte(tt.src), pseudoTargets)
			if tt.target != "" {
				f.Units[0].TargetBytes = []byte(tt.target)
			}
			site := NewHugoSite(nil)
			if _, err := site.Add("a.md", f.Header, tt.own); err != nil {
				t.Fatal(err)
			}
			page, err := site.TargetPage("a.md", f)
			if !errors.Is(err, tt.err) {
				t.Fatalf("TargetPage: %v, want %v", err, tt.err)
			}
			if err == nil {
				if _, err := site.SourcePage("a.md", f); err != nil {
					t.Fatal(err)
				}
				checkHugoFile(t, "a.en.md", page)
			}
		})
	}
}
