package qa

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/diglot/diglot/markdown"
)

// urlRE matches an absolute URL: a scheme, then anything up to white space,
// a quote or bracket that ends it, or a character outside ASCII (CJK text
// and punctuation follow URLs without a space). It is case-sensitive on
// purpose: under (?i) the class would also exclude 's' and 'k', which fold
// to U+017F and U+212A.
var urlRE = regexp.MustCompile(`\b(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Mm]ailto):[^\s<>"'()\[\]{}*\x60\x{80}-\x{10FFFF}]+`)

// findURLs returns the URLs in s, without the sentence punctuation that
// commonly follows one.
func findURLs(s string) []string {
	if !mayHaveURL(s) {
		return nil
	}
	var us []string
	for _, u := range urlRE.FindAllString(s, -1) {
		u = strings.TrimRight(u, ".,;:!?*_~")
		if strings.HasSuffix(u, ":") || len(u) < 10 {
			continue
		}
		us = append(us, u)
	}
	return us
}

// mayHaveURL is a quick filter: most segments have no URL, and a regexp
// search costs more than these.
func mayHaveURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "ailto:") || strings.Contains(s, "AILTO:")
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
// line locates a URL for the finding.
func missingURLs(want []string, have string, line func(u string) int) []Finding {
	var fs []Finding
	seen := map[string]bool{}
	for _, u := range want {
		if seen[u] || strings.Contains(have, u) {
			continue
		}
		seen[u] = true
		fs = append(fs, Finding{Kind: KindURLs, Severity: Error, Line: line(u),
			Message: fmt.Sprintf("url %s is not in the target", u)})
	}
	return fs
}
