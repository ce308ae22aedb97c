package qa

import (
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

// cnDigit maps the Chinese digit characters to their values.
var cnDigit = map[rune]float64{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnUnit maps the Chinese magnitude characters to their values.
var cnUnit = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 1e4, '亿': 1e8}

func isCN(r rune) bool {
	_, d := cnDigit[r]
	_, u := cnUnit[r]
	return d || u
}

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
	"篇", "户", "元", "吨", "米", "小时", "分钟", "星期", "公里", "美元", "英里", "亿", "万"}

// ordinalExceptions are 第 words that a good translation renders without
// their number (第二天 "the next day", 第一时间 "at once").
var ordinalExceptions = []string{"第二天", "第二日", "第一时间", "第二次世界大战"}

// parseDigits reads a number written in ASCII or full-width digits at the
// start of rs: digits, thousands groups of exactly three after a comma, and
// a decimal part. It returns the value and the runes read.
func parseDigits(rs []rune) (float64, int) {
	var b strings.Builder
	i := 0
	readRun := func() int {
		n := 0
		for i < len(rs) {
			d, ok := digitVal(rs[i])
			if !ok {
				break
			}
			b.WriteByte(byte('0' + d))
			i++
			n++
		}
		return n
	}
	readRun()
	for i+3 < len(rs)+0 && (rs[i] == ',' || rs[i] == '，') {
		n := 0
		for n < 3 && i+1+n < len(rs) {
			if _, ok := digitVal(rs[i+1+n]); !ok {
				break
			}
			n++
		}
		after := i + 1 + n
		if n != 3 || after < len(rs) && isDigitRune(rs[after]) {
			break
		}
		i++
		readRun()
	}
	if i+1 < len(rs) && (rs[i] == '.' || rs[i] == '．') && isDigitRune(rs[i+1]) {
		b.WriteByte('.')
		i++
		readRun()
	}
	v, _ := strconv.ParseFloat(b.String(), 64)
	return v, i
}

func isDigitRune(r rune) bool { _, ok := digitVal(r); return ok }

// parseCN returns the value of a run of Chinese numerals such as 二十五,
// 一百零五, 三万五千, 一万亿. It fails on runs that are not one number
// (五四, 一五一十) and on runs that start with a magnitude other than 十.
func parseCN(rs []rune) (float64, bool) {
	var yi, wan, sec, d float64
	hasD := false
	for i, r := range rs {
		if r == '零' || r == '〇' {
			if hasD {
				return 0, false
			}
			continue
		}
		if v, ok := cnDigit[r]; ok {
			if hasD {
				return 0, false
			}
			d, hasD = v, true
			continue
		}
		u := cnUnit[r]
		switch {
		case u < 1e4:
			if !hasD {
				if r != '十' || i > 0 && !isCNBoundary(rs[i-1]) {
					return 0, false
				}
				d = 1
			}
			sec += d * u
		case u == 1e4:
			if hasD {
				sec += d
			}
			if sec == 0 {
				return 0, false
			}
			wan, sec = wan+sec, 0
		default: // 亿
			if hasD {
				sec += d
			}
			x := wan*1e4 + sec
			if x == 0 {
				return 0, false
			}
			yi, wan, sec = (yi+x)*1e8, 0, 0
		}
		hasD = false
	}
	if hasD {
		sec += d
	}
	v := yi + wan*1e4 + sec
	return v, v > 0 || len(rs) == 1
}

// isCNBoundary reports whether 十 after r starts a new tens (一万十 is not
// written; 十 after 万 or 亿 is).
func isCNBoundary(r rune) bool { return r == '万' || r == '亿' }

// cnMultiplier reads a chain of magnitudes after a number in digits (20万,
// 3.5亿, 1.2万亿, 5千万) and returns its product and the runes read.
func cnMultiplier(rs []rune) (float64, int) {
	m, i := 1.0, 0
	for i < len(rs) {
		u, ok := cnUnit[rs[i]]
		if !ok {
			break
		}
		m *= u
		i++
	}
	return m, i
}

// scaleWords are the English magnitudes after a number in digits.
var scaleWords = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6,
	"billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9,
	"tn": 1e12, "millions": 1e6, "billions": 1e9, "thousands": 1e3}

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

// same reports whether two values are equal up to rounding error.
func same(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// hasPrefixAt reports whether rs[i:] starts with s.
func hasPrefixAt(rs []rune, i int, s string) bool {
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
