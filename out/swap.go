package out

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSwapped means target blocks were moved between units: each is still
// a well-formed translation, but of another unit's source. Importing them
// would store reviews of the wrong paragraphs.
var ErrSwapped = errors.New("out: target blocks exchanged between units")

// findSwaps looks for edited units that hold what the machine wrote for
// one another: a cycle of units, each edited, each target hashing to the
// mt of the next one, whose sources differ. Two targets exchanged by a
// careless cut and paste are the common case; a rotation of three or more
// is caught too. A single edited target that happens to equal another
// unit's machine text is a plausible edit (two headings translated alike)
// and is not reported; neither are targets that only a reviewer wrote,
// which no mt describes.
//
// It runs before the targets' structure is checked, so that exchanged
// blocks of different kinds are reported as exchanged too, and sets each
// unit's Edited from its target's hash: the source block's own hash when
// the target is its source byte for byte (the copy engine's, a failed
// unit's), else its target hashed once.
func (r *reader) findSwaps() error {
	var edited []int
	for k := range r.units {
		u, x := &r.units[k], &r.ext[k]
		x.identity = bytes.Equal(u.TargetBytes, r.pieceData(int(x.piece)))
		switch {
		case x.hashed:
		case x.identity:
			// The source's hash was checked when its block was found.
			x.hash = x.src
		default:
			x.hash = r.hs.hash(u.TargetBytes)
		}
		u.Edited = x.hash != x.mt
		if u.Edited {
			edited = append(edited, k)
		}
	}
	if len(edited) < 2 {
		return nil
	}
	units := make([]swapUnit, len(edited))
	byMT := map[shortHash][]int{}
	for i, k := range edited {
		x := &r.ext[k]
		units[i] = swapUnit{id: k + 1, line: x.line + 1, src: x.src, hash: x.hash}
		byMT[x.mt] = append(byMT[x.mt], i)
	}
	if len(byMT) < 2 {
		return nil
	}
	next := func(i int) []int {
		var vs []int
		for _, j := range byMT[units[i].hash] {
			if j != i && units[j].src != units[i].src {
				vs = append(vs, j)
			}
		}
		return vs
	}
	// Depth-first search for a cycle; state 1 is on the current path.
	state := make([]int8, len(units))
	var path []int
	var visit func(i int) []int
	visit = func(i int) []int {
		state[i] = 1
		path = append(path, i)
		for _, j := range next(i) {
			switch state[j] {
			case 1:
				for k, p := range path {
					if p == j {
						return path[k:]
					}
				}
			case 0:
				if c := visit(j); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[i] = 2
		return nil
	}
	for i := range units {
		if state[i] == 0 {
			if c := visit(i); c != nil {
				return r.swapError(units, c)
			}
		}
	}
	return nil
}

// swapUnit is what findSwaps needs to know of an edited unit.
type swapUnit struct {
	id, line  int // the unit's id and the line of its target
	src, hash shortHash
}

// swapError describes a cycle of units holding one another's targets.
func (r *reader) swapError(units []swapUnit, cycle []int) *ParseError {
	var msg string
	u := units[cycle[0]]
	if len(cycle) == 2 {
		v := units[cycle[1]]
		msg = fmt.Sprintf("the targets of unit %d (line %d) and unit %d (line %d) are exchanged: each is what the machine wrote for the other; move each back under its own source",
			u.id, u.line, v.id, v.line)
	} else {
		var ids, lines []string
		for _, i := range cycle {
			ids = append(ids, strconv.Itoa(units[i].id))
			lines = append(lines, strconv.Itoa(units[i].line))
		}
		msg = fmt.Sprintf("the targets of units %s (lines %s) are moved round: each holds what the machine wrote for the next; move each back under its own source",
			strings.Join(ids, ", "), strings.Join(lines, ", "))
	}
	return &ParseError{File: r.name, Line: u.line, Msg: msg, Err: ErrSwapped}
}
