package glossary

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/tags"
)

// ViolationKind says how a translation breaks a glossary entry.
type ViolationKind string

// The kinds of violation.
const (
	Missing       ViolationKind = "missing"   // the target term does not appear
	ForbiddenUsed ViolationKind = "forbidden" // a forbidden variant appears
	NotKept       ViolationKind = "not-kept"  // a keep term is not in the translation as written
)

// Violation is one glossary finding in a translated segment. Findings are
// data for the report and the needs-review flag, not errors.
type Violation struct {
	Kind   ViolationKind `json:"kind"`
	Term   string        `json:"term"`            // the entry's source term
	Target string        `json:"target"`          // the required rendering
	Found  string        `json:"found,omitempty"` // the forbidden variant, or the keep spelling missed
	Count  int           `json:"count"`           // occurrences of the term in the source segment
	Entry  *Entry        `json:"-"`
}

// String describes the violation as "term <source>: …", the form
// `diglot glossary check` prints after file:line.
func (v Violation) String() string {
	switch v.Kind {
	case ForbiddenUsed:
		return fmt.Sprintf("term %s: forbidden %q used (want %q)", v.Term, v.Found, v.Target)
	case NotKept:
		return fmt.Sprintf("term %s: %q must stay as written", v.Term, v.Found)
	}
	return fmt.Sprintf("term %s: %q missing from the translation", v.Term, v.Target)
}

// CheckPair matches the glossary on source and verifies target against the
// matches: what `diglot glossary check` runs on each segment pair.
func (g *Glossary) CheckPair(source, target string) []Violation {
	return Verify(target, g.Match(source))
}

// Verify checks a translation against the glossary matches of its source.
//
// The rule is the common industry one (Xbench, memoQ and Trados QA check the
// same): each distinct entry that occurs in the source must appear at least
// once in the translation. We do not require one target occurrence per source
// occurrence: translations rightly use pronouns for a name's second mention,
// and counting would flag good prose. Latin targets match case-insensitively
// on word boundaries and may carry a plural -s/-es or a possessive 's.
// Keep terms must appear exactly as written in the source. A forbidden
// variant of a matched entry must not appear on word boundaries, except
// inside an occurrence of a required target (a forbidden "Peking" inside a
// required "Peking University" is fine).
//
// target is in the neutral tag form: standalone tags separate words,
// paired tags do not.
func Verify(target string, matches []Match) []Violation {
	if len(matches) == 0 {
		return nil
	}
	plain := tags.Words(target)
	folded := fold(plain)
	type group struct {
		e     *Entry
		count int
		texts []string // distinct source spellings (for keep terms)
	}
	var groups []*group
	byEntry := map[*Entry]*group{}
	for _, m := range matches {
		gr := byEntry[m.Entry]
		if gr == nil {
			gr = &group{e: m.Entry}
			byEntry[m.Entry] = gr
			groups = append(groups, gr)
		}
		gr.count++
		if !containsString(gr.texts, m.Text) {
			gr.texts = append(gr.texts, m.Text)
		}
	}
	var (
		vs      []Violation
		allowed []span
	)
	for _, gr := range groups {
		e := gr.e
		if modeOf(e) == Keep {
			for _, t := range gr.texts {
				found := findAll(plain, t, true)
				if len(found) == 0 {
					vs = append(vs, Violation{Kind: NotKept, Term: e.Source, Target: e.Target, Found: t, Count: gr.count, Entry: e})
				}
				allowed = append(allowed, found...)
			}
			continue
		}
		found := findAll(folded, fold(e.Target), true)
		if len(found) == 0 {
			vs = append(vs, Violation{Kind: Missing, Term: e.Source, Target: e.Target, Count: gr.count, Entry: e})
		}
		allowed = append(allowed, found...)
	}
	for _, gr := range groups {
		for _, f := range gr.e.Forbidden {
			for _, s := range findAll(folded, fold(f), true) {
				if !inside(s, allowed) {
					vs = append(vs, Violation{Kind: ForbiddenUsed, Term: gr.e.Source, Target: gr.e.Target, Found: plain[s.start:s.end], Count: gr.count, Entry: gr.e})
					break
				}
			}
		}
	}
	return vs
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type span struct{ start, end int }

func inside(s span, in []span) bool {
	for _, a := range in {
		if a.start <= s.start && s.end <= a.end {
			return true
		}
	}
	return false
}

// findAll returns the occurrences of needle in hay that sit on word
// boundaries where needle begins or ends with a word rune. With plural set,
// an occurrence may continue with s, es (a plural) before its boundary;
// a possessive 's passes anyway, the apostrophe being a boundary.
func findAll(hay, needle string, plural bool) []span {
	if needle == "" {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(needle)
	last, _ := utf8.DecodeLastRuneInString(needle)
	checkLeft, checkRight := isWordRune(first), isWordRune(last)
	var out []span
	for from := 0; from <= len(hay)-len(needle); {
		i := strings.Index(hay[from:], needle)
		if i < 0 {
			break
		}
		start := from + i
		end := start + len(needle)
		from = start + 1
		if checkLeft && start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(hay[:start]); isWordRune(r) {
				continue
			}
		}
		if checkRight && !boundaryAt(hay, end) {
			ok := false
			if plural {
				for _, suf := range []string{"s", "es"} {
					if strings.HasPrefix(hay[end:], suf) && boundaryAt(hay, end+len(suf)) {
						end += len(suf)
						ok = true
						break
					}
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, span{start, end})
	}
	return out
}

func boundaryAt(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}
