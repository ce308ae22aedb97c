package identity_test

import (
	"testing"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/identity"
	"github.com/diglot/diglot/providers/providertest"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New:      func(*testing.T) providers.Provider { return identity.Translator{} },
		Identity: true,
	})
}
