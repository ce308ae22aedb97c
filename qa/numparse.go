package qa

import (
	"github.com/diglot/diglot/internal/zhnum"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// num is one number found in a text.
type num struct {
	raw  string    // as written, for messages
	vals []float64 // values a translation may give it; vals[0] is what it means
	word bool      // written in Chinese numerals: less certain than digits
}

// isTwo reports whether r is 两, which is also a word of its own (两岸,
// 五千两 the tael).
func isTwo(r rune) bool { return r == '两' || r == '兩' }

// digitVal returns the value of an ASCII or full-width digit.
func digitVal(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

// classifiers are the measure words and units after which a lone Chinese
// digit (三个, 两名, 五年) is a count; without one, 三 or 两 is too often part
// of a word (三星, 两岸, 周五) to be checked.
var classifiers = []string{"个", "名", "位", "人", "次", "年", "岁", "天", "倍", "项", "家",
	"条", "件", "种", "座", "架", "艘", "辆", "台", "所", "只", "周", "批", "枚", "颗", "例",
	"支", "届", "层", "段", "组", "股", "笔", "期", "季", "代", "本", "部", "场", "轮", "份",
	"篇", "户", "元", "吨", "米", "小时", "分钟", "星期", "公里", "美元", "英里", "亿", "万",
	// The same in traditional characters.
	"個", "項", "條", "種", "輛", "臺", "隻", "場", "屆", "層", "組", "筆", "歲", "週", "億", "萬",
	"小時", "分鐘", "英哩"}

// ordinalExceptions are 第 words that a good translation renders without
// their number (第二天 "the next day", 第一时间 "at once").
var ordinalExceptions = []string{"第二天", "第二日", "第一时间", "第二次世界大战", "第一時間"}

// numeralWords are words and idioms that hold a Chinese numeral without
// counting anything: a translation renders their sense, not the number
// (三番五次 "again and again", 头两天 "the other day", 一五一十 "in
// full detail"). A numeral inside one is not checked.
var numeralWords = []string{
	"三番五次", "三番两次", "三天两头", "三心二意", "三言两语", "三五成群", "三三两两", "三长两短",
	"三头六臂", "三令五申", "三教九流", "三六九等", "三十六计", "三思而行", "三思而后行",
	"一五一十", "一干二净", "一清二楚", "一穷二白", "一石二鸟", "一举两得", "一分为二", "独一无二",
	"两面三刀", "接二连三", "不三不四", "颠三倒四", "丢三落四", "低三下四", "说三道四", "朝三暮四",
	"五花八门", "五湖四海", "五颜六色", "五体投地", "四面八方", "四分五裂", "四通八达", "四平八稳",
	"七上八下", "七嘴八舌", "七零八落", "乱七八糟", "七手八脚", "横七竖八", "杂七杂八", "七七八八",
	"九牛一毛", "九死一生", "十全十美", "十拿九稳", "十有八九", "十之八九", "八九不离十", "十万火急",
	"千方百计", "千辛万苦", "千军万马", "千变万化", "千差万别", "千家万户", "千山万水", "千言万语",
	"千真万确", "千丝万缕", "千千万万", "万无一失", "万众一心", "一心一意", "百发百中", "百战百胜",
	"头两天", "前两天", "这两天", "那两天", "头两年", "这两年", "前两年", "百分之百", "百分百",
	"十八般", "八成", "九成", "十成", "三两下", "两下子", "三下两下", "一两个", "三两个",
	"三番兩次", "三天兩頭", "三言兩語", "三三兩兩", "三長兩短", "一舉兩得", "兩面三刀",
	"頭兩天", "前兩天", "這兩天", "那兩天", "這兩年", "一兩個", "千辛萬苦", "千軍萬馬", "千變萬化",
	"千差萬別", "千家萬戶", "千真萬確", "千絲萬縷", "千千萬萬", "萬無一失", "萬眾一心", "亂七八糟",
}

// numeralWordsAt indexes numeralWords by rune: for each rune, the words
// holding it and where.
var numeralWordsAt = func() map[rune][]numeralWordAt {
	m := map[rune][]numeralWordAt{}
	for _, w := range numeralWords {
		rs := []rune(w)
		for k, r := range rs {
			m[r] = append(m[r], numeralWordAt{rs, k})
		}
	}
	return m
}()

type numeralWordAt struct {
	word []rune
	at   int // the index of the rune in word
}

// inNumeralWord reports whether the numerals rs[i:j] lie inside one of
// numeralWords.
func inNumeralWord(rs []rune, i, j int) bool {
	for _, w := range numeralWordsAt[rs[i]] {
		s := i - w.at
		if s >= 0 && s+len(w.word) >= j && hasPrefixAt(rs, s, string(w.word)) {
			return true
		}
	}
	return false
}

// parseDigits reads a number written in ASCII or full-width digits at the
// start of rs: digits, thousands groups of exactly three after a comma, and
// a decimal part. It returns the value and the runes read.
func parseDigits(rs []rune) (float64, int) {
	var b strings.Builder
	i := 0
	readRun := func() {
		for i < len(rs) {
			d, ok := digitVal(rs[i])
			if !ok {
				break
			}
			b.WriteByte(byte('0' + d))
			i++
		}
	}
	readRun()
	// 14,9亿: a decimal comma, before a Chinese magnitude.
	if i < len(rs) && rs[i] == ',' && decimalComma(rs[i+1:]) {
		b.WriteByte('.')
		i++
		readRun()
		v, _ := strconv.ParseFloat(b.String(), 64)
		return v, i
	}
	// 5,0847亿: Chinese sometimes groups digits by four, as it counts.
	if i <= 4 && i+4 < len(rs) && rs[i] == ',' && myriadGroup(rs[i+1:]) {
		for i+4 < len(rs) && rs[i] == ',' && myriadGroup(rs[i+1:]) {
			i++
			readRun()
		}
		v, _ := strconv.ParseFloat(b.String(), 64)
		return v, i
	}
	// A full-width comma separates thousands only between full-width
	// digits: after ASCII digits it is Chinese punctuation (40万，50万
	// written 400,000，500,000 is two numbers).
	for i+3 < len(rs) && (rs[i] == ',' || rs[i] == '，' && fullWidthBefore(rs, i)) {
		n := 0
		for n < 3 && i+1+n < len(rs) && isDigitRune(rs[i+1+n]) {
			n++
		}
		after := i + 1 + n
		if n != 3 || after < len(rs) && isDigitRune(rs[after]) {
			break
		}
		i++
		readRun()
	}
	if i+1 < len(rs) && (rs[i] == '.' || rs[i] == '．' && fullWidthBefore(rs, i)) && isDigitRune(rs[i+1]) {
		b.WriteByte('.')
		i++
		readRun()
	}
	v, _ := strconv.ParseFloat(b.String(), 64)
	return v, i
}

func isDigitRune(r rune) bool { _, ok := digitVal(r); return ok }

// fullWidthBefore reports whether rs[i-1] is a full-width digit: only
// between those are '，' and '．' a number's separators.
func fullWidthBefore(rs []rune, i int) bool { return i > 0 && rs[i-1] >= '０' && rs[i-1] <= '９' }

// decimalComma reports whether rs starts with one or two digits and then
// 万 or 亿: the decimal part of 14,9亿.
func decimalComma(rs []rune) bool {
	n := 0
	for n < len(rs) && n < 3 && isDigitRune(rs[n]) {
		n++
	}
	return (n == 1 || n == 2) && n < len(rs) && zhnum.Unit[rs[n]] >= 1e4
}

// myriadGroup reports whether rs starts with exactly four digits followed
// by a Chinese magnitude or another group of four (5,0847亿).
func myriadGroup(rs []rune) bool {
	for k := 0; k < 4; k++ {
		if k >= len(rs) || !isDigitRune(rs[k]) {
			return false
		}
	}
	return len(rs) > 4 && (zhnum.Unit[rs[4]] >= 1e4 || rs[4] == ',' && myriadGroup(rs[5:]))
}

// colloquial reads a run of Chinese numerals that ends in a digit right
// after a magnitude of a hundred or more, as speech abbreviates it:
// 四十二万七 = 427,000, 三千五 = 3,500, 一万一 = 11,000. It returns that value
// and the value of the run without its last digit.
func colloquial(run []rune) (v, stripped float64, ok bool) {
	n := len(run)
	if n < 2 {
		return 0, 0, false
	}
	d, isD := zhnum.Digit[run[n-1]]
	u := zhnum.Unit[run[n-2]]
	if !isD || u < 100 || d == 0 {
		return 0, 0, false
	}
	stripped, ok = zhnum.Parse(run[:n-1])
	return stripped + d*u/10, stripped, ok
}

// magnitudes reads what may come between a number and its magnitude and
// the magnitude itself, at rs[j]: a space, 多, 余 or 几 (more than, some),
// 个 before 万 or 亿 (一百个亿), then a chain of magnitudes (万, 千万,
// 万亿). It returns the magnitudes as items, the index after them and
// whether "more than" was said; no items when none follows.
func magnitudes(rs []rune, j int) (units []zhnum.Item, end int, more bool) {
	k := j
	for k < len(rs) && rs[k] == markRune {
		k++
	}
	// Any one space: the pipeline sends a no-break space as a space.
	spaced := k < len(rs) && unicode.Is(unicode.Zs, rs[k])
	if spaced {
		k++
	}
	for k < len(rs) && strings.ContainsRune("多余几來来", rs[k]) {
		k++
		more = true
	}
	for k < len(rs) && rs[k] == markRune {
		k++
	}
	if spaced && k < len(rs) && rs[k] == '十' {
		return nil, j, false // 4.1.3 十八岁: a section number, then 18
	}
	if k+1 < len(rs) && (rs[k] == '个' || rs[k] == '個') && zhnum.Unit[rs[k+1]] >= 1e4 {
		k++
	}
	for k < len(rs) && zhnum.Unit[rs[k]] > 0 {
		units = append(units, zhnum.Item{Unit: zhnum.Unit[rs[k]]})
		k++
	}
	if units == nil {
		return nil, j, false
	}
	return units, k, more
}

// mixedNumber reads a number in digits with Chinese magnitudes at rs[i]:
// 20万, 3.5亿, 200多万, 35个亿, 1 亿8 千5百万. It returns the value and the
// index after it, or false when no magnitude follows the digits.
func mixedNumber(rs []rune, i int) (float64, int, bool) {
	var items []zhnum.Item
	end, k := i, i
	more := false
	for k < len(rs) {
		var group []zhnum.Item
		e := k
		switch {
		case isDigitRune(rs[k]):
			v, n := parseDigits(rs[k:])
			units, ue, m := magnitudes(rs, k+n)
			if units == nil {
				break
			}
			group, e, more = append([]zhnum.Item{{Val: v}}, units...), ue, m
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
		items, end, k = cand, e, e
		if more {
			break // 200多万: after "more than" the number is done
		}
	}
	if items == nil {
		return 0, i, false
	}
	v, _ := zhnum.ParseItems(items)
	return v, end, true
}

// scaleWords are the English magnitudes after a number in digits.
var scaleWords = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6,
	"billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9,
	"bln": 1e9, "b": 1e9, "tn": 1e12, "millions": 1e6, "billions": 1e9, "thousands": 1e3}

// englishScale reads an English magnitude after a number in digits ("3.5
// million", "$60m", "1.2bn") and returns it and the runes read, or 0.
func englishScale(rs []rune) (float64, int) {
	i := 0
	if i < len(rs) && rs[i] == ' ' {
		i++
	}
	j := i
	for j < len(rs) && unicode.IsLetter(rs[j]) && rs[j] < 0x80 {
		j++
	}
	if j < len(rs) && unicode.IsLetter(rs[j]) {
		return 0, 0
	}
	w := strings.ToLower(string(rs[i:j]))
	if len(w) <= 2 && i > 0 { // "5 m" is five metres more often than five million
		return 0, 0
	}
	if s, ok := scaleWords[w]; ok {
		return s, j
	}
	return 0, 0
}

// isRangeMark reports whether r joins the two ends of a range (3-5万,
// 6月10日至12日, 5、6个亿, 7,8百亿).
func isRangeMark(r rune) bool { return strings.ContainsRune("-~～—–至到、或,", r) }

// same reports whether two values are equal up to rounding error (1.3亿 is
// 1.3 × 1e8 = 130000000.00000001), and no more: 3,349,702,001 is not
// 3,349,702,000.
func same(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// hasPrefixAt reports whether rs[i:] starts with s.
func hasPrefixAt(rs []rune, i int, s string) bool {
	if i < 0 {
		return false
	}
	for _, r := range s {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

func hasAnyPrefixAt(rs []rune, i int, ss []string) bool {
	for _, s := range ss {
		if hasPrefixAt(rs, i, s) {
			return true
		}
	}
	return false
}
