package wire

import (
	"golang.org/x/text/language"
)

// GoogleCode returns the language code Google expects for t. Google wants
// zh-CN and zh-TW for Chinese, where x/text would write zh-Hans and
// zh-Hant, and plain language codes for most others; the few regional
// variants it distinguishes are kept.
func GoogleCode(t language.Tag) string {
	if t == language.Und {
		return ""
	}
	base, _ := t.Base()
	script, sconf := t.Script()
	region, rconf := t.Region()
	switch b := base.String(); b {
	case "zh":
		if sconf == language.Exact && script.String() == "Hant" {
			return "zh-TW"
		}
		if sconf == language.Exact && script.String() == "Hans" {
			return "zh-CN"
		}
		if rconf == language.Exact {
			switch region.String() {
			case "TW", "HK", "MO":
				return "zh-TW"
			}
		}
		return "zh-CN"
	case "pt":
		if rconf == language.Exact && region.String() == "PT" {
			return "pt-PT"
		}
		return "pt"
	case "fr":
		if rconf == language.Exact && region.String() == "CA" {
			return "fr-CA"
		}
		return "fr"
	case "mni":
		if sconf == language.Exact && script.String() == "Mtei" {
			return "mni-Mtei"
		}
		return b
	default:
		return b
	}
}
