package pseudo_test

import (
	"testing"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/providers/pseudo"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New: func(*testing.T) providers.Provider { return pseudo.NewTranslator(nil) },
	})
}

// TestConformanceWithDelay: with a delay the engine still honours cancellation.
func TestConformanceWithDelay(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New: func(*testing.T) providers.Provider { return pseudo.NewTranslator(&pseudo.Options{Delay: "1ms"}) },
	})
}
