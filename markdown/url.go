package markdown

import (
	"bytes"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// A bare URL in running text is protected as one tag, and a translation
// writes other text around it. Both sides of a bilingual file are read with
// the same rules, so the reader (the span walker) and the writer (the
// renderer) must agree on where a bare URL ends: this file holds those
// rules once.
//
// goldmark's linkify takes ASCII only, and only after white space; GitHub
// links everything up to white space or '<'. Chinese text glues URLs to
// characters on both sides, and many URLs carry Chinese in their path
// ("…?filename=病毒溯源.mp4", "…/tag/文贵先生/"). A URL is therefore
// protected as far as its path plainly goes: through backslash escapes
// ("Focus\_777") and through non-ASCII text that is followed by more URL
// structure ("/", ".mp4", "?x="), never into the prose after it.

// maxPathRunes bounds the non-ASCII text a URL path may hold between two
// ASCII parts: file names run to a few dozen characters, prose does not
// stop.
const maxPathRunes = 64

// urlStart returns the index of the first http:// or https:// (in any
// case: "HTTPS://GETTR.COM/…" is a URL a reader sees too) in b that is not
// glued to a preceding ASCII letter or digit, or -1.
func urlStart(b []byte) int {
	for off := 0; ; {
		k := bytes.Index(b[off:], []byte("://"))
		if k < 0 {
			return -1
		}
		c := off + k // the colon
		for _, s := range [...]string{"https", "http"} {
			p := c - len(s)
			if p >= 0 && bytes.EqualFold(b[p:c], []byte(s)) && (p == 0 || !isASCIIAlnum(b[p-1])) {
				return p
			}
		}
		off = c + 1
	}
}

// schemeFirst reports whether b starts with http:// or https://, in any
// case.
func schemeFirst(b []byte) bool {
	return len(b) >= 7 && bytes.EqualFold(b[:7], []byte("http://")) || len(b) >= 8 && bytes.EqualFold(b[:8], []byte("https://"))
}

// urlEnd returns where the URL starting at p ends, by the rules of
// goldmark's linkify (the same bytes, the same trailing punctuation cut
// off, parentheses balanced, a trailing entity dropped): when a
// translation puts white space before a URL that Chinese text had glued to
// a character, linkify takes it, and it must take the same bytes.
func urlEnd(src []byte, p, limit int) int {
	e := p
	for e < limit && isLinkifyByte(src[e]) {
		e++
	}
	return trimURL(src, p, e)
}

// trimURL cuts from the URL src[p:e] the trailing punctuation that linkify
// leaves out: ?!.,:*_~, a ')' without its '(', an entity such as "&amp;".
func trimURL(src []byte, p, e int) int {
	opening := bytes.Count(src[p:e], []byte("("))
	closing := bytes.Count(src[p:e], []byte(")"))
	for e > p {
		switch src[e-1] {
		case '?', '!', '.', ',', ':', '*', '_', '~':
			e--
			continue
		case ')':
			if closing <= opening {
				return e
			}
			closing--
			e--
			continue
		case ';':
			j := e - 2
			for j > p && isASCIIAlnum(src[j]) {
				j--
			}
			if j == e-2 || src[j] != '&' {
				return e
			}
			e = j
			continue
		}
		return e
	}
	return e
}

// linkifyURL and linkifyWWW are goldmark's linkify patterns
// (extension/linkify.go): the segmenter must take the bytes linkify takes,
// or a URL that one side of a translation linkifies and the other does not
// reads back otherwise.
var (
	linkifyURL = regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
	linkifyWWW = regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?:[/#?][-a-zA-Z0-9@:%_\+.~#!?&/=\(\);,'">\^{}\[\]` + "`" + `]*)?`)
)

// linkifyEnd returns how many bytes of b linkify would take as a URL, its
// trailing punctuation cut off as linkify does, or 0.
func linkifyEnd(b []byte) int {
	m := linkifyURL.FindIndex(b)
	if m == nil {
		return 0
	}
	return trimURL(b, 0, m[1])
}

// linkifyLen is linkifyEnd for any autolink linkify makes of b: a URL
// with a scheme, a www. domain or an e-mail address.
func linkifyLen(b []byte) int {
	if n := linkifyEnd(b); n > 0 {
		return n
	}
	if bytes.HasPrefix(b, []byte("www.")) {
		if m := linkifyWWW.FindIndex(b); m != nil {
			return trimURL(b, 0, m[1])
		}
		return 0
	}
	if i := bytes.IndexByte(b, '@'); i > 0 {
		if n := util.FindEmailIndex(b); n > 0 {
			if b[n-1] == '.' {
				n--
			}
			return n
		}
	}
	return 0
}

// isLinkifyByte reports the bytes goldmark's linkify lets a URL's path hold.
func isLinkifyByte(c byte) bool {
	return isASCIIAlnum(c) || bytes.IndexByte([]byte("-@:%_+.~#$!?&/=();,'\">^{}[]`"), c) >= 0
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isURLPunct reports the ASCII punctuation that Markdown escapes and URLs
// contain.
func isURLPunct(c byte) bool {
	return c == '_' || c == '*' || c == '~' || c == '-' || c == '#' || c == '&' || c == '='
}

// isURLByte reports bytes that may continue a URL (RFC 3986 unreserved,
// reserved and percent), minus those that end a URL in running text.
func isURLByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return bytes.IndexByte([]byte("-._~:/?#@!$&'*+,;=%\\"), c) >= 0
}

// extendURL returns where the bare URL src[p:e], as linkify or urlEnd
// ended it, really ends, no further than limit: over backslash escapes
// (https://x.com/Focus\_777/status/1 is linkified only up to "Focus") and
// over non-ASCII path text (see pathTail). What it adds is protected with
// the URL, so a URL's tail is never translated.
func extendURL(src []byte, p, e, limit int) int {
	for {
		n := escapedTail(src, e, limit)
		n = pathTail(src, p, n, limit)
		if n == e {
			return e
		}
		e = n
	}
}

// escapedTail extends a URL ending at e over backslash escapes of URL
// punctuation followed by more URL bytes, and those bytes.
func escapedTail(src []byte, e, limit int) int {
	for {
		k := e
		for k+1 < limit && src[k] == '\\' && isURLPunct(src[k+1]) {
			k += 2
		}
		if k == e || k >= limit || !isURLByte(src[k]) || src[k] == '\\' {
			return e
		}
		for k < limit && isURLByte(src[k]) && src[k] != '\\' {
			k++
		}
		e = k
	}
}

// pathTail extends a URL src[p:e] that stops at a non-ASCII character
// over the text that follows when more URL structure comes after it:
// "?filename=病毒溯源.mp4", "/tag/文贵先生/". It stops at white space,
// '<', sentence punctuation and brackets, and after maxPathRunes
// non-ASCII characters; it ends after the last URL mark ("/", ".", "?",
// "=", "&", "#") that is followed by URL bytes, trimmed as linkify trims.
// Prose glued to a URL ("https://x.org/a是一个网站。") has no such mark
// and is left alone.
func pathTail(src []byte, p, e, limit int) int {
	if e >= limit || src[e] < utf8.RuneSelf {
		return e
	}
	cut, runes := e, 0
	for k := e; k < limit; {
		c := src[k]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(src[k:limit])
			if unicode.IsSpace(r) || stopsURL(r) {
				break
			}
			if runes++; runes > maxPathRunes {
				break
			}
			k += n
			continue
		}
		if c == '\\' && k+1 < limit && isURLPunct(src[k+1]) {
			k += 2
			continue
		}
		if !isLinkifyByte(c) {
			break
		}
		if !isPathMark(c) {
			k++
			continue
		}
		m := k + 1
		for m < limit && (isLinkifyByte(src[m]) || src[m] == '\\' && m+1 < limit && isURLPunct(src[m+1])) {
			if src[m] == '\\' {
				m++
			}
			m++
		}
		if end := trimURL(src, p, m); end > k {
			cut, runes = end, 0
		}
		k = m
	}
	return cut
}

// isPathMark reports the ASCII characters that give a URL more structure.
func isPathMark(c byte) bool {
	return c == '/' || c == '.' || c == '?' || c == '=' || c == '&' || c == '#'
}

// stopsURL reports the non-ASCII punctuation that ends a sentence or
// encloses text: a URL path does not run through it.
func stopsURL(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '（', '）', '【', '】', '「', '」', '『', '』', '《', '》', '〈', '〉', '“', '”', '‘', '’', '\u3000':
		return true
	}
	return false
}

// bareURLLen returns how many bytes of b, which starts with a bare URL, the
// reader protects as that URL: linkify's match (or urlEnd's when linkify
// takes none), extended by extendURL.
func bareURLLen(b []byte) int {
	e := linkifyLen(b)
	if e == 0 {
		if !schemeFirst(b) {
			return 0
		}
		e = urlEnd(b, 0, len(b))
	}
	return extendURL(b, 0, e, len(b))
}

// urlWouldGrow reports whether text written right after the bare URL url
// would be read as part of it. A translation puts words where the source
// had a Chinese character, which ended the URL.
func urlWouldGrow(url, rest string) bool {
	if rest == "" {
		return false
	}
	if i := tagStart(rest); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return false
	}
	b := make([]byte, 0, len(url)+len(rest))
	b = append(append(b, url...), rest...)
	return bareURLLen(b) > len(url)
}
