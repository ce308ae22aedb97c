package qa

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
)

// urlRE matches an absolute URL or a www. address: a scheme (or www.),
// then anything up to white space, a quote or bracket that ends it, an
// asterisk (emphasis around a bare URL), or a character outside ASCII
// (CJK text and punctuation follow URLs without a space; see fullURLs for
// a URL that goes on after one). It is case-sensitive on purpose: under
// (?i) the class would also exclude 's' and 'k', which fold to U+017F and
// U+212A.
var urlRE = regexp.MustCompile(`\b(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Mm]ailto):|[Ww][Ww][Ww]\.)[^\s<>"'()\[\]{}*\x60\x{80}-\x{10FFFF}]+`)

// isURLByte reports whether c may go on a URL as urlRE reads it.
func isURLByte(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(`<>"'()[]{}*`+"`", rune(c))
}

// findURLs returns the URLs in s as a reader takes them, without the
// sentence punctuation that commonly follows one. A URL whose path or
// query holds Chinese (…/tag/加密货币/, ?filename=日本.mp4) is taken whole
// when URL characters go on after the Chinese: a translation must keep it
// as it is, not only its ASCII head.
func findURLs(s string) []string {
	if !mayHaveURL(s) {
		return nil
	}
	var us []string
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		u := strings.TrimRight(s[loc[0]:extendURL(s, loc[1])], ".,;:!?*_~")
		if strings.HasSuffix(u, ":") || len(u) < 10 {
			continue
		}
		us = append(us, u)
	}
	return us
}

// extendURL returns where the URL that urlRE ended at end really ends: it
// goes on over a run of letters or digits outside ASCII when URL
// characters other than letters follow that run (a slash, a dot, an equals
// sign …), as in …/tag/郭文贵/ or ?filename=日本.mp4; "…/a详见。" ends at
// the a.
func extendURL(s string, end int) int {
	for {
		j := end
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r < utf8.RuneSelf || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += n
		}
		if j == end || j >= len(s) || !strings.ContainsRune("/.?=&_-%#", rune(s[j])) {
			return end
		}
		k := j
		for k < len(s) && isURLByte(s[k]) {
			k++
		}
		end = k
	}
}

// mayHaveURL is a quick filter: most segments have no URL, and a regexp
// search costs more than these.
func mayHaveURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "ailto:") || strings.Contains(s, "AILTO:") ||
		strings.Contains(s, "www.") || strings.Contains(s, "WWW.")
}

// checkURLs reports each URL of the source segment (in its text, in the
// bytes its tags stand for, or a link destination) that is absent from the
// target, unchanged. srcTags are the source segment's tags; tgtTags are the
// target's own when it was parsed from a document (nil means srcTags).
// Without tags, only URLs written in the text are checked.
func checkURLs(src, tgt string, srcTags, tgtTags []markdown.Tag) []Finding {
	if tgtTags == nil {
		tgtTags = srcTags
	}
	es, et := expand(src, srcTags), expand(tgt, tgtTags)
	return missingURLs(findURLs(es), et, func(string) int { return 0 })
}

// missingURLs reports each URL of want that does not occur in have, once.
// line locates a URL for the finding. A URL whose Chinese part is gone
// while its ASCII head is still there was broken by the translation.
func missingURLs(want []string, have string, line func(u string) int) []Finding {
	var fs []Finding
	seen := map[string]bool{}
	for _, u := range want {
		if seen[u] || strings.Contains(have, u) {
			continue
		}
		seen[u] = true
		msg := fmt.Sprintf("url %s is not in the target", u)
		if head := urlRE.FindString(u); head != u && len(head) > 10 && strings.Contains(have, head) {
			msg = fmt.Sprintf("url %s is broken in the target: its text after %s was changed", u, head)
		}
		fs = append(fs, Finding{Kind: KindURLs, Severity: Error, Line: line(u), Message: msg})
	}
	return fs
}

// linkifyURL and linkifyWWW are goldmark's linkify patterns (extension
// linkify.go), which GitHub's renderer follows too: what a renderer makes
// a link of in text after white space, *, _, ~ or ( or at a line's start.
var (
	linkifyURL = regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
	linkifyWWW = regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
)

// linked is a URL a renderer links in a document, at byte offset off.
type linked struct {
	url string
	off int
}

// linkedURLs returns the URLs a renderer would link in document bytes b,
// as goldmark's linkify takes them: after white space, *, _, ~ or ( (but
// not a link's destination after "](") or at the start of a line, with the
// trailing punctuation it cuts off. Code and HTML are scanned too: their
// URLs are the source's own, byte for byte.
func linkedURLs(b []byte) []linked {
	var ls []linked
	for i := 0; i < len(b); {
		k := indexURLStart(b[i:])
		if k < 0 {
			break
		}
		p := i + k
		i = p + 1
		if p > 0 && !strings.ContainsRune(" \t\n\r*_~(", rune(b[p-1])) ||
			p > 1 && b[p-2] == ']' && b[p-1] == '(' { // a link's destination
			continue
		}
		m := linkifyURL.Find(b[p:])
		if m == nil {
			m = linkifyWWW.Find(b[p:])
		}
		if m == nil {
			continue
		}
		u := trimLinkified(m)
		ls = append(ls, linked{url: string(u), off: p})
		i = p + len(u)
	}
	return ls
}

// indexURLStart returns the index of the first http, ftp or www. in b, or
// -1.
func indexURLStart(b []byte) int {
	best := -1
	for _, s := range []string{"http", "ftp:", "www."} {
		if k := bytes.Index(b, []byte(s)); k >= 0 && (best < 0 || k < best) {
			best = k
		}
	}
	return best
}

// trimLinkified cuts what linkify does not take at a URL's end: sentence
// punctuation, emphasis delimiters, an unbalanced closing parenthesis and
// an entity reference.
func trimLinkified(u []byte) []byte {
	open, closing := bytes.Count(u, []byte("(")), bytes.Count(u, []byte(")"))
	i := len(u)
	for i > 1 {
		switch u[i-1] {
		case '?', '!', '.', ',', ':', '*', '_', '~':
			i--
			continue
		case ')':
			if closing <= open {
				return u[:i]
			}
			closing--
			i--
			continue
		case ';':
			j := i - 2
			for j > 0 && (u[j] >= 'a' && u[j] <= 'z' || u[j] >= 'A' && u[j] <= 'Z' || u[j] >= '0' && u[j] <= '9') {
				j--
			}
			if j == i-2 || u[j] != '&' {
				return u[:i]
			}
			i = j
			continue
		}
		break
	}
	return u[:i]
}

// checkLinks reports each URL the target document links (see linkedURLs)
// that is no URL of the source document: text the translation turned into
// a link to something else than the source's URL, such as a URL whose
// Chinese tail was translated (`参考：https://x/标签/` became
// "Reference: https://x/ biaoqian/", linked to https://x/) or a URL glued
// to the translated word after it (www.x.com是 became www.x.comis): a link
// that a URL of the source starts with, or that starts with one. A link to
// exactly a URL of the source is fine, linked in the source or not.
func checkLinks(src, tgt []byte) []Finding {
	if !mayHaveURL(string(tgt)) {
		return nil
	}
	allowed := map[string]bool{}
	urls := findURLs(string(src))
	for _, u := range urls {
		allowed[u] = true
	}
	for _, l := range linkedURLs(src) {
		allowed[l.url] = true
	}
	var fs []Finding
	seen := map[string]bool{}
	for _, l := range linkedURLs(tgt) {
		if allowed[l.url] || seen[l.url] || !slices.ContainsFunc(urls, func(u string) bool {
			return strings.HasPrefix(u, l.url) || strings.HasPrefix(l.url, u)
		}) {
			// A link to a URL unlike any of the source's is a URL the
			// translation changed: the source's is reported missing.
			continue
		}
		seen[l.url] = true
		fs = append(fs, Finding{Segment: NoSegment, Line: 1 + bytes.Count(tgt[:l.off], []byte("\n")),
			Kind: KindURLs, Severity: Error,
			Message: fmt.Sprintf("the target links to %s, which is no URL of the source", l.url)})
	}
	return fs
}
