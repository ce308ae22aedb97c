// Package faultmix draws the faults the engines' fake servers (openaitest,
// googletest) inject: each kind into its share of requests, decided by a
// hash of a seed and the request's strings so that a run meets the same
// faults every time, and only the first time a request is seen, so that
// the same request sent again is answered, as a retry of a real engine's
// transient fault usually is.
package faultmix

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
)

// Mixer draws faults of kinds K.
type Mixer[K cmp.Ordered] struct {
	seed  uint64
	kinds []K
	upto  []float64 // cumulative rates, in the order of kinds

	mu   sync.Mutex
	seen map[uint64]bool
}

// New returns a Mixer injecting each kind into that share of requests. It
// panics, naming who, if a rate is negative or the rates add up to more
// than 1.
func New[K cmp.Ordered](who string, seed uint64, rates map[K]float64) *Mixer[K] {
	m := &Mixer[K]{seed: seed, seen: map[uint64]bool{}}
	for k := range rates {
		m.kinds = append(m.kinds, k)
	}
	slices.Sort(m.kinds) // map order must not change the draw
	total := 0.0
	for _, k := range m.kinds {
		if rates[k] < 0 {
			panic(fmt.Sprintf("%s: Mix: rate of %v is negative", who, k))
		}
		total += rates[k]
		m.upto = append(m.upto, total)
	}
	if total > 1+1e-9 {
		panic(fmt.Sprintf("%s: Mix: rates add up to %g, more than 1", who, total))
	}
	return m
}

// Draw returns the fault of the request made of parts, or false for none:
// always none for a request seen before. It is safe for concurrent use.
func (m *Mixer[K]) Draw(parts ...string) (K, bool) {
	var zero K
	h := m.hash(parts)
	m.mu.Lock()
	again := m.seen[h]
	m.seen[h] = true
	m.mu.Unlock()
	if again {
		return zero, false
	}
	u := float64(mix64(h)>>11) / (1 << 53)
	for i, k := range m.kinds {
		if u < m.upto[i] {
			return k, true
		}
	}
	return zero, false
}

// hash identifies a request by the seed and its strings.
func (m *Mixer[K]) hash(parts []string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], m.seed)
	h.Write(b[:])
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// mix64 is SplitMix64's finaliser: FNV's low bits alone are not uniform
// enough to draw from.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
