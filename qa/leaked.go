package qa

import (
	"fmt"
	"github.com/diglot/diglot/tags"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// leak is one kind of text a model adds around a translation.
type leak struct {
	what string // for the message
	// pre is a quick filter on the lowercased target: the regexp runs only
	// when one of these occurs.
	pre  []string
	head bool // only the start of the target can hold it

	re *regexp.Regexp // matched against the target's text
	// src, when set, is what makes the text legitimate when the source has
	// it (a source note "注：" allows "Note:"); re matching the source also
	// does.
	src *regexp.Regexp
}

var leaks = []leak{
	{what: "reasoning block", pre: []string{"<", "◁"}, re: regexp.MustCompile(`(?i)</?(?:think|thinking|reasoning|reflection)>|◁/?think▷`)},
	{what: "preamble", head: true, re: regexp.MustCompile(`(?i)^\s*(?:(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[\s,!.:]*)?(?:here(?:'s|’s| is| are)|below is)\s+(?:the|your|my|a)\s+(?:[\w-]+\s+){0,3}(?:translations?|version|rendering)\b|(?:the\s+)?(?:english\s+|chinese\s+)?translation(?:\s+is)?\s*[:：]|translated text\s*[:：]|以下是.{0,12}(?:翻译|译文)|(?:翻译|译文)如下|译文\s*[:：])`),
		src: regexp.MustCompile(`^\s*(?:翻译|译文|译者|翻譯|譯者|譯文)`)},
	{what: "translator's note", pre: []string{"note", "translated", "译"}, re: regexp.MustCompile(`(?i)translator'?s'?\s+note|\(\s*translated\b|译者注|译注`),
		src: regexp.MustCompile(`(?i)译者注|译注|translator`)},
	{what: "note", pre: []string{":", "："}, re: regexp.MustCompile(`(?i)(?:^|[\s(（\[*])(?:note|nb|n\.b\.|注|备注)\s*[:：]`),
		src: regexp.MustCompile(`(?i)(?:注意?|备注|说明|按|提示|note)\s*\**\s*[:：]`)},
	{what: "refusal", pre: []string{"sorry", "i can", "i am", "i'm", "i’m", "i won", "i will", "as a", "apologi", "抱歉", "作为"}, re: regexp.MustCompile(`(?i)\bI(?:'m|’m| am) sorry\b|\bI (?:can(?:'|’|no)t|cannot|am unable to|(?:'|’)m unable to|won(?:'|’)t|will not) (?:help|assist|translate|provide|comply|fulfil|do that)|\bas an AI\b|\bas an? (?:large )?language model\b|\bI apologi[sz]e\b|抱歉，我(?:无法|不能)|作为(?:一个)?(?:AI|人工智能)`),
		src: regexp.MustCompile(`抱歉|对不起|道歉|遗憾|无法|不能`)},
}

// checkLeaked reports text that a model added to its translation: a
// reasoning block (<think>), a preamble ("Here is the translation:",
// "Sure, here's…", "Translation:"), a note ("Note: …", "(Translator's
// note: …)") or a refusal ("I can't help with that", "I'm sorry, but",
// "As an AI"). Each is reported only when the source does not carry it (a
// source note "（注：…）" legitimately becomes "(Note: …)").
func checkLeaked(src, tgt string) []Finding {
	ps, pt := tags.Plain(src), tags.Plain(tgt)
	if ps == pt {
		// Whatever the source holds is not leaked (an echo is
		// untranslated's to report).
		return nil
	}
	lower := strings.ToLower(pt)
	var fs []Finding
	for _, l := range leaks {
		text := pt
		if l.head {
			text = head(pt, 160)
		} else if !containsAny(lower, l.pre) {
			continue
		}
		m := l.re.FindString(text)
		if m == "" || l.re.MatchString(ps) || l.src != nil && l.src.MatchString(ps) {
			continue
		}
		pt = strings.Replace(pt, m, " ", 1) // "Translator's note:" is not also a "note:"
		fs = append(fs, Finding{Kind: KindLeaked, Severity: Error,
			Message: fmt.Sprintf("%s %q", l.what, strings.TrimSpace(m))})
	}
	return fs
}

// head returns about the first n bytes of s, cut at a rune boundary.
func head(s string, n int) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
