package googletranslate

import (
	"context"
	"fmt"
	"sync/atomic"
	"unicode/utf8"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// wire is what the two engines do differently: how big a request may be
// and how one is sent.
type wire struct {
	// maxContents is the most strings one call may carry.
	maxContents int
	// cost is the size of one encoded string in the unit callLimit bounds.
	cost func(html string) int
	// callLimit bounds the sum of cost over one call's strings.
	callLimit int
	// send translates one call's strings, in order. A result shorter than
	// contents is a bad reply, detected by the caller.
	send func(ctx context.Context, contents []string) ([]string, error)
}

// piece is one string sent: a whole segment, or part of a long one.
type piece struct {
	seg  int
	html string
}

// translateBatch runs req through w: it trims blank and surrounding space,
// splits segments too long for one call, packs the strings into as few
// calls as w's limits allow, sends them, and decodes and checks the
// replies. It keeps no reference to req.
func translateBatch(ctx context.Context, req providers.Request, w wire) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	n := len(req.Segments)
	results := make([]string, n)
	lead := make([]string, n)
	trail := make([]string, n)
	var pieces []piece
	for i, seg := range req.Segments {
		l, core, t := trimSpace(seg)
		if core == "" {
			results[i] = seg // nothing to translate, nothing billed
			continue
		}
		lead[i], trail[i] = l, t
		size := func(s string) int { return w.cost(encodeHTML(s)) }
		for _, part := range splitSegment(core, w.callLimit, size) {
			pieces = append(pieces, piece{seg: i, html: encodeHTML(part)})
		}
	}
	if len(pieces) == 0 {
		return results, nil
	}

	replies := make([]string, len(pieces))
	for start := 0; start < len(pieces); {
		end, used := start, 0
		for end < len(pieces) && end-start < w.maxContents {
			c := w.cost(pieces[end].html)
			if end > start && used+c > w.callLimit {
				break
			}
			used += c
			end++
		}
		contents := make([]string, end-start)
		for k := range contents {
			contents[k] = pieces[start+k].html
		}
		got, err := w.send(ctx, contents)
		if err != nil {
			return nil, err
		}
		if len(got) != len(contents) {
			return nil, providers.Errorf(providers.BadReply, "googletranslate: %d translations for %d inputs", len(got), len(contents))
		}
		copy(replies[start:end], got)
		start = end
	}

	parts := make([][]string, n)
	failed := map[int]error{}
	for k, p := range pieces {
		dec, err := decodeHTML(replies[k])
		if err != nil && failed[p.seg] == nil {
			failed[p.seg] = err
		}
		parts[p.seg] = append(parts[p.seg], dec)
	}
	for i, seg := range req.Segments {
		if parts[i] == nil {
			continue
		}
		results[i] = lead[i] + joinPieces(parts[i], req.Target) + trail[i]
		if failed[i] != nil {
			continue
		}
		if err := tags.Check(seg, results[i]); err != nil {
			failed[i] = err
		}
	}
	if len(failed) > 0 {
		return results, &providers.SegmentErrors{Failed: failed}
	}
	return results, nil
}

// meter counts usage; it is safe for concurrent use.
type meter struct {
	requests atomic.Int64
	chars    atomic.Int64
	price    float64 // per million characters
}

// add records one successful call.
func (m *meter) add(contents []string) {
	var c int64
	for _, s := range contents {
		c += int64(utf8.RuneCountInString(s))
	}
	m.requests.Add(1)
	m.chars.Add(c)
}

func (m *meter) usage() providers.Usage {
	chars := m.chars.Load()
	return providers.Usage{
		Requests:   m.requests.Load(),
		Characters: chars,
		Cost:       float64(chars) * m.price / 1e6,
	}
}

// validPrice rejects a negative price, a likely typo.
func validPrice(p float64) error {
	if p < 0 {
		return fmt.Errorf("googletranslate: price_per_million_chars %v is negative", p)
	}
	return nil
}
