package googletranslate

import (
	"testing"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googlebasic"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
)

// canaryKey is a fake API key whose appearance anywhere in output is a leak.
const canaryKey = "sk-test-CANARY-google-0123456789"

func startV3(t testing.TB) *googletest.V3 {
	t.Helper()
	srv, err := googletest.NewV3()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// newAdvanced returns a v3 engine on srv; opts may be nil.
func newAdvanced(t testing.TB, srv *googletest.V3, opts *Options) *Translator {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Project == "" {
		o.Project = "test-project"
	}
	o.Endpoint, o.Insecure = srv.Addr(), true
	a, err := NewTranslator(&o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func startV2(t testing.TB) *googletest.V2 {
	t.Helper()
	srv := googletest.NewV2(canaryKey)
	t.Cleanup(srv.Close)
	return srv
}

// newBasic returns a v2 engine on srv; opts may be nil.
func newBasic(t testing.TB, srv *googletest.V2, opts *googlebasic.Options) *googlebasic.Translator {
	t.Helper()
	var o googlebasic.Options
	if opts != nil {
		o = *opts
	}
	if o.APIKey == "" {
		o.APIKey = canaryKey
	}
	o.Endpoint = srv.Endpoint()
	b, err := googlebasic.NewTranslator(&o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func zhen(segs ...string) providers.Request {
	return providers.Request{Source: language.Chinese, Target: language.English, Segments: segs}
}
