package openaichat

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/tags"
)

// The reasons a single translation is rejected. Each matches the
// per-segment error with errors.Is.
var (
	ErrEmpty        = errors.New("openaichat: empty translation")
	ErrEcho         = errors.New("openaichat: translation is the source text")
	ErrUntranslated = errors.New("openaichat: translation is still in the source script")
	ErrRefusal      = errors.New("openaichat: model refused")
	ErrLeak         = errors.New("openaichat: reasoning text in translation")
	ErrPreamble     = errors.New("openaichat: translation starts with a preamble")
	ErrNote         = errors.New("openaichat: translation carries a note")
)

// checkSegment validates one translation of src from source to target. It
// returns nil or an error that wraps one of the sentinels above or a
// tags.Error.
func checkSegment(src, out string, source, target language.Tag) error {
	if strings.TrimSpace(out) == "" {
		return ErrEmpty
	}
	if isRefusal(out) && !isRefusal(src) {
		return fmt.Errorf("%w: %q", ErrRefusal, clip(out, 80))
	}
	// What the model says about its work, inside a translation, is
	// rejected, never cut away: the rest of such a text cannot be trusted
	// to be the translation, and the pipeline retries the segment.
	if reasoningTag.MatchString(out) && !reasoningTag.MatchString(src) {
		return ErrLeak
	}
	if hasPreamble(out, src) {
		return fmt.Errorf("%w: %q", ErrPreamble, clip(out, 60))
	}
	if hasNote(out, src) {
		return ErrNote
	}
	if err := tags.Check(src, out); err != nil {
		return err
	}
	if lang.SameBase(source, target) {
		return nil
	}
	srcText := strings.TrimSpace(tags.Strip(src))
	outText := tags.Strip(out)
	if scriptsShared(source, target) {
		// Within one script (en→fr) names and short phrases legitimately
		// stay as they are; only a longer sentence left alone is suspect.
		if normalize(srcText) == normalize(outText) && len(strings.Fields(srcText)) >= 6 {
			return ErrEcho
		}
		return nil
	}
	if lettersIn(srcText, lang.Scripts(source)) == 0 {
		// Nothing in the source script (an English quotation in a Chinese
		// article, numbers, tags): keeping it as it is may be right.
		return nil
	}
	if normalize(srcText) == normalize(outText) {
		return ErrEcho
	}
	if untranslated(outText, source) {
		return ErrUntranslated
	}
	return nil
}

// reasoningTag matches a reasoning block's tags (DeepSeek-R1 and Qwen3
// <think>, others <thinking>, <reasoning>, ...).
var reasoningTag = regexp.MustCompile(`(?i)</?(?:think|thinking|reasoning|reflection|analysis)>`)

// preambles match the way chat models introduce a translation; only the
// start of a translation is searched.
var preambles = regexp.MustCompile(`(?i)^(?:` +
	`(?:sure|certainly|of course|okay|ok|absolutely)\b[^\n]{0,60}?\btranslat` +
	`|here(?:'s|’s| is| are)\b[^\n:]{0,60}?\btranslat` +
	`|below is\b[^\n:]{0,40}?\btranslat` +
	`|(?:(?:the|english|chinese|french|german|spanish|japanese)\s+)?translation(?:\s+(?:into|to|in)\s+\pL+)?\s*[:：]` +
	`|translated(?:\s+(?:text|version))?\s*[:：]` +
	`|以下是|下面是|(?:译文|翻译|英文翻译|中文翻译)\s*[:：])`)

// speaksOfTranslation matches a source that itself mentions translating,
// whose faithful translation may well begin like a preamble.
var speaksOfTranslation = regexp.MustCompile(`(?i)translat|翻译|译文|译者|以下是|下面是`)

// hasPreamble reports whether out opens with a preamble ("Here is the
// translation:") that its source gives no reason for.
func hasPreamble(out, src string) bool {
	text := strings.TrimSpace(tags.Strip(out))
	return preambles.MatchString(text) && !speaksOfTranslation.MatchString(tags.Strip(src))
}

// noteMarker matches a note after the translation proper: "Note:",
// "Translator's note:", "N.B.", on a new line, after a sentence or in
// brackets.
var noteMarker = regexp.MustCompile(`(?i)(?:\n|[.!?。)”"]\s+|\s[(\[（])\s*[(\[（]?\s*(?:translator'?s\s+note|translation\s+note|note|n\.\s?b\.?)\s*[:：]`)

// sourceNote matches what a source's own note looks like, which its
// translation rightly renders as "Note:".
var sourceNote = regexp.MustCompile(`(?i)注[:：]|注释|备注|附注|编者按|编注|译注|按[:：]|注意[:：]|※|note\s*[:：]|n\.\s?b\.`)

// hasNote reports whether out carries a note its source does not have.
func hasNote(out, src string) bool {
	return noteMarker.MatchString(tags.Strip(out)) && !sourceNote.MatchString(tags.Strip(src))
}

// scriptsShared reports whether the two languages share a script (zh and
// ja share Han; en and fr share Latin), or whether either is unknown: then
// an output in the source script may be a correct translation.
func scriptsShared(a, b language.Tag) bool {
	sa, sb := lang.Scripts(a), lang.Scripts(b)
	if sa == nil || sb == nil {
		return true
	}
	for _, x := range sa {
		for _, y := range sb {
			if x == y {
				return true
			}
		}
	}
	return false
}

// untranslated reports whether out is still mostly in the source script
// when the target is written in another: for zh→en, a target whose letters
// are mostly Han was not translated.
func untranslated(out string, source language.Tag) bool {
	tables := lang.Scripts(source)
	var inSource, total int
	for _, r := range out {
		if !unicode.IsLetter(r) {
			continue
		}
		total++
		if unicode.In(r, tables...) {
			inSource++
		}
	}
	if total == 0 {
		return false
	}
	// Han characters carry several Latin letters' worth of meaning, so
	// weigh them: "Li Bai (李白)" is a fine translation, "李白说" is not.
	return inSource*2 > total
}

func lettersIn(s string, tables []*unicode.RangeTable) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) && unicode.In(r, tables...) {
			n++
		}
	}
	return n
}

func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// refusals are how chat models decline; they are matched at the start of a
// translation only, where a real translation rarely begins so.
var refusals = []string{
	"i can't help", "i cannot help", "i can’t help", "i can't assist", "i cannot assist", "i can’t assist",
	"i'm sorry, but i can", "i’m sorry, but i can", "i am sorry, but i can", "sorry, i can't", "sorry, i cannot",
	"i'm unable to", "i am unable to", "i’m unable to", "i won't be able to", "as an ai",
	"i can't translate", "i cannot translate", "i can’t translate", "i'm not able to", "i am not able to",
	"抱歉，我无法", "对不起，我无法", "抱歉，我不能", "我无法帮助", "我不能帮助", "很抱歉，我无法",
}

func isRefusal(s string) bool {
	s = strings.ToLower(strings.TrimSpace(tags.Strip(s)))
	for _, p := range refusals {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
