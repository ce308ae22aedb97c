// Package pseudo provides the "pseudo" engine: a deterministic, offline
// pseudo-translation for demos, tests and dry runs.
//
// The output is visibly transformed Latin text that behaves like a real
// translation wherever the rest of diglot looks at one, so that a pseudo
// run exercises the layout, the checks and publishing without tripping
// them:
//
//   - Letters of the source language's script become Latin (lang.Scripts;
//     every letter when the source language is not known). A Han, kana or
//     Hangul character becomes a syllable of two or three letters, Han and
//     kana grouped two syllables to a word with spaces between words, so an
//     English target is about as long as a real one; letters of alphabetic
//     scripts become single (accented) Latin letters, and every third
//     letter or so is doubled (Options.Expansion).
//   - Everything a translator keeps stays: every tag, punctuation mark,
//     digit and URL, and words in another script than the source's (the
//     Latin names and figures in a Chinese article).
//   - Numbers are written as a translator writes them when the source is
//     Chinese: 8亿 → 800 million, 1.2万 → 12,000, 200多万 → more than 2
//     million, 6月16日 → June 16, 2021年 → 2021, 90年代 → 1990s, 百分之五 → 5%,
//     三分之二 → two thirds, 第三 → third, 三个 → three, full-width digits →
//     ASCII digits.
//
// Only text between tags changes, and a space is only ever put between two
// letters or digits, so the characters next to Markdown syntax keep their
// class (letter, punctuation, space) and emphasis, links and structure
// parse as in the source.
package pseudo

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
	"golang.org/x/text/language"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "pseudo",
		Summary: "offline: deterministic pseudo-translation into Latin, numbers and dates as a translator writes them (demos, tests)",
		New:     New,
		Offline: true,
	})
}

// Options configures the pseudo engine.
type Options struct {
	// Expansion is how many letters are added per letter written, as a
	// fraction (0.3 = 30% more). Zero means 0.3.
	Expansion float64 `toml:"expansion"`
	// Delay is how long each request takes, as a Go duration ("200ms"),
	// to show progress, rate limits and interruption without a network.
	Delay string `toml:"delay"`
	// MaxSegments is the most segments per request. Zero means 200.
	MaxSegments int `toml:"max_segments"`
}

// New builds the pseudo engine from its [providers.pseudo] table.
func New(cfg providers.Config) (providers.Provider, error) {
	var o Options
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	return newTranslator(&o)
}

// NewTranslator returns a pseudo engine; nil opts means the defaults. It
// fails only on an unparsable Delay.
func NewTranslator(opts *Options) *Translator {
	t, _ := newTranslator(opts)
	return t
}

func newTranslator(opts *Options) (*Translator, error) {
	t := &Translator{expansion: 0.3, maxSegments: 200}
	if opts == nil {
		return t, nil
	}
	if opts.Expansion > 0 {
		t.expansion = opts.Expansion
	}
	if opts.MaxSegments > 0 {
		t.maxSegments = opts.MaxSegments
	}
	if opts.Delay != "" {
		d, err := time.ParseDuration(opts.Delay)
		if err != nil || d < 0 {
			return t, fmt.Errorf("pseudo: delay %q: want a duration such as 200ms", opts.Delay)
		}
		t.delay = d
	}
	return t, nil
}

// Translator pseudo-translates segments.
type Translator struct {
	expansion   float64
	maxSegments int
	delay       time.Duration
}

// Translate pseudo-translates each segment; empty and blank segments come
// back as they are.
func (t *Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if t.delay > 0 {
		tm := time.NewTimer(t.delay)
		defer tm.Stop()
		select {
		case <-ctx.Done():
		case <-tm.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	r := t.renderer(req.Source)
	res := make([]string, len(req.Segments))
	for i, s := range req.Segments {
		res[i] = r.segment(s)
	}
	return res, nil
}

// Limits reports generous per-request limits.
func (t *Translator) Limits() providers.Limits {
	return providers.Limits{MaxSegments: t.maxSegments, MaxChars: 1 << 20, Concurrency: 4}
}

// Synthetic reports true: a pseudo-translation is not a translation, so it
// is never stored in the memory or reused as one.
func (t *Translator) Synthetic() bool { return true }

// renderer pseudo-translates the segments of one request.
type renderer struct {
	expansion float64
	// scripts are the scripts whose letters are transliterated; nil means
	// every letter.
	scripts []*unicode.RangeTable
	// chinese says numbers and dates are read as Chinese and written as
	// English.
	chinese bool
	// words says small whole numbers are written in words (sixteen, five
	// percent), for a segment that would otherwise have no letters.
	words bool
}

func (t *Translator) renderer(src language.Tag) *renderer {
	base, _ := src.Base()
	r := &renderer{expansion: t.expansion}
	if src != language.Und {
		r.scripts = lang.Scripts(src)
	}
	switch base.String() {
	case "zh", "yue", "wuu", "lzh", "hak", "nan", "gan", "cmn":
		r.chinese = true
	}
	return r
}

// segment pseudo-translates one segment in the neutral form: tags are
// copied, the text between them is rendered.
//
// A number may run across formatting tags (**7**万 is 70,000): the text
// of a segment is read as one, standalone tags (URLs, code, images)
// breaking it, and a number is written where it starts, the tags inside
// it following it in their order.
func (r *renderer) segment(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	toks := tags.Parse(s)
	var rs []rune
	var tokEnd []int // for each rune, the end of its text token
	for _, tok := range toks {
		switch tok.Kind {
		case tags.Text:
			rs = append(rs, []rune(tok.Text)...)
		case tags.Standalone:
			rs = append(rs, breakRune)
		default:
			rs = append(rs, markRune)
		}
		for len(tokEnd) < len(rs) {
			tokEnd = append(tokEnd, len(rs))
		}
	}
	inURL := urlMask(rs)
	rendered := map[int]part{}
	if r.chinese {
		for _, p := range chineseNumbers(rs, inURL, tokEnd, r.words) {
			rendered[p.start] = p
		}
	}
	w := &writer{r: r}
	i, skip := 0, 0
	for _, tok := range toks {
		switch tok.Kind {
		case tags.Standalone:
			w.beforeTag()
			w.b.WriteString(tok.Text)
			w.boundary()
			i++
			continue
		case tags.Open:
			// A space before an opening delimiter is safe (it only makes
			// the delimiter more clearly an opening one); nothing is ever
			// put right after it.
			w.beforeTag()
			w.b.WriteString(tok.Text)
			w.boundary()
			i++
			continue
		case tags.Close:
			// A space after a closing delimiter is safe: a word after
			// **May** is spaced from it.
			w.b.WriteString(tok.Text)
			w.run = 0
			i++
			continue
		}
		for _, c := range tok.Text {
			if p, ok := rendered[i]; ok {
				w.generated(p.text)
				skip = p.end
			}
			switch {
			case i < skip:
			case inURL[i]:
				w.plain(string(c))
			default:
				r.letter(w, c)
			}
			i++
		}
	}
	out := w.b.String()
	if r.chinese && hasLetters(s) && !hasLetters(out) {
		// A segment that had letters must keep some (十六 as 16 would no
		// longer read back as a segment): write small numbers in words
		// (sixteen), else keep the words the numbers came with (2024年
		// stays 2024 plus a pseudo word).
		alt := *r
		if !r.words {
			alt.words = true
		} else {
			alt.chinese = false
		}
		return alt.segment(s)
	}
	return out
}

// hasLetters reports whether the text of neutral text s has a letter.
func hasLetters(s string) bool {
	return strings.IndexFunc(tags.Strip(s), unicode.IsLetter) >= 0
}

// Marks that stand for tags in the text numbers are read from.
const (
	// markRune stands for a formatting tag: a number's magnitude may
	// follow it (**7**万 is 70,000), but digits do not run on through it.
	markRune = '\u2060'
	// breakRune stands for a standalone tag: no number runs across one.
	breakRune = '\uFFFC'
)

// letter transliterates c when it is a letter of the source script and
// copies it otherwise (a full-width digit or percent sign becomes ASCII
// when the source is Chinese).
func (r *renderer) letter(w *writer, c rune) {
	switch {
	case !isWordRune(c) || !r.transliterated(c):
		w.run = 0
		if d, ok := fullWidthDigit(c); ok && r.chinese {
			c = d
		} else if c == '％' && r.chinese {
			c = '%'
		}
		w.plain(string(c))
	case isSyllabic(c):
		syl := syllable(c)
		if w.run%2 == 0 || !isSpaceless(c) {
			w.word(syl) // a new word: spaced from the letters before it
		} else {
			w.letters(syl)
		}
		w.run++
	default:
		w.run = 0
		w.letters(pseudoRune(c))
	}
}

// isWordRune reports whether c is a letter, or a character of the Han
// script that is not one (〇, the Kangxi radicals ⼀ ⽇ that text converted
// from PDF has for 一 日): a translator translates those too.
func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.Is(unicode.Han, c) }

// transliterated reports whether letter c is in the source script.
func (r *renderer) transliterated(c rune) bool {
	return r.scripts == nil || unicode.IsOneOf(r.scripts, c)
}

// writer builds one segment. It tracks the last character written and
// whether it was generated (a pseudo word or a rendered number), so that a
// generated word is spaced from the letters and digits next to it, as
// English words are, while text the source already had stays glued as it
// was (5G, COVID-19).
type writer struct {
	r       *renderer
	b       strings.Builder
	last    rune // the last character written in this run of text; 0 after a tag
	lastGen bool // it was generated
	run     int  // syllables written in the current run of a spaceless script

	letterCount int     // letters written, for the expansion
	extra       float64 // letters added for the expansion
}

// boundary records that a tag was written after which no space may be put:
// an opening delimiter, or a standalone tag whose bytes may be Markdown
// syntax (a hard line break holds the next line's indentation, which a
// space would change).
func (w *writer) boundary() { w.last, w.lastGen, w.run = 0, false, 0 }

// beforeTag spaces a generated word from the tag after it, as English
// spaces a word from a link, a URL, an image or a name (Chinese writes
// 链接https://… with no space, and a URL glued to a Latin word is not
// one).
func (w *writer) beforeTag() {
	if w.lastGen && isAlnum(w.last) {
		w.b.WriteByte(' ')
	}
}

// plain writes text the source had, unchanged.
func (w *writer) plain(s string) {
	if s == "" {
		return
	}
	first := []rune(s)[0]
	if w.lastGen && isAlnum(w.last) && (isAlnum(first) || first == '@') {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(s)
	w.last, w.lastGen = lastRune(s), false
}

// generated writes a rendered number or phrase, spaced from the letters
// and digits around it. After a number and its stop (4.八十, 32.三十三年)
// digits would run on into it (4.80) and a space would make a list item of
// a line that starts so (32. 33): the number is written in words instead
// (4.eighty).
func (w *writer) generated(s string) {
	if s == "" {
		return
	}
	first := []rune(s)[0]
	prev := w.b.String()
	afterNumber := w.last != 0 && strings.ContainsRune(".,", w.last) && len(prev) > 1 && isDigit(rune(prev[len(prev)-2]))
	if afterNumber && isDigit(first) {
		if words := inWords(s); words != s {
			s, first = words, []rune(words)[0]
		} else {
			w.b.WriteByte(' ')
		}
	}
	if isAlnum(w.last) && isAlnum(first) {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(s)
	w.last, w.lastGen, w.run = lastRune(s), true, 0
}

// word starts a new pseudo word.
func (w *writer) word(s string) {
	if isAlnum(w.last) || w.last == '%' {
		w.b.WriteByte(' ')
	}
	w.letters(s)
}

// letters writes pseudo letters, adding a letter whenever the expansion
// calls for one.
func (w *writer) letters(s string) {
	for _, c := range s {
		w.b.WriteRune(c)
		w.letterCount++
		for w.extra+1 <= float64(w.letterCount)*w.r.expansion {
			w.extra++
			w.b.WriteRune(c)
		}
	}
	w.last, w.lastGen = lastRune(s), true
}

func lastRune(s string) rune {
	rs := []rune(s)
	return rs[len(rs)-1]
}

func isAlnum(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

var (
	_ providers.Provider  = (*Translator)(nil)
	_ providers.Synthetic = (*Translator)(nil)
)
