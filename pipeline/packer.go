package pipeline

import "github.com/diglot/diglot/providers"

// openBatches is how many batches the packer keeps open: a request goes
// into the first open batch it fits, so small ones fill the gaps that big
// ones leave, while neighbouring segments still mostly travel together.
const openBatches = 8

// packer packs requests into batches within an engine's per-request
// limits, first fit over a few open batches. A batch leaves the packer
// when a new one must be opened and all are open (the oldest goes: it is
// the fullest), or when the coordinator flushes because the engine would
// otherwise sit idle.
type packer struct {
	lim  providers.Limits
	open []*openBatch
}

type openBatch struct {
	reqs        []*request
	chars, toks int
}

func (p *packer) fits(b *openBatch, r *request) bool {
	l := p.lim
	return len(b.reqs) == 0 ||
		(l.MaxSegments <= 0 || len(b.reqs) < l.MaxSegments) &&
			(l.MaxChars <= 0 || b.chars+int(r.chars) <= l.MaxChars) &&
			(l.MaxTokens <= 0 || b.toks+int(r.tokens) <= l.MaxTokens)
}

// add places r and returns the batch it pushed out, if any.
func (p *packer) add(r *request) (full []*request) {
	var dst *openBatch
	for _, b := range p.open {
		if p.fits(b, r) {
			dst = b
			break
		}
	}
	if dst == nil {
		if len(p.open) == openBatches {
			full = p.flushOldest()
		}
		dst = &openBatch{}
		p.open = append(p.open, dst)
	}
	dst.reqs = append(dst.reqs, r)
	dst.chars += int(r.chars)
	dst.toks += int(r.tokens)
	return full
}

// flushOldest removes and returns the oldest open batch, nil if none.
func (p *packer) flushOldest() []*request {
	if len(p.open) == 0 {
		return nil
	}
	b := p.open[0]
	p.open[0] = nil
	p.open = p.open[1:]
	return b.reqs
}

// flushAll removes and returns every open batch, oldest first.
func (p *packer) flushAll() [][]*request {
	var out [][]*request
	for len(p.open) > 0 {
		out = append(out, p.flushOldest())
	}
	return out
}

// batches packs reqs all at once, for planning and tests.
func (p *packer) batches(reqs []*request) [][]*request {
	var out [][]*request
	for _, r := range reqs {
		if full := p.add(r); full != nil {
			out = append(out, full)
		}
	}
	return append(out, p.flushAll()...)
}
