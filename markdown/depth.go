package markdown

import (
	"bytes"
	"sort"
)

// goldmark keeps a stack of open blocks and checks every open block on every
// line, so a document nested thousands of levels deep (a staircase of list
// items, a line of ten thousand '>') costs time quadratic in its depth. Before
// parsing, each line whose container prefix (block quote markers, list
// markers, indentation) is deeper than MaxDepth has that prefix overwritten,
// in a copy, with letters of the same length: the line becomes paragraph
// text at a bounded depth, offsets stay valid, and no segment is cut from
// it (the deep content stays skeleton).

// limitDepth returns the bytes goldmark should parse for body and the byte
// ranges of the lines whose prefix was overwritten (nil when none was).
func limitDepth(body []byte, maxDepth int) ([]byte, [][2]int) {
	var out []byte
	var cut [][2]int
	for p := 0; p < len(body); {
		end := len(body)
		if i := bytes.IndexByte(body[p:], '\n'); i >= 0 {
			end = p + i
		}
		if n := deepPrefix(body[p:end], maxDepth); n > 0 {
			if out == nil {
				out = append([]byte(nil), body...)
			}
			for i := p; i < p+n; i++ {
				out[i] = 'x'
			}
			cut = append(cut, [2]int{p, end})
		}
		p = end + 1
	}
	if out == nil {
		return body, nil
	}
	return out, cut
}

// deepPrefix returns the length of line's container prefix when it nests
// deeper than maxDepth, else 0. Two columns of indentation count as a level,
// as a nested list item needs at least that much.
func deepPrefix(line []byte, maxDepth int) int {
	depth, cols, i := 0, 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			cols++
		case c == '\t':
			cols += 4
		case c == '>':
			depth++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ') {
				depth++
				i = j
			} else {
				return deepResult(depth+cols/2, maxDepth, i)
			}
		case c == '\r' && i+1 == len(line):
			return deepEnd(depth, cols, maxDepth, i)
		default:
			return deepResult(depth+cols/2, maxDepth, i)
		}
		i++
	}
	return deepEnd(depth, cols, maxDepth, i)
}

// deepEnd decides for a line that holds nothing but its prefix: a blank
// line is never deep, whatever its indentation.
func deepEnd(depth, cols, maxDepth, n int) int {
	if depth == 0 {
		return 0
	}
	return deepResult(depth+cols/2, maxDepth, n)
}

func deepResult(depth, maxDepth, n int) int {
	if depth > maxDepth {
		return n
	}
	return 0
}

// overlaps reports whether [start, end) meets one of the cut ranges, which
// are sorted and disjoint.
func overlaps(cut [][2]int, start, end int) bool {
	i := sort.Search(len(cut), func(i int) bool { return cut[i][1] >= start })
	return i < len(cut) && cut[i][0] < end
}
