package pipeline

import (
	"context"

	"github.com/diglot/diglot/tm"
)

// overlay is a memory that reads through to base and writes only to top: a
// dry run sees everything the real memory knows and changes none of it.
type overlay struct {
	base tm.Store
	top  *tm.Memory
}

func newOverlay(base tm.Store) *overlay { return &overlay{base: base, top: tm.NewMemory(nil)} }

func (o *overlay) Get(ctx context.Context, q tm.Query) (map[string]tm.Entry, error) {
	found, err := o.top.Get(ctx, q)
	if err != nil {
		return nil, err
	}
	var rest []string
	for _, k := range q.Keys {
		if _, ok := found[k]; !ok {
			rest = append(rest, k)
		}
	}
	if len(rest) == 0 {
		return found, nil
	}
	q.Keys = rest
	below, err := o.base.Get(ctx, q)
	if err != nil {
		return nil, err
	}
	for k, e := range below {
		found[k] = e
	}
	return found, nil
}

func (o *overlay) Put(ctx context.Context, entries []tm.Entry) error { return o.top.Put(ctx, entries) }

// Close closes the top layer only: the caller owns base.
func (o *overlay) Close() error { return o.top.Close() }
