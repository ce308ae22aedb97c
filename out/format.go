package out

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
)

// Format is what a reader and a writer of bilingual files must agree on:
// the language pair and the markdown options that cut the source into
// segments. Every reader and writer takes one, so that no caller can read
// a file with other options than it was written with by forgetting them.
type Format struct {
	// Source and Target are the language pair, BCP 47 ("zh", "en"). The
	// writer needs both. A reader given them refuses a file written for
	// another pair ([ErrPair]); a reader given neither accepts any pair,
	// for tools that read files of many pairs.
	Source, Target string
	// Markdown are the options the source is parsed with; nil means the
	// defaults. The writer records in the header those that change
	// segmentation and differ from the defaults; the reader parses with
	// what the header records (see [ReadBilingual]).
	Markdown *markdown.Options
}

// ErrPair means a bilingual file was written for another language pair
// than the one its reader asked for.
var ErrPair = errors.New("out: language pair differs")

// ErrNoPair is returned by the writers for a Format without a language
// pair: a bilingual file must say what it pairs.
var ErrNoPair = errors.New("out: the format has no language pair")

// ErrOption is returned by the writers for a markdown option the header
// cannot record (a front-matter field name with a comma, or empty).
var ErrOption = errors.New("out: markdown option cannot be recorded")

// The header attributes that record markdown options. Their names are the
// keys of config.toml's [markdown] table.
const (
	attrFrontMatter  = "front_matter_fields"
	attrMaxDepth     = "max_depth"
	attrWikiLinks    = "wiki_links"
	attrIndentedCode = "indented_code"
)

// recordedOptions maps each field of markdown.Options that changes how a
// document is cut into segments to the header attribute recording it.
// TestRecordedOptions fails when markdown.Options gains a field that is
// in neither this map nor ignoredOptions, so a new option cannot be
// forgotten here.
var recordedOptions = map[string]string{
	"FrontMatterFields": attrFrontMatter,
	"MaxDepth":          attrMaxDepth,
	"WikiLinks":         attrWikiLinks,
	"IndentedCode":      attrIndentedCode,
}

// ignoredOptions lists the fields of markdown.Options a header need not
// record, with the reason.
var ignoredOptions = map[string]string{
	"Source": "the header's source attribute records it, and the reader parses with that language",
}

// defaultFrontMatterFields are the fields markdown translates when
// Options.FrontMatterFields is nil (checked by TestDefaultOptions).
var defaultFrontMatterFields = []string{"description", "summary", "title"}

// defaultMaxDepth is markdown's nesting bound when Options.MaxDepth is not
// positive (checked by TestDefaultOptions).
const defaultMaxDepth = 64

// frontMatterFields returns the set of fields o translates, sorted and
// without duplicates.
func frontMatterFields(o *markdown.Options) []string {
	if o == nil || o.FrontMatterFields == nil {
		return defaultFrontMatterFields
	}
	f := slices.Clone(o.FrontMatterFields)
	slices.Sort(f)
	return slices.Compact(f)
}

// maxDepth returns the nesting bound o sets.
func maxDepth(o *markdown.Options) int {
	if o == nil || o.MaxDepth <= 0 {
		return defaultMaxDepth
	}
	return o.MaxDepth
}

// SameSegmentation reports whether documents parsed with a and b are cut
// into the same segments: whether their options differ only in ways that
// do not matter (nil and the defaults spelled out, the order of
// front-matter fields).
func SameSegmentation(a, b *markdown.Options) bool {
	return slices.Equal(frontMatterFields(a), frontMatterFields(b)) && maxDepth(a) == maxDepth(b) &&
		wikiLinks(a) == wikiLinks(b) && indentedCode(a) == indentedCode(b)
}

// wikiLinks returns o's form for wiki spans, the default spelled out.
func wikiLinks(o *markdown.Options) string {
	if o == nil || o.WikiLinks == "" {
		return markdown.WikiLabel
	}
	return o.WikiLinks
}

// indentedCode returns o's choice for indented blocks, the default spelled
// out.
func indentedCode(o *markdown.Options) string {
	if o == nil || o.IndentedCode == "" {
		return markdown.IndentedAuto
	}
	return o.IndentedCode
}

// optionAttrs returns the header attributes recording o: only the options
// that differ from the defaults, so that files written with the defaults
// keep the header they always had.
func optionAttrs(o *markdown.Options) ([][2]string, error) {
	var attrs [][2]string
	if f := frontMatterFields(o); !slices.Equal(f, defaultFrontMatterFields) {
		for _, name := range f {
			if name == "" || strings.Contains(name, ",") {
				return nil, fmt.Errorf("%w: front-matter field %q", ErrOption, name)
			}
		}
		attrs = append(attrs, [2]string{attrFrontMatter, strings.Join(f, ",")})
	}
	if d := maxDepth(o); d != defaultMaxDepth {
		attrs = append(attrs, [2]string{attrMaxDepth, strconv.Itoa(d)})
	}
	if w := wikiLinks(o); w != markdown.WikiLabel {
		attrs = append(attrs, [2]string{attrWikiLinks, w})
	}
	if c := indentedCode(o); c != markdown.IndentedAuto {
		attrs = append(attrs, [2]string{attrIndentedCode, c})
	}
	return attrs, nil
}

// parseOption sets the option a header attribute records in o. It reports
// false for an attribute that records no option.
func parseOption(o *markdown.Options, key, val string) (bool, error) {
	switch key {
	case attrFrontMatter:
		o.FrontMatterFields = []string{}
		if val != "" {
			o.FrontMatterFields = strings.Split(val, ",")
		}
	case attrMaxDepth:
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 {
			return true, fmt.Errorf("%s=%q: want a positive integer", key, val)
		}
		o.MaxDepth = n
	case attrWikiLinks:
		o.WikiLinks = val
		if err := (&markdown.Options{WikiLinks: val}).Validate(); err != nil {
			return true, fmt.Errorf("%s=%q: want %q, %q or %q", key, val, markdown.WikiLabel, markdown.WikiUnwrap, markdown.WikiKeep)
		}
	case attrIndentedCode:
		o.IndentedCode = val
		if err := (&markdown.Options{IndentedCode: val}).Validate(); err != nil {
			return true, fmt.Errorf("%s=%q: want %q, %q or %q", key, val, markdown.IndentedAuto, markdown.IndentedCode, markdown.IndentedProse)
		}
	default:
		return false, nil
	}
	return true, nil
}

// checkPair compares a file's language pair with the one asked for; an
// empty side of want accepts any.
func checkPair(h Header, want Format) error {
	if (want.Source == "" || sameLanguage(h.Source, want.Source)) && (want.Target == "" || sameLanguage(h.Target, want.Target)) {
		return nil
	}
	return fmt.Errorf("%w: the file pairs %s, not %s", ErrPair, pairString(h.Source, h.Target), pairString(want.Source, want.Target))
}

// pairString writes a pair as "zh→en", with "?" for a side not given.
func pairString(src, tgt string) string {
	if src == "" {
		src = "?"
	}
	if tgt == "" {
		tgt = "?"
	}
	return src + "→" + tgt
}

// sameLanguage compares two BCP 47 tags as tags ("zh-hans" is "zh-Hans"),
// or as strings when either does not parse.
func sameLanguage(a, b string) bool {
	ta, errA := language.Parse(a)
	tb, errB := language.Parse(b)
	if errA != nil || errB != nil {
		return strings.EqualFold(a, b)
	}
	return ta == tb
}
