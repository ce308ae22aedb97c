package qa

import (
	"fmt"

	"golang.org/x/text/language"
)

// minLengthUnits is how long a source must be, in Chinese-character
// equivalents, before its length ratio says anything: short headings and
// cells ("图1", "结论") translate to anything.
const minLengthUnits = 12

// checkLength reports a target whose length (characters, white space not
// counted, tags aside) is out of LengthBounds relative to its source's.
func checkLength(cfg *Config, srcLang, tgtLang language.Tag, src, tgt string) []Finding {
	s, t := textChars(src), textChars(tgt)
	if s == 0 || t == 0 || float64(s)/density(srcLang) < minLengthUnits {
		return nil
	}
	lo, hi := LengthBounds(cfg, srcLang, tgtLang)
	r := float64(t) / float64(s)
	if r >= lo && r <= hi {
		return nil
	}
	return []Finding{{Kind: KindLength, Severity: Warning,
		Message: fmt.Sprintf("target/source length ratio %.2f is outside [%.2f, %.2f]", r, lo, hi)}}
}
