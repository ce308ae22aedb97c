package markdown

// This file scans the bytes that follow a link's text, which goldmark
// parses but does not locate: "(dest "title")" and "[label]".

// inlineLinkEnd returns the offset just past the ")" of the inline link
// destination that starts with "(" at i, or -1.
func inlineLinkEnd(src []byte, i int) int {
	if i >= len(src) || src[i] != '(' {
		return -1
	}
	i = skipLinkSpace(src, i+1)
	if i < len(src) && src[i] != ')' {
		if i = linkDest(src, i); i < 0 {
			return -1
		}
		i = skipLinkSpace(src, i)
		if i < len(src) && (src[i] == '"' || src[i] == '\'' || src[i] == '(') {
			if i = linkTitle(src, i); i < 0 {
				return -1
			}
			i = skipLinkSpace(src, i)
		}
	}
	if i >= len(src) || src[i] != ')' {
		return -1
	}
	return i + 1
}

// inlineLinkTitle locates the title of the inline link destination that
// starts with "(" at i: ws is where the white space before it starts, ts
// and te bracket its text, qe is just past its closing quote. ok is false
// when there is no title.
func inlineLinkTitle(src []byte, i int) (ws, ts, te, qe int, ok bool) {
	if i >= len(src) || src[i] != '(' {
		return 0, 0, 0, 0, false
	}
	i = skipLinkSpace(src, i+1)
	if i >= len(src) || src[i] == ')' {
		return 0, 0, 0, 0, false
	}
	if i = linkDest(src, i); i < 0 {
		return 0, 0, 0, 0, false
	}
	ws = i
	i = skipLinkSpace(src, i)
	if i >= len(src) || src[i] != '"' && src[i] != '\'' && src[i] != '(' {
		return 0, 0, 0, 0, false
	}
	q := i
	if i = linkTitle(src, i); i < 0 {
		return 0, 0, 0, 0, false
	}
	return ws, q + 1, i - 1, i, true
}

// skipLinkSpace skips white space, including one line ending and the next
// line's container prefix.
func skipLinkSpace(src []byte, i int) int {
	newline := false
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ' || c == '\t' || c == '\r':
		case c == '\n' && !newline:
			newline = true
		case c == '>' && newline:
		default:
			return i
		}
		i++
	}
	return i
}

// linkDest returns the end of the destination starting at i.
func linkDest(src []byte, i int) int {
	if src[i] == '<' {
		for i++; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '>':
				return i + 1
			case '<', '\n', '\r':
				return -1
			}
		}
		return -1
	}
	depth := 0
	for ; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\' && i+1 < len(src):
			i++
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return i
			}
			depth--
		case c <= ' ':
			return i
		}
	}
	return i
}

// linkTitle returns the end of the title starting with its quote at i.
func linkTitle(src []byte, i int) int {
	closer := src[i]
	if closer == '(' {
		closer = ')'
	}
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case closer:
			return i + 1
		}
	}
	return -1
}

// closingBracket returns the offset of the first unescaped ']' at or after
// i, or -1.
func closingBracket(src []byte, i int) int {
	for ; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case ']':
			return i
		}
	}
	return -1
}
