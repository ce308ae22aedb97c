package out

import (
	"bytes"
)

// TargetDocument returns the target-only document (publish --layout
// target): the source skeleton with each unit's target block as it is in
// the bilingual file, reviewer edits included. For a file written with
// targets equal to the source texts it equals the source byte for byte.
func (f *File) TargetDocument() []byte {
	src := f.Source.Source()
	unitOf := f.unitOf()
	n := len(src)
	for _, u := range f.Units {
		if b := u.Block; b >= 0 && b < len(f.Source.Blocks) {
			n += len(u.TargetBytes) - (f.Source.Blocks[b].End - f.Source.Blocks[b].Start)
		}
	}
	buf := make([]byte, 0, max(n, 0)+len(bom))
	if bytes.HasPrefix(src, []byte(bom)) {
		buf = append(buf, bom...)
	}
	for i, b := range f.Source.Blocks {
		if k := unitOf[i]; k >= 0 {
			buf = append(buf, f.Units[k].TargetBytes...)
			continue
		}
		s := src[b.Start:b.End]
		if i == 0 {
			s = stripBOM(s)
		}
		buf = append(buf, s...)
	}
	return buf
}

// unitOf returns, for each block of f.Source, the index in f.Units of its
// unit (the last one naming it), or -1.
func (f *File) unitOf() []int {
	of := make([]int, len(f.Source.Blocks))
	for i := range of {
		of[i] = -1
	}
	for k, u := range f.Units {
		if u.Block >= 0 && u.Block < len(of) {
			of[u.Block] = k
		}
	}
	return of
}

// Targets returns the target of every segment of f.Source in the neutral
// form, ready for Source.Assemble or a translation memory; segments of
// blocks without a unit (none, in a well-formed file) keep their source
// text. The targets of units read without them
// ([ReadOptions.SkipUnedited]) are parsed now; one that does not parse
// as its source block keeps its source text.
func (f *File) Targets() []string {
	t := make([]string, len(f.Source.Segments))
	for i, s := range f.Source.Segments {
		t[i] = s.Text
	}
	var r *reader
	for k, u := range f.Units {
		segs := f.Source.Blocks[u.Block].Segments
		targets := u.Targets
		if len(targets) != len(segs) {
			if r == nil {
				r = &reader{name: f.Name, mdOpts: f.Format.Markdown}
			}
			targets = r.parseAlone(f.Source, &f.Units[k])
			if targets == nil {
				continue
			}
		}
		for j, si := range segs {
			t[si] = targets[j]
		}
	}
	return t
}

// Bilingual returns what WriteBilingual needs, with f.Format, to write f
// again: its units keep their state, flags, mt hash, previous target and
// exact target bytes, so writing it reproduces the file that was read (for
// a file this package wrote).
func (f *File) Bilingual() *Bilingual {
	b := &Bilingual{From: f.Header.From, Doc: f.Source, Targets: f.Targets(), Units: make(map[int]UnitInfo, len(f.Units))}
	for _, u := range f.Units {
		b.Units[u.Block] = UnitInfo{State: u.State, Flags: u.Flags, By: u.By, MT: u.MT, Target: u.TargetBytes, Previous: u.Previous}
	}
	return b
}
