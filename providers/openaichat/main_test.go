package openaichat_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
)

// offlineAttempts counts requests through http.DefaultTransport to anything
// but loopback: tiktoken-go's default loader would download BPE files that
// way, and no test may touch the network.
var offlineAttempts atomic.Int64

type loopbackOnly struct{ base http.RoundTripper }

func (l loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		offlineAttempts.Add(1)
		return nil, fmt.Errorf("test: network access to %s refused", host)
	}
	return l.base.RoundTrip(r)
}

func TestMain(m *testing.M) {
	http.DefaultTransport = loopbackOnly{base: http.DefaultTransport}
	code := m.Run()
	if n := offlineAttempts.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d attempt(s) to reach the network\n", n)
		code = 1
	}
	os.Exit(code)
}
