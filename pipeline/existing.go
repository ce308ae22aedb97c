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
	// the memory has nothing better and they came from this run's engine.
	machine map[int]prevMachine
	// stale maps a changed block to the reviewed target it replaced, which
	// stays visible next to the fresh translation.
	stale map[int][]byte
	// units is how many units the previous output had; with every block
	// matched and no target changed, the output is up to date.
	units int
}

// prevMachine is an unchanged machine unit of a previous output.
type prevMachine struct {
	targets []string // per segment of the block, neutral form
	by      string   // the engine:model that wrote it; "" when not recorded
	unit    *out.Unit
}

// readPrevious reads the bilingual file at path and aligns its units with
// doc's blocks. An unreadable output is an error: the caller must not
// overwrite a reviewer's work it cannot read.
func (r *run) readPrevious(path string, doc *markdown.Document) (*previous, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	bf, err := out.ReadBilingual(path, data, r.format())
	if err != nil {
		return nil, fmt.Errorf("existing output not overwritten: %w", err)
	}
	return alignPrevious(bf, doc, r.opts.Force, r.opts.ForceReviewed), nil
}

func alignPrevious(bf *out.File, doc *markdown.Document, force, forceReviewed bool) *previous {
	p := &previous{kept: map[int]*out.Unit{}, machine: map[int]prevMachine{}, stale: map[int][]byte{}, units: len(bf.Units)}
	matched, replaced := alignUnits(bf.Units, blockHashes(doc))
	for bi, ui := range matched {
		u := &bf.Units[ui]
		if len(u.Targets) != len(doc.Blocks[bi].Segments) {
			// Segmented differently (other markdown options): a reviewer's
			// text stays in sight, as the previous text of a stale unit.
			if u.Approved() {
				p.stale[bi] = u.TargetBytes
			}
			continue
		}
		if u.State == out.StateFailed {
			continue
		}
		switch {
		case u.Approved() && !forceReviewed, u.State == out.StateStale && !force:
			p.kept[bi] = u
		case !u.Approved() && !force:
			p.machine[bi] = prevMachine{targets: u.Targets, by: unitOrigin(u), unit: u}
		}
	}
	for bi, ui := range replaced {
		u := &bf.Units[ui]
		switch {
		case u.State == out.StateStale && u.Previous != nil:
			p.stale[bi] = u.Previous
		case u.Approved():
			p.stale[bi] = u.TargetBytes
		}
	}
	return p
}

// unitOrigin is the engine:model a machine unit's marker names.
func unitOrigin(u *out.Unit) string { return u.By }

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

// ImportOptions configure ImportReviews.
type ImportOptions struct {
	// Memory receives the reviewed entries. Required.
	Memory tm.Store
	// KeyFunc computes a segment's memory key (see [KeyFor]). Required.
	KeyFunc KeyFunc
	// Format is what the files are read with: a file of another language
	// pair is an error (an empty pair accepts each file's own).
	Format out.Format
}

// Imported is what ImportReviews did.
type Imported struct {
	// Segments is how many reviewed segments were stored.
	Segments int
	// Conflicts lists source paragraphs that reviewers translated
	// differently in two files. Both files keep their text; the memory
	// keeps the one imported last.
	Conflicts []ReviewConflict
	// Errors are the files that could not be read (nothing of them is
	// imported).
	Errors []error
}

// ReviewConflict is one source paragraph with two different reviewed
// translations.
type ReviewConflict struct {
	Source string   `json:"source"` // the source text, neutral form
	Places []string `json:"places"` // file:line of each reviewed target
}

// ImportReviews reads bilingual files (or directories of them) and stores
// every unit a reviewer edited or approved in the memory as a reviewed
// entry, for each of its segments. It translates nothing.
func ImportReviews(ctx context.Context, paths []string, opts *ImportOptions) (*Imported, error) {
	if opts == nil || opts.Memory == nil || opts.KeyFunc == nil {
		return nil, fmt.Errorf("%w: ImportReviews needs a memory and a key function", ErrConfig)
	}
	jobs, errs := Discover(paths, nil)
	im := &importer{opts: opts, res: &Imported{Errors: errs}, seen: map[string]reviewSeen{}}
	for _, j := range jobs {
		if ctx.Err() != nil {
			im.res.Errors = append(im.res.Errors, ctx.Err())
			break
		}
		im.file(ctx, j)
	}
	return im.res, nil
}

// importer imports reviews file by file and notices conflicts.
type importer struct {
	opts *ImportOptions
	res  *Imported
	seen map[string]reviewSeen // key -> first reviewed target seen
}

type reviewSeen struct {
	target, place string
}

func (im *importer) file(ctx context.Context, j Job) {
	data, err := os.ReadFile(j.Path)
	if err != nil {
		im.res.Errors = append(im.res.Errors, &InputError{Path: j.Path, Err: unwrapPathError(err)})
		return
	}
	bf, err := out.ReadBilingual(j.Path, data, im.opts.Format)
	if err != nil {
		im.res.Errors = append(im.res.Errors, &InputError{Path: j.Path, Err: err})
		return
	}
	n, err := im.store(ctx, j, bf)
	im.res.Segments += n
	if err != nil {
		im.res.Errors = append(im.res.Errors, &InputError{Path: j.Path, Err: err})
	}
}

// store puts the reviewed units of one read file in the memory.
func (im *importer) store(ctx context.Context, j Job, bf *out.File) (int, error) {
	src, tgt := bf.Header.Source, bf.Header.Target
	var entries []tm.Entry
	for _, u := range bf.Units {
		if !u.Approved() {
			continue
		}
		for k, si := range bf.Source.Blocks[u.Block].Segments {
			s := bf.Source.Segments[si]
			key := im.opts.KeyFunc(src, tgt, s.Text)
			im.notice(key, s.Text, u.Targets[k], fmt.Sprintf("%s:%d", j.Path, u.TargetLine))
			entries = append(entries, tm.Entry{
				SourceLang: src, TargetLang: tgt, Key: key,
				Source: s.Text, Target: u.Targets[k],
				Origin: tm.OriginHuman, State: tm.Reviewed, FirstSeen: j.Rel,
				Markup: markupOf(s.Tags),
			})
		}
	}
	if len(entries) == 0 {
		return 0, nil
	}
	return len(entries), im.opts.Memory.Put(ctx, entries)
}

// notice records a reviewed target and reports a conflict with an earlier
// one of the same source.
func (im *importer) notice(key, source, target, place string) {
	first, ok := im.seen[key]
	if !ok {
		im.seen[key] = reviewSeen{target: target, place: place}
		return
	}
	if first.target != target {
		im.res.Conflicts = append(im.res.Conflicts, ReviewConflict{Source: source, Places: []string{first.place, place}})
	}
}

// upToDate reports whether writing targets would reproduce the previous
// output: the same units, each kept, or a machine unit whose targets are
// unchanged.
func (p *previous) upToDate(doc *markdown.Document, targets []string) bool {
	if p.kept == nil {
		return false
	}
	n := 0
	for bi, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		n++
		if k, ok := p.kept[bi]; ok {
			if k.Approved() && k.State != out.StateReviewed {
				return false // the marker must say reviewed now
			}
			continue
		}
		m, ok := p.machine[bi]
		if !ok {
			return false
		}
		for k, si := range b.Segments {
			if m.targets[k] != targets[si] {
				return false
			}
		}
	}
	return n == p.units && n > 0
}

// markupOf is what a segment's tags stand for in its source, stored with a
// memory entry so that TMX exports carry the real Markdown.
func markupOf(tags []markdown.Tag) []tm.TagMarkup {
	if len(tags) == 0 {
		return nil
	}
	m := make([]tm.TagMarkup, len(tags))
	for i, t := range tags {
		m[i] = tm.TagMarkup{ID: t.ID, Open: t.Open, Close: t.Close}
	}
	return m
}
