package review

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// diffOp is one piece of a diff: text kept, deleted or inserted.
type diffOp struct {
	kind byte // '=', '-' or '+'
	text string
}

// maxDiffCells bounds the LCS table; two texts beyond it are shown as one
// deletion and one insertion.
const maxDiffCells = 4 << 20

// tokens splits s for a word diff: runs of letters and digits of spaced
// scripts, runs of white space, and every other character alone (a CJK
// character is a word of its own).
func tokens(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

// isWordRune reports whether r belongs to a word of a spaced script.
func isWordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordDiff returns the operations that turn a into b, by words.
func wordDiff(a, b string) []diffOp {
	x, y := tokens(a), tokens(b)
	// Common prefix and suffix first: reviewers change little.
	p := 0
	for p < len(x) && p < len(y) && x[p] == y[p] {
		p++
	}
	q := 0
	for q < len(x)-p && q < len(y)-p && x[len(x)-1-q] == y[len(y)-1-q] {
		q++
	}
	var ops []diffOp
	add := func(kind byte, s string) {
		if s == "" {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].kind == kind {
			ops[n-1].text += s
			return
		}
		ops = append(ops, diffOp{kind, s})
	}
	add('=', strings.Join(x[:p], ""))
	mx, my := x[p:len(x)-q], y[p:len(y)-q]
	n, m := len(mx), len(my)
	if n*m > maxDiffCells {
		add('-', strings.Join(mx, ""))
		add('+', strings.Join(my, ""))
	} else {
		// lcs[i][j] is the LCS length of mx[i:] and my[j:].
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if mx[i] == my[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && mx[i] == my[j]:
				add('=', mx[i])
				i, j = i+1, j+1
			case j >= m || i < n && lcs[i+1][j] >= lcs[i][j+1]:
				add('-', mx[i])
				i++
			default:
				add('+', my[j])
				j++
			}
		}
	}
	add('=', strings.Join(x[len(x)-q:], ""))
	return ops
}

// diffHTML renders the diff from a to b with <del> and <ins>.
func diffHTML(a, b string) template.HTML {
	var sb strings.Builder
	for _, op := range wordDiff(a, b) {
		t := template.HTMLEscapeString(op.text)
		switch op.kind {
		case '-':
			sb.WriteString("<del>" + t + "</del>")
		case '+':
			sb.WriteString("<ins>" + t + "</ins>")
		default:
			sb.WriteString(t)
		}
	}
	return template.HTML(sb.String()) //nolint:gosec // every piece is escaped
}
