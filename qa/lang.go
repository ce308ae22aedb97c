package qa

import (
	"golang.org/x/text/language"
)

// density is roughly how many characters (white space not counted) a
// language needs for what Chinese says in one. Chinese and Japanese pack a
// word into one or two characters; alphabetic languages need about three
// times as many: an English translation of Chinese news runs 2.5–3.5 times
// the source's characters (the test tables measure it on their sentences).
func density(t language.Tag) float64 {
	b, _ := t.Base()
	switch b.String() {
	case "zh", "yue", "wuu", "lzh":
		return 1
	case "ja":
		return 1.5
	case "ko":
		return 1.7
	}
	return 3
}

// LengthBounds returns the bounds of the target/source character ratio for
// a language pair (see checkLength): cfg's when set, else 0.5 and 2 times
// the expected ratio density(tgt)/density(src) — 1.5 to 6.0 for Chinese to
// English, 0.17 to 0.67 for English to Chinese, 0.5 to 2.0 between two
// alphabetic languages. The Chinese to English bounds are calibrated on
// real translations of corpus sentences (qa's TestLengthCalibration: 134
// renderings of 12 or more characters run 2.05 to 5.16 times their source,
// median 3.16), with a quarter of room on either side.
func LengthBounds(cfg *Config, srcLang, tgtLang language.Tag) (lo, hi float64) {
	expect := density(tgtLang) / density(srcLang)
	lo, hi = 0.5*expect, 2*expect
	if cfg != nil && cfg.LengthMin > 0 {
		lo = cfg.LengthMin
	}
	if cfg != nil && cfg.LengthMax > 0 {
		hi = cfg.LengthMax
	}
	return lo, hi
}
