package pseudo

import (
	"github.com/diglot/diglot/internal/zhnum"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// This file renders Chinese numbers and dates as an English translator
// writes them, so that a pseudo run exercises the numbers check the way a
// real translation does instead of tripping it: 8亿 → 800 million,
// 1.2万 → 12,000, 6月16日 → June 16, 百分之五 → 5%, 三个 → three.
//
// It reads the same forms as package qa's numbers check and renders more
// of them than that check requires (三星 becomes "3 ..."): a number the
// check wants must never be left in Chinese, and a test runs the check on
// pseudo output over the whole corpus.

// part is a number found in a text and its English rendering: it
// replaces runes [start, end).
type part struct {
	start, end int
	text       string
}

// chineseNumbers finds the numbers of rs outside URLs and renders them.
// tokEnd gives, for each rune, the end of the text between two tags that
// holds it. A number may run on past that end (**7**万) only when the text
// it runs into goes on after it: a tag pair left empty or holding only
// spaces would change how the Markdown reads (**2019****年** must not
// become **2019******); otherwise the number is written whole where it
// starts and the text after the tags stays.
func chineseNumbers(rs []rune, inURL []bool, tokEnd []int, words bool) []part {
	var parts []part
	last := 0 // where the text after the last number starts
	for i := 0; i < len(rs); {
		if inURL[i] {
			i++
			continue
		}
		text, end := number(rs, i, last, words)
		if end > tokEnd[i] && !keepsText(rs, tokEnd, i, end) {
			// The number is written whole; what it runs into stays
			// as text (**30 million**[[…]] rather than **30**, the 万
			// standing alone in **3000**万[[…]]).
			end = tokEnd[i]
		}
		if end <= i || slices.Contains(inURL[i:end], true) {
			i++
			continue
		}
		parts = append(parts, part{start: i, end: end, text: text})
		i, last = end, end
	}
	return parts
}

// keepsText reports whether a number at rs[start:end] that runs past the
// text holding its start leaves text other than spaces in every piece of
// text it runs into.
func keepsText(rs []rune, tokEnd []int, start, end int) bool {
	for k := tokEnd[start]; k < end; k = tokEnd[k] {
		if rs[k] == markRune {
			continue
		}
		if tokEnd[k] <= end || strings.TrimSpace(string(rs[end:tokEnd[k]])) == "" {
			return false
		}
	}
	return true
}

// number renders the number that starts at rs[i], returning its English
// form and the index after it, or i when none starts there. from is where
// the text after the previous number starts: a run of numerals starting
// before it is not read again. words asks for small whole numbers in
// words.
func number(rs []rune, i, from int, words bool) (string, int) {
	text, end := number1(rs, i, from)
	if words && end > i {
		text = inWords(text)
	}
	return text, end
}

func number1(rs []rune, i, from int) (string, int) {
	c := rs[i]
	switch {
	case isDigit(c):
		if i > 0 && isDigit(rs[i-1]) || i > 1 && strings.ContainsRune(".,", rs[i-1]) && isDigit(rs[i-2]) {
			return "", i // inside a number (3.5月 is 3.5 months)
		}
		if i > 0 && isASCIILetter(rs[i-1]) {
			// In a word such as G7 or 5G; GDP1万亿 is still a number.
			if m, more, end, ok := mixedNumber(rs, i); ok {
				return scaled(m, more), end
			}
			return "", i
		}
		return digitNumber(rs, i)
	case hasPrefix(rs, i, "百分之"):
		v, end, ok := anyNumber(rs, i+3)
		if !ok {
			return "", i
		}
		return formatPlain(v) + "%", end
	case c == '第':
		v, end, ok := anyNumber(rs, i+1)
		if !ok || v != math.Trunc(v) || v <= 0 || isDigit(rs[end-1]) && end < len(rs) && isASCIILetter(rs[end]) {
			return "", i // 第10b-5条 is Rule 10b-5; 第一CP is the first CP
		}
		return ordinal(int(v)), end
	case zhnum.IsNumeral(c):
		return cnNumber(rs, i, from)
	}
	return "", i
}

// digitNumber renders a number in digits with what follows it: a month
// and day, a year, a decade, a magnitude (20万, 3.5亿, 200多万), a range
// whose second number has a magnitude (6000-8000万), a percent sign.
func digitNumber(rs []rune, i int) (string, int) {
	v, n, lit := parseDigits(rs[i:])
	j := i + n
	integer := v == math.Trunc(v) && !strings.ContainsAny(lit, ".")
	k := skipSpace(rs, j)
	switch {
	case integer && v >= 1 && v <= 12 && hasPrefix(rs, k, "月"):
		return date(rs, int(v), k+1)
	case integer && n == 4 && hasPrefix(rs, k, "年") && !hasPrefix(rs, k, "年代"):
		return lit, k + 1
	case integer && v < 100 && hasPrefix(rs, k, "年代"):
		return decade(int(v)), k + 2
	}
	if m, more, end, ok := mixedNumber(rs, i); ok {
		return scaled(m, more), end
	}
	// A range whose second number carries the magnitude: 6000-8000万,
	// 5、6个亿, 7,8百亿.
	if j+1 < len(rs) && strings.ContainsRune("-~～—–至到、或,", rs[j]) && isDigit(rs[j+1]) {
		w, _, _ := parseDigits(rs[j+1:])
		if m, more, end, ok := mixedNumber(rs, j+1); ok && w > 0 {
			return scaled(v*m/w, false) + "-" + scaled(m, more), end
		}
	}
	if strings.ContainsFunc(string(rs[i:j]), func(r rune) bool { return r >= '０' && r <= '９' }) {
		return lit, j // ９９．９ is written 99.9
	}
	return "", i // digits alone are copied as they are
}

// cnNumber renders a run of Chinese numerals: a year written digit by
// digit (二〇二一年), a fraction (三分之二), a month and day, or a count. A
// lone 一 is a word (一些, 统一), and an approximation (几十万, 上千) is
// rendered without its number by a translator: both are left alone.
func cnNumber(rs []rune, i, from int) (string, int) {
	if i > from && zhnum.IsNumeral(rs[i-1]) || i > 0 && strings.ContainsRune("几数上成好", rs[i-1]) {
		return "", i
	}
	if i > 0 && rs[i-1] == '月' {
		// 元月一日, 本月一日: a day in numerals.
		j := i
		for j < len(rs) && zhnum.IsNumeral(rs[j]) {
			j++
		}
		if d, ok := zhnum.Parse(rs[i:j]); ok && d >= 1 && d <= 31 && j < len(rs) && strings.ContainsRune("日号號", rs[j]) {
			return strconv.Itoa(int(d)), j + 1
		}
	}
	j := i
	for j < len(rs) && zhnum.IsNumeral(rs[j]) {
		j++
	}
	// A trailing 两 after a magnitude is the tael (五千两).
	if n := j - i; n > 1 && (rs[j-1] == '两' || rs[j-1] == '兩') && zhnum.Unit[rs[j-2]] > 0 {
		j--
	}
	run := rs[i:j]
	if j < len(rs) && rs[j] == '几' {
		return "", i
	}
	if len(run) == 4 && hasPrefix(rs, j, "年") {
		y := 0
		for _, c := range run {
			d, ok := zhnum.Digit[c]
			if !ok || c == '两' || c == '兩' {
				y = -1
				break
			}
			y = 10*y + int(d)
		}
		if y >= 0 {
			return strconv.Itoa(y), j + 1
		}
	}
	if hasPrefix(rs, j, "分之") {
		d, ok := zhnum.Parse(run)
		y, end, ok2 := anyNumber(rs, j+2)
		if ok && ok2 && d > 0 {
			return fraction(y, d), end
		}
		return "", i
	}
	v, ok := zhnum.Parse(run)
	if n := len(run); n >= 2 && zhnum.Unit[run[n-2]] >= 100 && zhnum.Digit[run[n-1]] > 0 {
		// 四十二万七 is 427,000, 三千五 3,500: the last digit counts in
		// tenths of the magnitude before it.
		if w, ok2 := zhnum.Parse(run[:n-1]); ok2 {
			v, ok = w+zhnum.Digit[run[n-1]]*zhnum.Unit[run[n-2]]/10, true
		}
	}
	if !ok {
		return "", i
	}
	if v >= 1 && v <= 12 && v == math.Trunc(v) && hasPrefix(rs, j, "月") {
		return date(rs, int(v), j+1)
	}
	if j < len(rs) && rs[j] != ' ' {
		if units, more, end := magnitudes(rs, j); units != nil && units[0].Unit >= 1e4 {
			if m, ok := zhnum.ParseItems(append(zhnum.Items(run), units...)); ok {
				return scaled(m, more), end
			}
		}
	}
	if v == 1 && len(run) == 1 {
		return "", i
	}
	if zhnum.HasUnit(run) && v >= 1e4 {
		return scaled(v, false), j
	}
	if v <= 10 && v == math.Trunc(v) {
		return smallWords[int(v)], j
	}
	return formatPlain(v), j
}

// anyNumber reads a number in digits or Chinese numerals at rs[i], as
// after 百分之, 分之 or 第.
func anyNumber(rs []rune, i int) (float64, int, bool) {
	if i < len(rs) && isDigit(rs[i]) {
		if m, _, end, ok := mixedNumber(rs, i); ok {
			return m, end, true // 第14万: the 140,000th
		}
		v, n, _ := parseDigits(rs[i:])
		return v, i + n, true
	}
	j := i
	for j < len(rs) && zhnum.IsNumeral(rs[j]) {
		j++
	}
	v, ok := zhnum.Parse(rs[i:j])
	return v, j, ok && j > i
}

// date renders month m, with the day that follows it (16日, 十六日, 9号),
// from rs[i], the index after 月 (and 份).
func date(rs []rune, m int, i int) (string, int) {
	month := months[m-1]
	if hasPrefix(rs, i, "份") {
		return month, i + 1
	}
	j := skipSpace(rs, i)
	if d, end, ok := anyNumber(rs, j); ok && d >= 1 && d <= 31 && d == math.Trunc(d) {
		k := skipSpace(rs, end)
		if k < len(rs) && strings.ContainsRune("日号號", rs[k]) {
			return month + " " + strconv.Itoa(int(d)), k + 1
		}
	}
	return month, i
}

// magnitudes reads what may come between a number and its magnitude and
// the magnitude itself, at rs[j]: a space, 多 or 余 (more than), 个 before
// 万 or 亿 (一百个亿), a chain of magnitudes (万, 千万, 万亿), then 多 again
// (1万多). It returns the magnitudes as items, whether "more than" was
// said, and the index after them; no items when none follows.
func magnitudes(rs []rune, j int) ([]zhnum.Item, bool, int) {
	k := skipMarks(rs, j)
	spaced := k < len(rs) && rs[k] == ' '
	k = skipSpace(rs, k)
	more := false
	for k < len(rs) && strings.ContainsRune("多余几來来", rs[k]) {
		more = true
		k++
	}
	k = skipMarks(rs, k)
	if spaced && k < len(rs) && rs[k] == '十' {
		return nil, false, j // 4.1.3 十八岁: a section number, then 18
	}
	if k+1 < len(rs) && (rs[k] == '个' || rs[k] == '個') && zhnum.Unit[rs[k+1]] >= 1e4 {
		k++
	}
	var units []zhnum.Item
	for k < len(rs) && zhnum.Unit[rs[k]] > 0 {
		units = append(units, zhnum.Item{Unit: zhnum.Unit[rs[k]]})
		k++
	}
	if units == nil {
		return nil, false, j
	}
	if k < len(rs) && strings.ContainsRune("多余", rs[k]) {
		more = true
		k++
	}
	return units, more, k
}

// mixedNumber reads a number in digits with Chinese magnitudes at rs[i]:
// 20万, 3.5亿, 200多万, 35个亿, 1 亿8 千5百万.
func mixedNumber(rs []rune, i int) (v float64, more bool, end int, ok bool) {
	var items []zhnum.Item
	end = i
	for k := i; k < len(rs); {
		var group []zhnum.Item
		m, e := false, k
		switch {
		case isDigit(rs[k]):
			d, n, _ := parseDigits(rs[k:])
			var units []zhnum.Item
			units, m, e = magnitudes(rs, k+n)
			if units == nil {
				break
			}
			group = append([]zhnum.Item{{Val: d}}, units...)
		case items != nil && zhnum.Digit[rs[k]] > 0:
			// 1亿两千万: Chinese numerals with a magnitude go on after the
			// digits (not 一 alone: 3000多亿一下子).
			for e < len(rs) && zhnum.IsNumeral(rs[e]) {
				e++
			}
			if zhnum.HasUnit(rs[k:e]) {
				group = zhnum.Items(rs[k:e])
			}
		}
		if group == nil {
			break
		}
		cand := append(items[:len(items):len(items)], group...)
		if _, ok := zhnum.ParseItems(cand); !ok {
			break
		}
		items, end, k, more = cand, e, e, more || m
		if more {
			break // 13 万多一分: after "more than" the number is done
		}
	}
	if items == nil {
		return 0, false, i, false
	}
	v, _ = zhnum.ParseItems(items)
	return v, more, end, true
}

// scaled writes a value as English does: 800 million, 1.4 billion,
// 12,000; "more than" before it for 多 and 余.
func scaled(v float64, more bool) string {
	var s string
	switch {
	case v >= 1e12:
		s = trim(v/1e12) + " trillion"
	case v >= 1e9:
		s = trim(v/1e9) + " billion"
	case v >= 1e6:
		s = trim(v/1e6) + " million"
	default:
		s = formatPlain(v)
	}
	if more {
		s = "more than " + s
	}
	return s
}

// formatPlain writes a value in digits with thousands separators.
func formatPlain(v float64) string {
	s := trim(v)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) >= 4 {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if frac != "" {
		return intPart + "." + frac
	}
	return intPart
}

// trim writes v with the fewest digits that give it back, rounded to 12
// significant digits so that 1.3 × 1e8 is 130 million, not
// 130.00000000000003.
func trim(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func decade(v int) string {
	if v >= 30 {
		return strconv.Itoa(1900+v) + "s"
	}
	return strconv.Itoa(2000+v) + "s"
}

func fraction(num, den float64) string {
	if num != math.Trunc(num) || den != math.Trunc(den) || num > 10 || den > 10 || den < 2 {
		return formatPlain(num) + "/" + formatPlain(den)
	}
	w := denominators[int(den)]
	if num != 1 {
		w += "s"
		if den == 2 {
			w = "halves"
		}
	}
	return smallWords[int(num)] + " " + w
}

func ordinal(n int) string {
	if n <= 10 {
		return ordinals[n]
	}
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

var (
	months = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	smallWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten"}
	ordinals = []string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
		"seventh", "eighth", "ninth", "tenth"}
	denominators = []string{"", "", "half", "third", "quarter", "fifth", "sixth", "seventh",
		"eighth", "ninth", "tenth"}
)

// parseDigits reads a number in ASCII or full-width digits at the start
// of rs, with thousands groups and a decimal part. It returns the value,
// the runes read and the number as ASCII text.
func parseDigits(rs []rune) (float64, int, string) {
	var b strings.Builder
	i := 0
	run := func() {
		for i < len(rs) && isDigit(rs[i]) {
			d, _ := fullWidthDigit(rs[i])
			b.WriteRune(d)
			i++
		}
	}
	run()
	// 14,9亿: a decimal comma, before a Chinese magnitude.
	if i < len(rs) && rs[i] == ',' && decimalComma(rs[i+1:]) {
		b.WriteByte('.')
		i++
		run()
		lit := b.String()
		v, _ := strconv.ParseFloat(lit, 64)
		return v, i, lit
	}
	// 5,0847亿: Chinese sometimes groups digits by four, as it counts.
	if i <= 4 && rs4(rs, i) {
		for rs4(rs, i) {
			i++
			run()
		}
		lit := b.String()
		v, _ := strconv.ParseFloat(lit, 64)
		return v, i, lit
	}
	for i+3 < len(rs) && (rs[i] == ',' || rs[i] == '，' && i > 0 && rs[i-1] >= '０') && isDigit(rs[i+1]) && isDigit(rs[i+2]) && isDigit(rs[i+3]) &&
		(i+4 >= len(rs) || !isDigit(rs[i+4])) {
		b.WriteByte(',')
		i++
		run()
	}
	if i+1 < len(rs) && (rs[i] == '.' || rs[i] == '．' && i > 0 && rs[i-1] >= '０') && isDigit(rs[i+1]) {
		b.WriteByte('.')
		i++
		run()
	}
	lit := b.String()
	v, _ := strconv.ParseFloat(strings.ReplaceAll(lit, ",", ""), 64)
	return v, i, lit
}

// decimalComma reports whether rs starts with one or two digits and then
// 万 or 亿: the decimal part of 14,9亿.
func decimalComma(rs []rune) bool {
	n := 0
	for n < len(rs) && n < 3 && isDigit(rs[n]) {
		n++
	}
	return (n == 1 || n == 2) && n < len(rs) && zhnum.Unit[rs[n]] >= 1e4
}

// rs4 reports whether rs[i:] is a comma and a group of four digits
// followed by a Chinese magnitude or another such group.
func rs4(rs []rune, i int) bool {
	if i >= len(rs) || rs[i] != ',' {
		return false
	}
	for k := 1; k <= 4; k++ {
		if i+k >= len(rs) || !isDigit(rs[i+k]) {
			return false
		}
	}
	return i+5 < len(rs) && (zhnum.Unit[rs[i+5]] >= 1e4 || rs4(rs, i+5))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func hasPrefix(rs []rune, i int, s string) bool {
	for _, r := range s {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// skipMarks skips the marks of formatting tags.
func skipMarks(rs []rune, i int) int {
	for i < len(rs) && rs[i] == markRune {
		i++
	}
	return i
}

// skipSpace skips one space, as in "2022年 5 月".
func skipSpace(rs []rune, i int) int {
	if i < len(rs) && unicode.Is(unicode.Zs, rs[i]) { // a no-break space too
		return i + 1
	}
	return i
}

// inWords writes a rendered number that is a whole number, or one as a
// percentage, in words: 16 → sixteen, 800,000 → eight hundred thousand,
// 5% → five percent. Anything else (1.4 billion, June 16) is returned as
// it is.
func inWords(s string) string {
	pct := strings.HasSuffix(s, "%")
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSuffix(s, "%"), ",", ""), 10, 64)
	if err != nil || n < 0 || n >= 1e15 {
		return s
	}
	w := numberWords(n)
	if pct {
		w += " percent"
	}
	return w
}

// numberWords spells n in English.
func numberWords(n int64) string {
	if n < 20 {
		return teenWords[n]
	}
	if n < 100 {
		if n%10 == 0 {
			return tensWords[n/10]
		}
		return tensWords[n/10] + "-" + teenWords[n%10]
	}
	if n < 1000 {
		w := teenWords[n/100] + " hundred"
		if n%100 != 0 {
			w += " " + numberWords(n%100)
		}
		return w
	}
	for _, sc := range []struct {
		v    int64
		name string
	}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}, {1e3, "thousand"}} {
		if n >= sc.v {
			w := numberWords(n/sc.v) + " " + sc.name
			if n%sc.v != 0 {
				w += " " + numberWords(n%sc.v)
			}
			return w
		}
	}
	return strconv.FormatInt(n, 10)
}

var (
	teenWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
		"seventeen", "eighteen", "nineteen"}
	tensWords = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
		"eighty", "ninety"}
)
