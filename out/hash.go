package out

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"unicode"
)

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// Hash returns the short hash that markers carry in their src and mt
// attributes: the first 8 hex digits of the SHA-256 of block normalised so
// that changes no reader sees do not count as edits. Normalising drops
// leading byte order marks (the writer moves the first of a file's to byte
// 0, before the header, and a file may start with two), turns CRLF into
// LF, trims trailing white space from every line and trailing blank lines
// from the block.
func Hash(block []byte) string {
	var hs hasher
	h := hs.hash(block)
	return string(h[:])
}

// shortHash is Hash's result as bytes, which compare with a marker's
// hash strings without allocating.
type shortHash [8]byte

// is reports whether h is the hash s spells.
func (h shortHash) is(s string) bool { return string(h[:]) == s }

// hasher computes Hash again and again with one SHA-256 state, for the
// reader and writer, which hash every block of a file.
type hasher struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

var newline = []byte{'\n'}

// hash returns Hash(block).
func (hs *hasher) hash(block []byte) shortHash {
	if hs.h == nil {
		hs.h = sha256.New()
	} else {
		hs.h.Reset()
	}
	h := hs.h
	for bytes.HasPrefix(block, []byte(bom)) {
		block = block[len(bom):]
	}
	block = bytes.TrimRightFunc(block, unicode.IsSpace)
	for first := true; len(block) > 0 || first; first = false {
		line := block
		block = nil
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, block = line[:i], line[i+1:]
		}
		if !first {
			h.Write(newline)
		}
		h.Write(bytes.TrimRightFunc(line, unicode.IsSpace))
	}
	var out shortHash
	hex.Encode(out[:], h.Sum(hs.sum[:0])[:4])
	return out
}

// lineHash computes Hash of a block fed to it a line at a time, and the
// Hash of every prefix of whole lines on the way: the reader tries the
// extents of a target one after another without hashing each from its
// start.
type lineHash struct {
	hs    *hasher
	lines int // lines fed
	last  int // index of the last line with text, -1 before one
}

// start begins a block.
func (lh *lineHash) start(hs *hasher) {
	if hs.h == nil {
		hs.h = sha256.New()
	} else {
		hs.h.Reset()
	}
	lh.hs, lh.lines, lh.last = hs, 0, -1
}

// add feeds the block's next line, with its line ending.
func (lh *lineHash) add(line []byte) {
	if lh.lines == 0 && lh.last < 0 {
		for bytes.HasPrefix(line, []byte(bom)) {
			line = line[len(bom):]
		}
	}
	n := lh.lines
	lh.lines++
	text := bytes.TrimRightFunc(line, unicode.IsSpace)
	if len(text) == 0 {
		return // written with the next line with text, if one comes
	}
	// Hash joins the lines with '\n', the blank ones between as empty.
	seps := n - lh.last
	if lh.last < 0 {
		seps = n
	}
	for range seps {
		lh.hs.h.Write(newline)
	}
	lh.hs.h.Write(text)
	lh.last = n
}

// sum returns Hash of the lines fed so far.
func (lh *lineHash) sum() shortHash {
	var out shortHash
	hex.Encode(out[:], lh.hs.h.Sum(lh.hs.sum[:0])[:4])
	return out
}

// lineEnding returns the line ending style of block: CRLF when its last
// line ending is CRLF, else LF. Line endings the writer adds around a block
// use this style so a CRLF file stays CRLF.
func lineEnding(block []byte) string {
	i := bytes.LastIndexByte(block, '\n')
	if i > 0 && block[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// blockEnding returns the line ending style for what is added after the
// block src[start:end]: its own style, or for a block without any line
// ending (the last line of a file without a final newline) the style of
// the line ending before it.
func blockEnding(src []byte, start, end int) string {
	if bytes.IndexByte(src[start:end], '\n') >= 0 {
		return lineEnding(src[start:end])
	}
	return lineEnding(src[:start])
}

// endsLine reports whether b ends with a line ending (or is empty).
func endsLine(b []byte) bool {
	return len(b) == 0 || b[len(b)-1] == '\n'
}

// isBlank reports whether line (with or without its line ending) holds
// nothing but spaces and tabs, the CommonMark definition of a blank line.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// trimBlankLines returns b up to the line ending of its last non-blank line.
// If that line has no line ending, it is returned as is.
func trimBlankLines(b []byte) []byte {
	end := len(b)
	for end > 0 {
		// start of the last line of b[:end] (not counting its ending)
		lineEnd := end
		if b[lineEnd-1] == '\n' {
			lineEnd--
		}
		start := bytes.LastIndexByte(b[:lineEnd], '\n') + 1
		if !isBlank(b[start:end]) {
			return b[:end]
		}
		end = start
	}
	return b[:0]
}

// trailingBlankLines counts the blank lines at the end of b (after the
// line ending of its last non-blank line).
func trailingBlankLines(b []byte) int {
	tail := b[len(trimBlankLines(b)):]
	n := bytes.Count(tail, []byte("\n"))
	if len(tail) > 0 && !endsLine(tail) {
		n++
	}
	return n
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}
