package out

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"

	"github.com/diglot/diglot/markdown"
)

// The Hugo layout (publish --layout hugo) writes each article as Hugo
// content in the target language, and optionally in the source language,
// following Hugo's multilingual conventions:
//
//   - translation by file name (the default): NAME.LANG.EXT at the
//     article's place in the output tree, so the target page lies beside
//     the source article of a site whose content directory the output
//     mirrors;
//   - translation by content directory (HugoOptions.Tree):
//     content/LANG/REL, one tree per language.
//
// A source name that already ends in the source language (a.zh.md) has
// that suffix replaced (a.en.md). Language codes are written in lower
// case, as Hugo's language keys are.
//
// Keys: an article's translationKey is the one its source's front matter
// sets, else its name (its path under the publish's input directory)
// without extension and source-language suffix: 2021/a.md and 2021/a.zh.md
// are 2021/a. The name, not the header's from= path, because from= is
// relative to the directory one translate run was given: articles
// translated in several runs (2021 into bi/2021, 2022 into bi/2022) would
// all be a, b, c. Hugo pairs the language versions of a page by key, so
// one key given to two articles would pair the wrong pages, and with no
// error from Hugo: Add refuses the second article (ErrHugoKey), naming the
// first, rather than publish a site whose language switcher is wrong.
//
// Front matter: the target page's is the translated front matter, every
// other field byte for byte, with a translationKey line added when it sets
// none. Hugo pairs a page that sets translationKey only with pages that
// set the same key, so both languages' pages must carry it: a target page
// whose front matter sets another key than its source page would carry is
// refused (ErrHugoKey). Front matter is read as YAML, as Hugo reads it:
// front matter Hugo could not read (not a mapping, a key given twice)
// refuses the page with ErrFrontMatter. A page without front matter gets a
// minimal one: the text of its first heading of the highest level as title
// (none without a heading) and the key.
//
// Links: the destination of an inline link or link reference definition
// that names another article of the site by its name (relative to the
// linking article's, or starting with / for the publish's input directory,
// the site's content directory) is rewritten to that article's page in the
// same language, its #fragment and ?query kept. Hugo's embedded link
// render hook resolves such a destination with GetPage in the page's own
// language, ignoring the language suffix, and any Markdown viewer follows
// it to the file; a relref shortcode would work in Hugo alone. Everything
// else stays as it is: links to files outside the site, URLs, anchors,
// images, code, raw HTML. Inline links are found by goldmark's own link
// parser, wrapped to note where each destination is, so code spans and
// blocks are never touched, and links in blocks with nothing to translate
// are found too; definitions are read from the document's top-level
// definition blocks. Every page is read back before it is returned: its
// links and definitions must be the planned ones, or none is rewritten.

// HugoOptions configure a HugoSite. A nil *HugoOptions means the
// defaults: translation by file name.
type HugoOptions struct {
	// Tree names pages by content directory, content/LANG/REL, instead of
	// NAME.LANG.EXT beside the article.
	Tree bool
}

// HugoPaths says where an article's pages go, relative to the output
// directory, slash-separated, and the translationKey they carry.
type HugoPaths struct {
	Target, Source string
	Key            string
}

// Errors of HugoSite.Add.
var (
	// ErrHugoName means an article's name cannot be mapped to a page: not
	// a clean relative slash-separated path, or a language tag that cannot
	// be part of a file name.
	ErrHugoName = errors.New("out: no Hugo page name")
	// ErrHugoDuplicate means two articles would make the same page (a.md
	// and a.zh.md both make a.en.md).
	ErrHugoDuplicate = errors.New("out: two articles make the same Hugo page")
	// ErrHugoKey means an article's pages cannot carry a translationKey of
	// their own: another article of the site has it already, or its
	// target's front matter sets another key than its source page would
	// carry.
	ErrHugoKey = errors.New("out: translationKey")
)

// HugoSite holds the articles of one Hugo publish: where each one's pages
// go and how links between them are rewritten. Add every article first,
// then make the pages. It is not safe for concurrent use while articles
// are added; making pages only reads it.
type HugoSite struct {
	tree     bool
	articles map[string]*hugoArticle // by name
	pages    map[string]string       // page path to the name of its article
	keys     map[string]string       // translationKey to the name of its article
}

// hugoArticle is one article of a HugoSite.
type hugoArticle struct {
	name   string
	header Header
	own    string // the translationKey its source sets, or ""
	key    string // the translationKey its pages carry
	// page holds the page paths within their language roots, and root the
	// roots ("" by file name, content/LANG by directory), indexed by side.
	page, root [2]string
	linked     bool // links to it are rewritten
}

// The sides of an article.
const (
	sideTarget = 0
	sideSource = 1
)

// NewHugoSite returns an empty site.
func NewHugoSite(opts *HugoOptions) *HugoSite {
	s := &HugoSite{articles: map[string]*hugoArticle{}, pages: map[string]string{}, keys: map[string]string{}}
	if opts != nil {
		s.tree = opts.Tree
	}
	return s
}

// Add registers the article called name, its path in the output tree
// (slash-separated, relative: its path under the publish's input
// directory), read from a bilingual file with header h whose source's
// front matter sets translationKey own ("" for none; ReadHugoHeader and
// File.SourceKey read it), and returns its page paths and key: own, else
// name without its extension and source-language suffix. The header's
// from= path plays no part: it is relative to a translate run's
// directory, which need not be the publish's. A key another article has
// already is refused with ErrHugoKey. Links to the article are rewritten
// until Unlink is called for it.
func (s *HugoSite) Add(name string, h Header, own string) (HugoPaths, error) {
	if !cleanRel(name) {
		return HugoPaths{}, fmt.Errorf("%w: %q is not a relative slash-separated path", ErrHugoName, name)
	}
	if _, dup := s.articles[name]; dup {
		return HugoPaths{}, fmt.Errorf("%w: %s added twice", ErrHugoDuplicate, name)
	}
	langs := [2]string{strings.ToLower(h.Target), strings.ToLower(h.Source)}
	for _, l := range langs {
		if !validLangName(l) {
			return HugoPaths{}, fmt.Errorf("%w: %s: language %q cannot name a page", ErrHugoName, name, l)
		}
	}
	a := &hugoArticle{name: name, header: h, own: own, key: own, linked: true}
	if a.key == "" {
		a.key = stripLang(strings.TrimSuffix(name, path.Ext(name)), langs[sideSource])
	}
	dir, base := path.Split(name)
	ext := path.Ext(base)
	stem := stripLang(strings.TrimSuffix(base, ext), langs[sideSource])
	for side, l := range langs {
		if s.tree {
			a.root[side] = "content/" + l
			a.page[side] = dir + stem + ext
		} else {
			a.page[side] = dir + stem + "." + l + ext
		}
	}
	p := HugoPaths{Target: a.path(sideTarget), Source: a.path(sideSource), Key: a.key}
	for _, pg := range []string{p.Target, p.Source} {
		if other, ok := s.pages[pg]; ok {
			return HugoPaths{}, fmt.Errorf("%w: %s and %s both make %s", ErrHugoDuplicate, other, name, pg)
		}
	}
	if other, ok := s.keys[a.key]; ok {
		return HugoPaths{}, fmt.Errorf("%w %q of %s is %s's already (Hugo would pair the wrong pages): set another in the front matter of one of them",
			ErrHugoKey, a.key, name, other)
	}
	s.pages[p.Target], s.pages[p.Source] = name, name
	s.keys[a.key] = name
	s.articles[name] = a
	return p, nil
}

// Unlink leaves links to the article called name as they are: its pages
// will not be written (a publish requirement refused it).
func (s *HugoSite) Unlink(name string) {
	if a := s.articles[name]; a != nil {
		a.linked = false
	}
}

// TargetPage returns the target page of the article called name, made
// from its bilingual file f: the target document with translationKey in
// its front matter and links to other articles of the site pointing to
// their target pages.
func (s *HugoSite) TargetPage(name string, f *File) ([]byte, error) {
	a, err := s.article(name, f)
	if err != nil {
		return nil, err
	}
	doc, err := markdown.Parse(f.TargetDocument(), f.Format.Markdown)
	if err != nil {
		return nil, fmt.Errorf("target page: %w", err)
	}
	// Should the target have lost the source's key, it gets it back; one
	// it set otherwise would unpair the languages' pages.
	if got, want := carriedKey(doc, a.key), carriedKey(f.Source, a.key); got != want {
		return nil, fmt.Errorf("target page: %w %q set in the target's front matter, but the source page carries %q", ErrHugoKey, got, want)
	}
	page, _, err := hugoPage(doc, f.Format.Markdown, a.key, s.linker(a, sideTarget))
	if err != nil {
		return nil, fmt.Errorf("target page: %w", err)
	}
	return page, nil
}

// SourcePage returns the source page of the article called name: the
// source document with translationKey in its front matter and links to
// other articles of the site pointing to their source pages.
func (s *HugoSite) SourcePage(name string, f *File) ([]byte, error) {
	a, err := s.article(name, f)
	if err != nil {
		return nil, err
	}
	page, _, err := hugoPage(f.Source, f.Format.Markdown, a.key, s.linker(a, sideSource))
	if err != nil {
		return nil, fmt.Errorf("source page: %w", err)
	}
	return page, nil
}

// article returns the article called name, checking that f is of its
// language pair and sets its key: its pages were named after the header
// Add was given, and its key checked against the others'.
func (s *HugoSite) article(name string, f *File) (*hugoArticle, error) {
	a := s.articles[name]
	if a == nil {
		return nil, fmt.Errorf("%w: %s was not added to the site", ErrHugoName, name)
	}
	if !strings.EqualFold(a.header.Source, f.Header.Source) || !strings.EqualFold(a.header.Target, f.Header.Target) {
		return nil, fmt.Errorf("%w: %s pairs %s now, not %s", ErrPair, name,
			pairString(f.Header.Source, f.Header.Target), pairString(a.header.Source, a.header.Target))
	}
	if own := f.SourceKey(); own != a.own {
		return nil, fmt.Errorf("%w: %s sets %q now, not %q as when it was added", ErrHugoKey, name, own, a.own)
	}
	return a, nil
}

// path returns the page path of side, relative to the output directory.
func (a *hugoArticle) path(side int) string {
	if a.root[side] == "" {
		return a.page[side]
	}
	return a.root[side] + "/" + a.page[side]
}

// cleanRel reports whether p is a clean, relative, slash-separated path
// inside its root.
func cleanRel(p string) bool {
	return p != "" && p != "." && path.Clean(p) == p && !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../") && !strings.Contains(p, "\\")
}

// validLangName reports whether a lower-cased language tag can be part of
// a file name: BCP 47 tags are letters, digits and hyphens.
func validLangName(l string) bool {
	if l == "" {
		return false
	}
	for _, c := range []byte(l) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// stripLang removes a ".LANG" suffix from stem, so that a source named
// after its language (a.zh) names its pages a.en and a.zh, not a.zh.en.
func stripLang(stem, lang string) string {
	if n := len(stem) - len(lang) - 1; n > 0 && stem[n] == '.' && strings.EqualFold(stem[n+1:], lang) && stem[n-1] != '/' {
		return stem[:n]
	}
	return stem
}

// hugoStats counts what hugoPage did.
type hugoStats struct {
	links int // destinations rewritten
	kept  int // destinations that would have been rewritten, kept because the page did not read back
}

// hugoPage returns doc as a Hugo page: translationKey set to key (unless
// key is empty) in its front matter when that sets none, or in a minimal
// front matter when it has none, and the link destinations link
// rewrites. opts are the markdown options doc was parsed with. The page
// is parsed back and checked: its front matter must read as such, and its
// links and reference definitions as planned; should they not, no link is
// rewritten.
func hugoPage(doc *markdown.Document, opts *markdown.Options, key string, link func(string) (string, bool)) ([]byte, hugoStats, error) {
	var st hugoStats
	src := doc.Source()
	if link != nil && tooDeep(src[bodyStart(doc):], maxDepth(opts)) {
		// goldmark takes quadratic time over deep nesting, which markdown
		// bounds by reading it as plain text: its links stay as they are.
		link = nil
	}
	plan := planLinks(src, bodyStart(doc), doc.Blocks, link)
	page, body, err := buildPage(doc, key, plan)
	if err != nil {
		return nil, st, err
	}
	err = checkHugoPage(page, body, plan)
	if err != nil && plan.n > 0 {
		st.kept = plan.n
		plan = linkPlan{}
		if page, body, err = buildPage(doc, key, plan); err == nil {
			err = checkHugoPage(page, body, plan)
		}
	}
	if err != nil {
		return nil, st, err
	}
	st.links = plan.n
	return page, st, nil
}

// bodyStart returns where the body of doc starts: after its front matter,
// or after its byte order mark.
func bodyStart(doc *markdown.Document) int {
	if len(doc.Blocks) > 0 && doc.Blocks[0].Kind == markdown.FrontMatter {
		return doc.Blocks[0].End
	}
	if bytes.HasPrefix(doc.Source(), []byte(bom)) {
		return len(bom)
	}
	return 0
}

// buildPage writes the page: the front matter with key, or a minimal one
// (after the byte order mark, if any), then the body with plan's edits.
// It returns where the page's body starts.
func buildPage(doc *markdown.Document, key string, plan linkPlan) ([]byte, int, error) {
	src := doc.Source()
	page := make([]byte, 0, len(src)+len(key)+64)
	pos := 0
	if bytes.HasPrefix(src, []byte(bom)) {
		page = append(page, bom...)
		pos = len(bom)
	}
	if len(doc.Blocks) > 0 && doc.Blocks[0].Kind == markdown.FrontMatter {
		fm, err := withKey(src[pos:doc.Blocks[0].End], key)
		if err != nil {
			return nil, 0, err
		}
		page = append(page, fm...)
		pos = doc.Blocks[0].End
	} else if key != "" {
		if line, _ := lineAt(src, pos); strings.TrimRight(string(line), " \t") == "+++" {
			// Hugo would read this as TOML front matter, which markdown
			// reads (and translate translated) as text.
			return nil, 0, fmt.Errorf("%w: TOML front matter (+++) is not read by diglot", ErrFrontMatter)
		}
		page = append(page, minimalFrontMatter(headingTitle(doc), key, firstLineEnding(src))...)
	}
	body := len(page)
	for _, e := range plan.edits {
		page = append(append(page, src[pos:e.start]...), e.text...)
		pos = e.end
	}
	return append(page, src[pos:]...), body, nil
}

// tooDeep reports whether a line of src opens far more containers than
// markdown parses (maxDepth), counting roughly: a block-quote marker, and
// a list marker followed by a space, one level each, two columns of
// indentation one. Only nesting that deep makes goldmark slow; a long
// rule of dashes or stars is no nesting.
func tooDeep(src []byte, maxDepth int) bool {
	limit := 4 * maxDepth
	for line := range bytes.Lines(src) {
		depth, cols := 0, 0
		spaced := func(i int) bool {
			return i+1 >= len(line) || line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '\n'
		}
	prefix:
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case c == ' ':
				cols++
			case c == '\t':
				cols += 4
			case c == '>':
				depth++
			case (c == '-' || c == '+' || c == '*') && spaced(i):
				depth++
			case c >= '0' && c <= '9':
				j := i
				for j < len(line) && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				if j == len(line) || (line[j] != '.' && line[j] != ')') || !spaced(j) {
					break prefix
				}
				depth++
				i = j
			default:
				break prefix
			}
		}
		if depth+cols/2 > limit {
			return true
		}
	}
	return false
}

// errReadBack means a Hugo page did not read back as its document with
// only the intended changes.
var errReadBack = errors.New("hugo page does not read back")

// checkHugoPage checks a page whose body starts at body: what precedes it
// reads as front matter (when there is more than a byte order mark), and
// when links were rewritten, the body's inline links and reference
// definitions are plan's. The body is otherwise the document's, byte for
// byte, and front matter does not change how it reads.
func checkHugoPage(page []byte, body int, plan linkPlan) error {
	if fm := stripBOM(page[:body]); len(fm) > 0 {
		d, err := markdown.Parse(fm, nil)
		if err != nil || len(d.Blocks) != 1 || d.Blocks[0].Kind != markdown.FrontMatter {
			return fmt.Errorf("%w: front matter", errReadBack)
		}
	}
	if plan.n == 0 {
		return nil
	}
	closes, refs := parseLinks(page, body)
	if len(closes) != len(plan.closes) {
		return fmt.Errorf("%w: %d links, want %d", errReadBack, len(closes), len(plan.closes))
	}
	for i, c := range closes {
		if string(page[c[0]:c[1]]) != plan.closes[i] {
			return fmt.Errorf("%w: link %q, want %q", errReadBack, page[c[0]:c[1]], plan.closes[i])
		}
	}
	if !maps.Equal(refs, plan.refs) {
		return fmt.Errorf("%w: reference definitions", errReadBack)
	}
	return nil
}

// ErrFrontMatter means a page's front matter is not what Hugo reads: a
// YAML mapping. Hugo fails to build such a page, so it is not written.
var ErrFrontMatter = errors.New("out: front matter is not a YAML mapping")

// withKey returns the front matter fm (its block: from the --- line to
// the closing line, a byte order mark first if any) with a line setting
// translationKey to key inserted before its closing line, at the
// mapping's indentation, unless it sets translationKey already (in any
// case: Hugo reads front-matter keys so) or key is empty.
func withKey(fm []byte, key string) ([]byte, error) {
	if key == "" {
		return fm, nil
	}
	body := stripBOM(fm)
	offset := len(fm) - len(body)
	le := firstLineEnding(body)
	_, start := lineAt(body, 0)
	end := -1
	for pos := start; pos < len(body); {
		line, next := lineAt(body, pos)
		if t := strings.TrimRight(string(line), " \t"); t == "---" || t == "..." {
			end = pos
			break
		}
		pos = next
	}
	if end < 0 {
		return nil, fmt.Errorf("%w: not closed", ErrFrontMatter)
	}
	m, err := yamlMapping(body[:end])
	if err != nil {
		return nil, err
	}
	if _, ok := mappingKey(m); ok {
		return fm, nil
	}
	indent := 0
	if m != nil {
		if m.Style&yaml.FlowStyle != 0 {
			return nil, fmt.Errorf("%w: a flow mapping ({…}) cannot take a translationKey line", ErrFrontMatter)
		}
		indent = m.Column - 1
	}
	line := strings.Repeat(" ", indent) + "translationKey: " + yamlString(key) + le
	// Last, or else first: a multi-line value can take in what follows it.
	for _, at := range []int{offset + end, offset + start} {
		res := make([]byte, 0, len(fm)+len(line))
		res = append(append(append(res, fm[:at]...), line...), fm[at:]...)
		// What was inserted must read as the key, in the mapping.
		m, err := yamlMapping(res[offset : offset+end+len(line)])
		if got, ok := mappingKey(m); err == nil && ok && got == key {
			return res, nil
		}
	}
	return nil, fmt.Errorf("%w: translationKey cannot be added", ErrFrontMatter)
}

// yamlMapping parses front matter from its opening --- line (a YAML
// document start, so that errors count lines from there) to its closing
// line: a YAML mapping that decodes (as Hugo decodes it), or nothing
// (nil).
func yamlMapping(content []byte) (*yaml.Node, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(content, &n); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFrontMatter, err)
	}
	if n.Kind == 0 || len(n.Content) == 0 {
		return nil, nil
	}
	m := n.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil, nil // only comments, or nothing
	}
	if m.Kind != yaml.MappingNode {
		return nil, ErrFrontMatter
	}
	// Decoding finds what the node does not show: a key given twice.
	var v map[string]any
	if err := m.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFrontMatter, err)
	}
	return m, nil
}

// mappingKey returns the value of m's translationKey (a key in any case),
// as Hugo takes it: a scalar's text.
func mappingKey(m *yaml.Node) (string, bool) {
	if m == nil {
		return "", false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, "translationKey") {
			return m.Content[i+1].Value, true
		}
	}
	return "", false
}

// frontMatterKey returns the translationKey that doc's front matter sets,
// if any.
func frontMatterKey(doc *markdown.Document) (string, bool) {
	if len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter {
		return "", false
	}
	b := doc.Blocks[0]
	return blockKey(doc.Source()[b.Start:b.End])
}

// carriedKey returns the translationKey the page of doc carries when
// given key: the one its front matter sets (even empty, which Hugo takes
// for none), else key.
func carriedKey(doc *markdown.Document, key string) string {
	if own, ok := frontMatterKey(doc); ok {
		return own
	}
	return key
}

// SourceKey returns the translationKey that the front matter of f's
// source sets, or "": what HugoSite.Add takes as own.
func (f *File) SourceKey() string {
	k, _ := frontMatterKey(f.Source)
	return k
}

// blockKey returns the translationKey that the front matter block fm (its
// opening line to its closing one, a byte order mark first if any) sets,
// if any.
func blockKey(fm []byte) (string, bool) {
	fm = stripBOM(fm)
	_, start := lineAt(fm, 0)
	for pos := start; pos < len(fm); {
		line, next := lineAt(fm, pos)
		if t := strings.TrimRight(string(line), " \t"); t == "---" || t == "..." {
			m, err := yamlMapping(fm[:pos])
			if err != nil {
				return "", false
			}
			return mappingKey(m)
		}
		pos = next
	}
	return "", false
}

// yamlString writes s as a YAML double-quoted scalar. strconv.Quote's
// escapes (\" \\ \a \b \f \n \r \t \v \xHH \uHHHH \UHHHHHHHH) are all
// YAML escapes too, and it leaves printable text as it is.
func yamlString(s string) string { return strconv.Quote(s) }

// minimalFrontMatter returns the front matter of a page that has none:
// its title, when it has one, and its translationKey, with line endings
// le.
func minimalFrontMatter(title, key, le string) string {
	var b strings.Builder
	b.WriteString("---" + le)
	if title != "" {
		b.WriteString("title: " + yamlString(title) + le)
	}
	b.WriteString("translationKey: " + yamlString(key) + le)
	b.WriteString("---" + le)
	return b.String()
}

// firstLineEnding returns the line ending of src's first line, or "\n".
func firstLineEnding(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// lineAt returns the line at p without its line ending, and where the
// next line starts.
func lineAt(src []byte, p int) ([]byte, int) {
	i := bytes.IndexByte(src[p:], '\n')
	if i < 0 {
		return src[p:], len(src)
	}
	return bytes.TrimSuffix(src[p:p+i], []byte("\r")), p + i + 1
}

// headingTitle returns the text of doc's first top-level heading of the
// highest level that has text (a navigation line set as ### above an
// article's ## title does not win), or "".
func headingTitle(doc *markdown.Document) string {
	src := doc.Source()
	for level := 1; level <= 6; level++ {
		for _, b := range doc.Blocks {
			if b.Kind != markdown.Heading || headingLevel(src[b.Start:b.End]) != level {
				continue
			}
			// Only the heading is parsed again, for its text as a reader
			// sees it.
			h := stripBOM(src[b.Start:b.End])
			root := pairedParser().Parse(text.NewReader(h))
			for n := root.FirstChild(); n != nil; n = n.NextSibling() {
				if n.Kind() == ast.KindHeading {
					if t := strings.TrimSpace(plainText(n, h)); t != "" {
						return t
					}
				}
			}
		}
	}
	return ""
}

// headingLevel returns the level of a heading block: the number of #s
// opening an ATX heading, else 1 or 2 for a setext heading's = or -
// underline (its last line).
func headingLevel(b []byte) int {
	b = bytes.TrimRight(stripBOM(b), " \t\r\n")
	if t := bytes.TrimLeft(b, " "); bytes.HasPrefix(t, []byte("#")) {
		return len(t) - len(bytes.TrimLeft(t, "#"))
	}
	if bytes.HasPrefix(bytes.TrimLeft(b[bytes.LastIndexByte(b, '\n')+1:], " "), []byte("=")) {
		return 1
	}
	return 2
}

// ReadHeader returns the header of the bilingual file that data starts
// with, for the format f; data need hold the file only up to the end of
// its header line (which follows the front matter when the file starts
// with some). Errors are *ParseError as ReadBilingual's, naming name: no
// header, or a header of another language pair than f's ([ErrPair]; an
// empty f.Source and f.Target accept any).
func ReadHeader(name string, data []byte, f Format) (Header, error) {
	h, _, err := readHeader(name, data, f)
	return h, err
}

// ReadHugoHeader is ReadHeader for HugoSite.Add: it also returns the
// translationKey that the source's front matter sets, or "". That front
// matter is the file's own, before the header, so the file need not be
// read whole to know every article's key before any page is made.
func ReadHugoHeader(name string, data []byte, f Format) (Header, string, error) {
	h, at, err := readHeader(name, data, f)
	if err != nil {
		return h, "", err
	}
	own, _ := blockKey(data[:at])
	return h, own, nil
}

// readHeader is ReadHeader, also returning where the header line starts:
// the front matter, if any, is what precedes it.
func readHeader(name string, data []byte, f Format) (Header, int, error) {
	r := &reader{name: name, data: data}
	at, h, err := r.header()
	if err != nil {
		return h, 0, err
	}
	if err := checkPair(h, f); err != nil {
		return h, 0, r.fail(at, ErrPair, "%s", strings.TrimPrefix(err.Error(), ErrPair.Error()+": "))
	}
	return h, at, nil
}
