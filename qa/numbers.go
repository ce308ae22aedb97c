package qa

import (
	"fmt"
	"github.com/diglot/diglot/internal/zhnum"
	"github.com/diglot/diglot/tags"
	"slices"
	"strings"
	"unicode"
)

// checkNumbers reports each number of the source (neutral text) that the
// target does not give in any accepted form. Numbers inside tags (URLs,
// inline code, wiki spans) and in URLs of the text are not checked: tags
// and URLs are checked whole.
//
// A number in digits must come back with its value: 1,730 as 1730 or
// 1,730; 20万 as 200,000, 200 thousand or 0.2 million; 3.5亿 as 350 million;
// 6月16日 as June 16 or 16 June; 5% as 5 percent; 90年代 as the 1990s. Its
// absence is an error. A number in Chinese numerals (三个, 百分之五, 第三,
// 二十万) may come back in digits or English words (three, five percent,
// third, 200,000); its absence is only a warning, since a good translation
// may render 两国 as "both countries" or 第二天 as "the next day". Lone 一
// is never checked: 一些, 统一, 一个 are words, not counts.
func checkNumbers(src, tgt string) []Finding {
	want := sourceNumbers(withoutURLs(sourceText(src)))
	if len(want) == 0 {
		return nil
	}
	// The target is read twice: with its text joined across tags (a number
	// split by formatting, <g1>70</g1>,000) and with each tag a space (a word
	// glued to a tag, the<g1>first</g1>).
	have := targetNumbers(withoutURLs(tags.Plain(tgt)))
	found := func(n num) bool {
		return slices.ContainsFunc(n.vals, func(v float64) bool {
			return slices.ContainsFunc(have, func(h float64) bool { return same(v, h) })
		})
	}
	if tags.Has(tgt) && !all(want, found) {
		have = append(have, targetNumbers(withoutURLs(spaced(tgt)))...)
	}
	var fs []Finding
	seen := map[string]bool{}
	for _, n := range want {
		if seen[n.raw] || found(n) {
			continue
		}
		seen[n.raw] = true
		sev := Error
		if n.word {
			sev = Warning
		}
		fs = append(fs, Finding{Kind: KindNumbers, Severity: sev,
			Message: fmt.Sprintf("number %q is not in the target", n.raw)})
	}
	return fs
}

// all reports whether f holds for every number of ns.
func all(ns []num, f func(num) bool) bool {
	for _, n := range ns {
		if !f(n) {
			return false
		}
	}
	return true
}

// Marks that stand for tags in the text a source's numbers are read from.
const (
	// markRune stands for a formatting tag: a number's magnitude may
	// follow it (**7**万 is 70,000), but digits do not run on through it
	// (1.**5月** is 1 and May).
	markRune = '\u2060'
	// breakRune stands for a standalone tag (a link, code, a wiki span):
	// nothing of a number runs on through it.
	breakRune = '\uFFFC'
)

// sourceText returns the text of neutral source text s with its tags as
// markRune and breakRune.
func sourceText(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for _, t := range tags.Parse(s) {
		switch t.Kind {
		case tags.Text:
			b.WriteString(t.Text)
		case tags.Standalone:
			b.WriteRune(breakRune)
		default:
			b.WriteRune(markRune)
		}
	}
	return b.String()
}

// spaced returns neutral text s with each tag replaced by a space.
func spaced(s string) string {
	var b strings.Builder
	for _, t := range tags.Parse(s) {
		if t.Kind == tags.Text {
			b.WriteString(t.Text)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// withoutURLs blanks the URLs of s: their digits are the urls check's.
func withoutURLs(s string) string {
	if !mayHaveURL(s) {
		return s
	}
	return urlRE.ReplaceAllString(s, " ")
}

// sourceNumbers returns the numbers of a source text that a translation
// must keep, with the values it may give them.
func sourceNumbers(text string) []num {
	rs := []rune(text)
	var nums []num
	for i := 0; i < len(rs); {
		switch {
		case isDigitRune(rs[i]):
			n, end := digitNumber(rs, i)
			nums = append(nums, n)
			i = end
		case zhnum.IsNumeral(rs[i]):
			j := i
			for j < len(rs) && zhnum.IsNumeral(rs[j]) {
				j++
			}
			if n, end, ok := cnNumber(rs, i, j); ok {
				nums = append(nums, n)
				i = end
				continue
			}
			i = j
		default:
			i++
		}
	}
	return nums
}

// digitNumber reads the number in digits at rs[i] with what scales it:
// Chinese magnitudes (20万, 1 亿8 千5百万), a decade (90年代), a century
// and its decade (20世纪90年代), a generation (90后), percentage points
// (0.25个百分点 = 25 basis points), an English scale (3.5 million), and the
// magnitude of the other end of a range (6000-8000万: 60 million).
func digitNumber(rs []rune, i int) (num, int) {
	v, n := parseDigits(rs[i:])
	j := i + n
	vals := []float64{v}
	if i > 1 && rs[i-1] == '.' && isDigitRune(rs[i-2]) {
		// The last part of a dotted number (2022.07.22 万分感谢): no
		// magnitude follows it.
		return num{raw: rawText(rs[i:j]), vals: vals}, j
	}
	switch m, end, ok := mixedNumber(rs, i); {
	case ok:
		vals, j = []float64{m}, end
	case hasPrefixAt(rs, j, "世纪") && v >= 1 && v <= 30:
		vals = []float64{v, (v - 1) * 100}
		j += 2
		if k := j; k < len(rs) && isDigitRune(rs[k]) {
			if d, dn := parseDigits(rs[k:]); d < 100 && hasPrefixAt(rs, k+dn, "年代") {
				// 20世纪90年代 is the 1990s: one number.
				vals = []float64{(v-1)*100 + d, d}
				j = k + dn + 2
			}
		}
	case hasPrefixAt(rs, j, "年代") && v < 100:
		vals = []float64{v, 1900 + v, 2000 + v}
	case hasPrefixAt(rs, j, "后") && v < 100 && int(v)%10 == 0:
		vals = []float64{v, 1900 + v, 2000 + v}
	case hasPrefixAt(rs, j, "个百分点") || hasPrefixAt(rs, j, "個百分點"):
		vals = []float64{v, v * 100}
	default:
		// A source's English scales are words (3.5 million): 10b in a
		// Chinese text is a name (Rule 10b-5), not ten billion.
		if s, sn := englishScale(rs[j:]); sn > 0 && sn > 2 {
			vals, j = []float64{v * s}, j+sn
		} else if j+1 < len(rs) && isRangeMark(rs[j]) && isDigitRune(rs[j+1]) {
			// 6000-8000万 is 60 to 80 million: the first end takes the
			// second's magnitude. The second is read on its own.
			if w, _, ok := mixedNumber(rs, j+1); ok {
				wd, _ := parseDigits(rs[j+1:])
				if wd > 0 && w/wd > 1 {
					vals = append(vals, v*w/wd)
				}
			}
		}
	}
	return num{raw: rawText(rs[i:j]), vals: vals}, j
}

// rawText returns a number as the source writes it, for a message.
func rawText(rs []rune) string {
	return strings.TrimSpace(strings.ReplaceAll(string(rs), string(markRune), ""))
}

// cnNumber decides whether the run of Chinese numerals rs[i:j] is a number
// a translation must keep, and reads it with its context (百分之五, 三分之一,
// 第三, 六月, 二〇二一年, 三个, 两个亿, 一亿三千多万). It returns the index
// after what it read.
func cnNumber(rs []rune, i, j int) (num, int, bool) {
	var prev rune
	if i > 0 {
		prev = rs[i-1]
	}
	// A trailing 两 after a magnitude is the tael (五千两黄金).
	if n := j - i; n > 1 && isTwo(rs[j-1]) && zhnum.Unit[rs[j-2]] > 0 {
		j--
	}
	run := rs[i:j]
	word := func(raw []rune, vals ...float64) (num, int, bool) {
		return num{raw: string(raw), vals: vals, word: true}, j, true
	}
	// Approximations are rendered in words without their number:
	// 几十万 "hundreds of thousands", 上千 "thousands", 成千上万.
	if strings.ContainsRune("几数上成好", prev) || j < len(rs) && rs[j] == '几' {
		return num{}, j, false
	}
	if inNumeralWord(rs, i, j) {
		return num{}, j, false
	}
	// 百分之五, 三分之一: the number after 分之 is read here.
	if hasPrefixAt(rs, j, "分之") {
		k := j + 2
		var y float64
		var ok bool
		end := k
		if k < len(rs) && isDigitRune(rs[k]) {
			if m, e, mixed := mixedNumber(rs, k); mixed {
				y, ok, end = m, true, e // 百分之6万
			} else {
				var n int
				y, n = parseDigits(rs[k:])
				ok, end = true, k+n
			}
		} else {
			for end < len(rs) && zhnum.IsNumeral(rs[end]) {
				end++
			}
			y, ok = zhnum.Parse(rs[k:end])
		}
		if !ok {
			return num{}, j, false
		}
		raw := string(rs[i:end])
		if string(run) == "百" {
			return num{raw: raw, vals: []float64{y, y / 100}, word: true}, end, true
		}
		d, ok := zhnum.Parse(run)
		if !ok || d == 0 {
			return num{}, j, false
		}
		return num{raw: raw, vals: []float64{y / d, d, 100 * y / d}, word: true}, end, true
	}
	// 二〇二一年: a year written digit by digit.
	if len(run) == 4 && hasPrefixAt(rs, j, "年") {
		y, ok := 0.0, true
		for _, r := range run {
			d, isD := zhnum.Digit[r]
			ok = ok && isD && !isTwo(r)
			y = 10*y + d
		}
		if ok {
			return word(run, y)
		}
	}
	// 两个亿, 一亿三千多万, 七百多萬: the magnitude after the run scales its
	// last section.
	if units, end, _ := magnitudes(rs, j); prev != '第' && units != nil && units[0].Unit >= 1e4 && rs[j] != ' ' {
		if v, ok := zhnum.ParseItems(append(zhnum.Items(run), units...)); ok && v > 1 {
			return num{raw: rawText(rs[i:end]), vals: []float64{v}, word: true}, end, true
		}
	}
	v, ok := zhnum.Parse(run)
	var alt []float64
	if c, stripped, ok2 := colloquial(run); ok2 {
		// 四十二万七 is 427,000, 三千五 3,500: the last digit counts in
		// tenths of the magnitude before it. A trailing 一 after 万 or 亿
		// may also start the next word (四十万一尺).
		v, ok = c, true
		if run[len(run)-1] == '一' && zhnum.Unit[run[len(run)-2]] >= 1e4 {
			alt = []float64{stripped}
		}
	}
	if !ok {
		return num{}, j, false
	}
	if alt != nil {
		return num{raw: string(run), vals: append([]float64{v}, alt...), word: true}, j, true
	}
	switch {
	case prev == '第':
		if hasAnyPrefixAt(rs, i-1, ordinalExceptions) {
			return num{}, j, false
		}
		return word(run, v)
	case hasPrefixAt(rs, j, "月") && v >= 1 && v <= 12:
		return word(run, v)
	case (hasPrefixAt(rs, j, "日") || hasPrefixAt(rs, j, "号") || hasPrefixAt(rs, j, "號")) && prev == '月':
		return word(run, v)
	case v == 1:
		return num{}, j, false
	case zhnum.HasUnit(run) && (zhnum.Digit[run[0]] > 0 || run[0] == '十') && len(run) > 1:
		return word(run, v)
	}
	// A lone digit (or 十) counts only before a measure word: 三个, 两名,
	// 十多年.
	k := j
	for k < len(rs) && strings.ContainsRune("多余来", rs[k]) {
		k++
	}
	if hasAnyPrefixAt(rs, k, classifiers) {
		return word(run, v)
	}
	return num{}, j, false
}

// targetNumbers returns every value a target text gives, read leniently: in
// digits with their scales (200,000; 0.2 million; $60m; 20万), in Chinese
// numerals, in English number words (twenty-five, a hundred), ordinals
// (third, 3rd), month names (June = 6), and words that carry a count (both,
// twice, dozen, decade, half).
func targetNumbers(text string) []float64 {
	rs := []rune(text)
	var vals []float64
	for i := 0; i < len(rs); {
		switch {
		case isDigitRune(rs[i]):
			v, n := parseDigits(rs[i:])
			vals = append(vals, v)
			j := i + n
			if m, end, ok := mixedNumber(rs, i); ok {
				vals = append(vals, m)
				j = end
			} else if s, sn := englishScale(rs[j:]); sn > 0 {
				// The scale word is read with its number: "$2 trillion"
				// is not also "a trillion".
				vals = append(vals, v*s)
				j += sn
			} else if j < len(rs) && rs[j] == 's' && v >= 1000 {
				vals = append(vals, float64(int(v)%100)) // the 1990s
			} else if s := rangeScale(rs, j); s > 0 {
				vals = append(vals, v*s) // 60-80 million
			}
			i = j
		case zhnum.IsNumeral(rs[i]):
			j := i
			for j < len(rs) && zhnum.IsNumeral(rs[j]) {
				j++
			}
			if v, ok := zhnum.Parse(rs[i:j]); ok {
				vals = append(vals, v)
			}
			y := 0.0
			for _, r := range rs[i:j] {
				y = 10*y + zhnum.Digit[r]
			}
			vals = append(vals, y)
			i = j
		case unicode.IsLetter(rs[i]) && rs[i] < 0x80:
			j := i
			for j < len(rs) && (rs[j] < 0x80 && unicode.IsLetter(rs[j]) || rs[j] == '-' || rs[j] == ' ' || rs[j] == '\'') {
				j++
			}
			vals = append(vals, wordNumbers(string(rs[i:j]))...)
			i = j
		default:
			i++
		}
	}
	return vals
}

// rangeScale returns the English scale of the other end of a range that
// starts at rs[j] ("-80 million", " to 80 million"), which the first end
// shares (60-80 million), or 0.
func rangeScale(rs []rune, j int) float64 {
	k := j
	switch {
	case k < len(rs) && strings.ContainsRune("-–—~", rs[k]):
		k++
	case hasPrefixAt(rs, k, " to "):
		k += 4
	case hasPrefixAt(rs, k, " and "):
		k += 5
	case hasPrefixAt(rs, k, " or "):
		k += 4
	default:
		return 0
	}
	if k >= len(rs) || !isDigitRune(rs[k]) {
		return 0
	}
	_, n := parseDigits(rs[k:])
	s, _ := englishScale(rs[k+n:])
	return s
}

var (
	smallWords = map[string]float64{"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
		"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
		"twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
		"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
		"thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
		"seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
		"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
		"eightieth": 80, "ninetieth": 90}
	bigWords = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6,
		"billion": 1e9, "trillion": 1e12, "hundredth": 100, "thousandth": 1e3,
		"millionth": 1e6}
	countWords = map[string][]float64{"both": {2}, "couple": {2}, "pair": {2}, "twice": {2},
		"double": {2}, "dual": {2}, "once": {1}, "single": {1}, "triple": {3}, "thrice": {3},
		"dozen": {12}, "dozens": {12}, "decade": {10}, "decades": {10}, "half": {0.5, 50},
		"quarter": {0.25, 25, 4}, "hundreds": {100}, "thousands": {1e3}, "millions": {1e6},
		"billions": {1e9}, "tens": {10}, "no": {0}, "none": {0}, "nil": {0}, "nobody": {0},
		"fortnight": {2, 14}, "secondary": {2}, "halves": {0.5, 50, 2}, "thirds": {3}, "quarters": {0.25, 25, 4},
		"twenties": {20}, "thirties": {30}, "forties": {40}, "fifties": {50}, "sixties": {60},
		"seventies": {70}, "eighties": {80}, "nineties": {90}}
	monthWords = map[string]float64{"January": 1, "February": 2, "March": 3, "April": 4,
		"May": 5, "June": 6, "July": 7, "August": 8, "September": 9, "October": 10,
		"November": 11, "December": 12, "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6,
		"Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
)

// wordNumbers returns the values of the English number words in s: each
// word's own value and the value of each run of words (one hundred and
// twenty-five).
func wordNumbers(s string) []float64 {
	var vals []float64
	var total, cur float64
	in := false
	flush := func() {
		if in {
			vals = append(vals, total+cur)
		}
		total, cur, in = 0, 0, false
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' }) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
		if v, ok := monthWords[w]; ok {
			vals = append(vals, v)
		}
		lw := strings.ToLower(w)
		if _, ok := smallWords[lw]; !ok && len(lw) > 4 && strings.HasSuffix(lw, "s") {
			if _, ok := smallWords[lw[:len(lw)-1]]; ok {
				lw = lw[:len(lw)-1] // two-thirds, three fifths
			}
		}
		if v, ok := countWords[lw]; ok {
			vals = append(vals, v...)
		}
		switch v, small := smallWords[lw]; {
		case small:
			cur += v
			in = true
			vals = append(vals, v)
		case bigWords[lw] == 100:
			cur = max(cur, 1) * 100
			in = true
		case bigWords[lw] > 0:
			total += max(cur, 1) * bigWords[lw]
			cur = 0
			in = true
		case lw == "and" && in:
		default:
			flush()
		}
	}
	flush()
	return vals
}
