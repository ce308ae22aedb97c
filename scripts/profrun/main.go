// Command profrun runs a copy translation (and optionally a publish) of a
// directory in process under the CPU profiler, for finding where a run's
// time goes.
//
//	go run ./scripts/profrun -cpu cpu.out -o OUT DIR
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers/identity"
)

// watchHeap samples the heap every 50ms and keeps the profile of the
// largest in-use heap seen, written to path when stop is called.
func watchHeap(path string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var best bytes.Buffer
		var most uint64
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				os.WriteFile(path, best.Bytes(), 0o644)
				fmt.Printf("largest live heap: %d MB\n", most>>20)
				return
			case <-time.After(100 * time.Millisecond):
			}
			runtime.GC() // so that the profile and the figure are what is live
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > most {
				most = ms.HeapAlloc
				best.Reset()
				pprof.Lookup("heap").WriteTo(&best, 0)
			}
		}
	}()
	return func() { close(done); <-finished }
}

func main() {
	cpu := flag.String("cpu", "cpu.out", "CPU profile `file`")
	outDir := flag.String("o", "out", "output directory")
	publish := flag.String("publish", "", "also publish into `DIR`")
	only := flag.Bool("publish-only", false, "publish the bilingual files of -o into -publish without translating (profiles publish alone)")
	heap := flag.String("heap", "", "write the profile of the largest live heap seen (a GC every 100ms) to `file`")
	flag.Parse()
	if *heap != "" {
		stop := watchHeap(*heap)
		defer stop()
	}
	f, err := os.Create(*cpu)
	if err != nil {
		panic(err)
	}
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	start := time.Now()
	if *only {
		prep, err := pipeline.Publish(context.Background(), []string{*outDir}, &pipeline.PublishOptions{OutDir: *publish})
		if err != nil {
			panic(err)
		}
		fmt.Printf("publish: %+v in %v\n", prep.Totals, time.Since(start))
		return
	}
	rep, err := pipeline.Translate(context.Background(), flag.Args(), &pipeline.Options{
		Provider: identity.Translator{}, ProviderName: "copy",
		Source: language.Chinese, Target: language.English, OutDir: *outDir,
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("translate: %+v in %v\n", rep.Totals, time.Since(start))
	if *publish != "" {
		start = time.Now()
		prep, err := pipeline.Publish(context.Background(), []string{*outDir}, &pipeline.PublishOptions{OutDir: *publish})
		if err != nil {
			panic(err)
		}
		fmt.Printf("publish: %+v in %v\n", prep.Totals, time.Since(start))
	}
}
