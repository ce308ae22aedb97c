package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tm"
)

// previous is what a file's earlier bilingual output says about the blocks
// of its current source.
type previous struct {
	// kept holds units whose source block is unchanged and whose target
	// must stay as it is: a reviewer edited or approved it, or it is stale
	// and waits for the reviewer.
	kept map[int]*out.Unit
	// machine holds unchanged machine units: their targets are reused when
	// the memory has nothing better.
	machine map[int]*out.Unit
	// stale maps a changed block to the reviewed target it replaced, which
	// stays visible next to the fresh translation.
	stale map[int][]byte
	// units is how many units the previous output had; with every block
	// matched and no target changed, the output is up to date.
	units int
}

// readPrevious reads the bilingual file at path, if any, with format, and
// aligns its units with doc's blocks. An unreadable output is an error: the
// caller must not overwrite a reviewer's work it cannot read.
func readPrevious(path string, format out.Format, doc *markdown.Document, force, forceReviewed bool) (*previous, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &previous{}, nil
	}
	if err != nil {
		return nil, err
	}
	prev, err := out.ReadBilingual(path, data, format)
	if err != nil {
		return nil, fmt.Errorf("existing output not overwritten: %w", err)
	}
	p := &previous{kept: map[int]*out.Unit{}, machine: map[int]*out.Unit{}, stale: map[int][]byte{}, units: len(prev.Units)}
	matched, replaced := alignUnits(prev.Units, blockHashes(doc))
	for bi, ui := range matched {
		u := &prev.Units[ui]
		if len(u.Targets) != len(doc.Blocks[bi].Segments) || u.State == out.StateFailed {
			continue
		}
		switch {
		case u.Approved() && !forceReviewed, u.State == out.StateStale && !force:
			p.kept[bi] = u
		case !u.Approved() && !force:
			p.machine[bi] = u
		}
	}
	for bi, ui := range replaced {
		u := &prev.Units[ui]
		switch {
		case u.State == out.StateStale && u.Previous != nil:
			p.stale[bi] = u.Previous
		case u.Approved():
			p.stale[bi] = u.TargetBytes
		}
	}
	return p, nil
}

// blockHashes lists, for each block with segments, its index and the hash
// the bilingual format gives its source.
func blockHashes(doc *markdown.Document) []blockHash {
	var hs []blockHash
	for bi, b := range doc.Blocks {
		if len(b.Segments) > 0 {
			hs = append(hs, blockHash{bi, out.Hash(doc.Source()[b.Start:b.End])})
		}
	}
	return hs
}

type blockHash struct {
	block int
	hash  string
}

// alignUnits matches old units to new blocks by a longest common subsequence
// of source hashes. Between two matches, old and new blocks that did not
// match are paired in order: the new block replaced the old one (its source
// changed). Both maps go from block index to unit index.
func alignUnits(old []out.Unit, cur []blockHash) (matched, replaced map[int]int) {
	matched, replaced = map[int]int{}, map[int]int{}
	n, m := len(old), len(cur)
	if n == 0 || m == 0 {
		return
	}
	if n*m > 4_000_000 { // too large to align: exact matches only
		bySrc := map[string]int{}
		for i, u := range old {
			bySrc[u.Src] = i
		}
		for _, c := range cur {
			if i, ok := bySrc[c.hash]; ok {
				matched[c.block] = i
			}
		}
		return
	}
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i].Src == cur[j].hash {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var gapOld, gapCur []int
	flush := func() {
		for k := 0; k < min(len(gapOld), len(gapCur)); k++ {
			replaced[cur[gapCur[k]].block] = gapOld[k]
		}
		gapOld, gapCur = gapOld[:0], gapCur[:0]
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case old[i].Src == cur[j].hash:
			flush()
			matched[cur[j].block] = i
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			gapOld = append(gapOld, i)
			i++
		default:
			gapCur = append(gapCur, j)
			j++
		}
	}
	for ; i < n; i++ {
		gapOld = append(gapOld, i)
	}
	for ; j < m; j++ {
		gapCur = append(gapCur, j)
	}
	flush()
	return
}

// ImportReviews reads bilingual files (or directories of them) and stores
// every unit a reviewer edited or approved in mem as a reviewed entry, for
// each of its segments. It returns how many segments it stored and the
// files it could not read; it translates nothing. keyOf computes a
// segment's memory key (see [Key]). format is what the files are read with:
// a file of another language pair than format's is an error (an empty
// pair in format accepts each file's own).
func ImportReviews(ctx context.Context, paths []string, mem tm.Store, keyOf KeyFunc, format out.Format) (int, []error) {
	jobs, errs := Discover(paths, nil)
	n := 0
	for _, j := range jobs {
		if ctx.Err() != nil {
			return n, append(errs, ctx.Err())
		}
		k, err := importFile(ctx, j, mem, keyOf, format)
		n += k
		if err != nil {
			errs = append(errs, &InputError{Path: j.Path, Err: err})
		}
	}
	return n, errs
}

func importFile(ctx context.Context, j Job, mem tm.Store, keyOf KeyFunc, format out.Format) (int, error) {
	data, err := os.ReadFile(j.Path)
	if err != nil {
		return 0, unwrapPathError(err)
	}
	bf, err := out.ReadBilingual(j.Path, data, format)
	if err != nil {
		return 0, err
	}
	src, tgt := bf.Header.Source, bf.Header.Target
	var entries []tm.Entry
	for _, u := range bf.Units {
		if !u.Approved() {
			continue
		}
		for k, si := range bf.Source.Blocks[u.Block].Segments {
			s := bf.Source.Segments[si]
			entries = append(entries, tm.Entry{
				SourceLang: src, TargetLang: tgt, Key: keyOf(src, tgt, s.Text),
				Source: s.Text, Target: u.Targets[k],
				Origin: tm.OriginHuman, State: tm.Reviewed, FirstSeen: j.Rel,
			})
		}
	}
	if len(entries) == 0 {
		return 0, nil
	}
	return len(entries), mem.Put(ctx, entries)
}

// upToDate reports whether writing targets would reproduce the previous
// output: the same units, each kept, or a machine unit whose targets are
// unchanged.
func (p *previous) upToDate(doc *markdown.Document, targets []string) bool {
	n := 0
	for bi, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		n++
		if _, ok := p.kept[bi]; ok {
			continue
		}
		m, ok := p.machine[bi]
		if !ok {
			return false
		}
		for k, si := range b.Segments {
			if m.Targets[k] != targets[si] {
				return false
			}
		}
	}
	return n == p.units && n > 0
}
