package tm_test

import (
	"testing"

	"github.com/diglot/diglot/tm"
	"github.com/diglot/diglot/tm/tmtest"
)

func TestMemoryConformance(t *testing.T) {
	tmtest.Run(t, func(t *testing.T, opts *tm.Options) tm.Store {
		return tm.NewMemory(opts)
	})
}
