package providertest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

// identity is the smallest conforming engine: target = source.
type identity struct{}

func (identity) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	return append([]string(nil), req.Segments...), nil
}

// upper transforms text (uppercasing and bracketing) and keeps tags; with a
// fault set, every request fails with it.
type upper struct{ fault providertest.Fault }

func (u upper) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	switch u.fault {
	case providertest.FaultRateLimited:
		return nil, &providers.Error{Class: providers.Retryable, Status: 429, RetryAfter: 2 * time.Second, Err: errors.New("slow down")}
	case providertest.FaultServer:
		return nil, &providers.Error{Class: providers.Retryable, Status: 503, Err: errors.New("unavailable")}
	case providertest.FaultPermanent:
		return nil, &providers.Error{Class: providers.Permanent, Status: 401, Err: errors.New("bad key")}
	case providertest.FaultBadReply:
		return nil, providers.Errorf(providers.BadReply, "malformed")
	case providertest.FaultTooLarge:
		return nil, providers.Errorf(providers.TooLarge, "context length exceeded")
	case providertest.FaultStall:
		<-ctx.Done()
		return nil, &providers.Error{Class: providers.Canceled, Err: ctx.Err()}
	}
	out := make([]string, len(req.Segments))
	for i, s := range req.Segments {
		if strings.TrimSpace(s) == "" {
			out[i] = s
			continue
		}
		var b strings.Builder
		b.WriteString("[")
		for _, tok := range tags.Parse(s) {
			if tok.Kind == tags.Text {
				b.WriteString(strings.ToUpper(tok.Text))
			} else {
				b.WriteString(tok.Text)
			}
		}
		b.WriteString("]")
		out[i] = b.String()
	}
	return out, nil
}

func TestIdentity(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New:      func(*testing.T) providers.Provider { return identity{} },
		Identity: true,
	})
}

func TestTransformWithFaults(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New: func(*testing.T) providers.Provider { return upper{} },
		Fault: func(_ *testing.T, f providertest.Fault) providers.Provider {
			return upper{fault: f}
		},
		RetryAfter: 2 * time.Second,
	})
}

// ExampleRun shows the harness an offline engine passes; in a real test the
// function is called from a TestXxx with its *testing.T.
func ExampleRun() {
	h := providertest.Harness{
		New:      func(*testing.T) providers.Provider { return identity{} },
		Identity: true,
	}
	_ = h // providertest.Run(t, h)
}
