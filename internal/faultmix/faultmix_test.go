package faultmix

import (
	"fmt"
	"testing"
)

func TestDraw(t *testing.T) {
	m := New("test", 7, map[string]float64{"a": 0.2, "b": 0.3})
	counts := map[string]int{}
	for i := range 10000 {
		k, ok := m.Draw("req", fmt.Sprint(i))
		if ok {
			counts[k]++
		}
		if _, again := m.Draw("req", fmt.Sprint(i)); again {
			t.Fatalf("request %d faulted twice", i)
		}
	}
	if a, b := counts["a"], counts["b"]; a < 1800 || a > 2200 || b < 2700 || b > 3300 {
		t.Errorf("draws %v, want about 2000 a and 3000 b", counts)
	}
	// The same seed draws the same faults.
	m2 := New("test", 7, map[string]float64{"b": 0.3, "a": 0.2})
	for i := range 100 {
		k1, ok1 := New("test", 7, map[string]float64{"a": 0.2, "b": 0.3}).Draw("x", fmt.Sprint(i))
		k2, ok2 := m2.Draw("x", fmt.Sprint(i))
		if k1 != k2 || ok1 != ok2 {
			t.Fatalf("request %d: %q %v vs %q %v", i, k1, ok1, k2, ok2)
		}
	}
}

func TestNewPanics(t *testing.T) {
	for _, rates := range []map[string]float64{{"a": -0.1}, {"a": 0.6, "b": 0.5}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v) did not panic", rates)
				}
			}()
			New("test", 1, rates)
		}()
	}
}
