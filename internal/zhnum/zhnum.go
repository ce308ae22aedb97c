// Package zhnum reads numbers written in Chinese numerals (二十五,
// 一百零五, 三万五千, 1亿8千5百万): what the QA numbers check and the pseudo
// engine both need to agree on.
package zhnum

import "slices"

// Digit maps the Chinese digit characters to their values, in simplified
// and traditional characters.
var Digit = map[rune]float64{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '兩': 2, '三': 3,
	'四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// Unit maps the Chinese magnitude characters to their values.
var Unit = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8}

// IsNumeral reports whether r is a Chinese digit or magnitude.
func IsNumeral(r rune) bool {
	_, d := Digit[r]
	_, u := Unit[r]
	return d || u
}

// HasUnit reports whether a run of Chinese numerals holds a magnitude.
func HasUnit(run []rune) bool {
	return slices.ContainsFunc(run, func(r rune) bool { _, ok := Unit[r]; return ok })
}

// Item is one piece of a number written with Chinese magnitudes: a value
// (a Chinese digit or a number in digits) or a magnitude (十 … 亿).
type Item struct {
	Val  float64
	Unit float64 // 0 for a value
}

// ParseItems returns the value of a number written with Chinese
// magnitudes, as a reader of Chinese groups it: in sections of 万 and 亿
// (三万五千 = 35,000; 一亿三千万 = 130,000,000; 1亿8千5百万 = 185,000,000;
// 1.2万亿 = 1.2 trillion). It fails on what is not one number: two values
// in a row (五四), a magnitude first other than 十, 万 twice in one 亿
// section (五万十万 is a list).
func ParseItems(items []Item) (float64, bool) {
	var yi, wan, sec, d float64
	hasD, hasWan := false, false
	for i, it := range items {
		if it.Unit == 0 {
			if hasD {
				return 0, false
			}
			d, hasD = it.Val, true
			continue
		}
		u := it.Unit
		switch {
		case u < 1e4:
			if !hasD {
				if u != 10 || i > 0 && items[i-1].Unit < 1e4 {
					return 0, false
				}
				d = 1
			}
			sec += d * u
		case u == 1e4:
			if hasD {
				sec += d
			}
			if sec == 0 || hasWan {
				return 0, false
			}
			wan, sec, hasWan = sec, 0, true
		default:
			if hasD {
				sec += d
			}
			x := wan*1e4 + sec
			if x == 0 || yi > 0 && items[i-1].Unit != 1e8 {
				return 0, false // 六亿七亿 is two numbers; 亿亿 is one
			}
			yi, wan, sec, hasWan = (yi+x)*1e8, 0, 0, false
		}
		hasD = false
	}
	if hasD {
		sec += d
	}
	v := yi + wan*1e4 + sec
	return v, len(items) > 0 && (v > 0 || len(items) == 1)
}

// Parse returns the value of a run of Chinese numerals such as 二十五,
// 一百零五, 三万五千, 一万亿 (see ParseItems). 零 and 〇 only hold places.
func Parse(rs []rune) (float64, bool) {
	for i := 1; i < len(rs); i++ {
		if (rs[i] == '零' || rs[i] == '〇') && Unit[rs[i-1]] == 0 && rs[i-1] != '零' {
			return 0, false // 二〇二一 is not one number
		}
	}
	items := Items(rs)
	if len(items) == 0 {
		return 0, len(rs) > 0 // 零 alone
	}
	return ParseItems(items)
}

// Items returns the items of a run of Chinese numerals; 零 and 〇 only
// hold places.
func Items(rs []rune) []Item {
	items := make([]Item, 0, len(rs))
	for _, r := range rs {
		switch {
		case r == '零' || r == '〇':
		case Unit[r] > 0:
			items = append(items, Item{Unit: Unit[r]})
		default:
			items = append(items, Item{Val: Digit[r]})
		}
	}
	return items
}
