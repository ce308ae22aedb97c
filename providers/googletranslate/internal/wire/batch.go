package wire

import (
	"fmt"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// Batch is one request's segments in the form Google receives: each
// segment that holds more than white space becomes one HTML string, its
// surrounding white space kept aside (Google trims it). A Batch is sent as
// exactly one RPC: a request that does not fit one is refused as TooLarge
// before anything is sent, so a retry never pays twice for a part that
// already succeeded.
type Batch struct {
	segs []string
	// Contents are the HTML strings to send, one per segment with text.
	Contents []string
	idx      []int // segment index of each content
	lead     []string
	trail    []string
}

// NewBatch encodes segs. It keeps no reference to segs' backing array
// beyond the Batch's life.
func NewBatch(segs []string) *Batch {
	b := &Batch{segs: segs}
	for i, s := range segs {
		l, core, t := trimSpace(s)
		if core == "" {
			continue // nothing to translate, nothing billed
		}
		b.Contents = append(b.Contents, Encode(core))
		b.idx = append(b.idx, i)
		b.lead = append(b.lead, l)
		b.trail = append(b.trail, t)
	}
	return b
}

// Chars returns the code points of Contents: what Google counts against
// its request limit and bills.
func (b *Batch) Chars() int {
	n := 0
	for _, c := range b.Contents {
		n += utf8.RuneCountInString(c)
	}
	return n
}

// Fit returns a TooLarge error when the batch holds more strings or code
// points than one request may, or nil.
func (b *Batch) Fit(engine string, maxStrings, maxChars int) error {
	if n := len(b.Contents); n > maxStrings {
		return providers.Errorf(providers.TooLarge, "%s: %d strings in one request, over Google's limit of %d", engine, n, maxStrings)
	}
	if n := b.Chars(); n > maxChars {
		return providers.Errorf(providers.TooLarge, "%s: %d code points in one request, over the limit of %d", engine, n, maxChars)
	}
	return nil
}

// Results decodes the replies to Contents, in order, and returns one
// result per segment. Fewer or more replies than strings sent is a
// BadReply error. A reply that does not decode, or whose tags do not
// match its segment's, fails that segment alone: the results come back
// with a *providers.SegmentErrors, the failed slots empty.
func (b *Batch) Results(engine string, replies []string) ([]string, error) {
	if len(replies) != len(b.Contents) {
		return nil, providers.Errorf(providers.BadReply, "%s: %d translations for %d strings sent", engine, len(replies), len(b.Contents))
	}
	out := make([]string, len(b.segs))
	copy(out, b.segs) // blank segments come back as they are
	failed := map[int]error{}
	for k, reply := range replies {
		i := b.idx[k]
		dec, err := Decode(reply)
		if err == nil {
			dec = b.lead[k] + dec + b.trail[k]
			err = tags.Check(b.segs[i], dec)
		}
		if err != nil {
			failed[i] = err
			out[i] = ""
			continue
		}
		out[i] = dec
	}
	if len(failed) > 0 {
		return out, &providers.SegmentErrors{Failed: failed}
	}
	return out, nil
}

// Billed returns the code points Google bills for segment: those of its
// HTML form, markup and escapes included, without the white space around
// it, which is not sent.
func Billed(segment string) int {
	_, core, _ := trimSpace(segment)
	if core == "" {
		return 0
	}
	return utf8.RuneCountInString(Encode(core))
}

// trimSpace splits s into its leading space, its content and its trailing
// space, so the space can be put back around a translation.
func trimSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeftFunc(s, unicode.IsSpace)
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRightFunc(core, unicode.IsSpace)
	trail = core[len(trimmed):]
	return lead, trimmed, trail
}

// Meter counts usage; it is safe for concurrent use.
type Meter struct {
	requests atomic.Int64
	chars    atomic.Int64
	// Price is per million characters.
	Price float64
}

// Add records one successful request of chars billed characters.
func (m *Meter) Add(chars int) {
	m.requests.Add(1)
	m.chars.Add(int64(chars))
}

// Usage returns the totals so far.
func (m *Meter) Usage() providers.Usage {
	chars := m.chars.Load()
	return providers.Usage{
		Requests:   m.requests.Load(),
		Characters: chars,
		Cost:       float64(chars) * m.Price / 1e6,
	}
}

// ValidPrice rejects a negative price, a likely typo.
func ValidPrice(engine string, p float64) error {
	if p < 0 {
		return fmt.Errorf("%s: price_per_million_chars %v is negative", engine, p)
	}
	return nil
}
