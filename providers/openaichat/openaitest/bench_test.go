package openaitest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

func segments(n int) []string {
	segs := make([]string, n)
	for i := range segs {
		segs[i] = fmt.Sprintf("第%d段：美国总统<x1/>在日内瓦。", i)
	}
	return segs
}

func TestRunBench(t *testing.T) {
	res, err := openaitest.RunBench(context.Background(), openaitest.BenchOptions{
		Segments: segments(50),
		Engine:   openaichat.Options{MaxBatchSegments: 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 || res.Requests != 5 || res.MinRequests != 5 || res.RateLimited != 0 {
		t.Errorf("RunBench = %v", res)
	}
}

func TestSimpleDriveRecovers(t *testing.T) {
	srv := openaitest.NewServer(&openaitest.Options{
		RetryAfter: 5 * time.Millisecond,
		// A truncated reply (finish_reason length) is too large: the
		// batch is halved.
		Script: openaitest.Sequence(openaitest.RateLimit, openaitest.Truncated, openaitest.MissingID,
			openaitest.Echo, openaitest.Unavailable),
	})
	defer srv.Close()
	tr, err := openaichat.NewTranslator(&openaichat.Options{BaseURL: srv.URL, MaxBatchSegments: 8, Concurrency: 1,
		Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	failed, err := openaitest.SimpleDrive(context.Background(), tr,
		providers.Request{Source: language.Chinese, Target: language.English, Segments: segments(20)})
	if err != nil || failed != 0 {
		t.Errorf("SimpleDrive = %d failed, %v; server %+v", failed, err, srv.Stats())
	}
}
