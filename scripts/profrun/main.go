// Command profrun runs a copy translation (and optionally a publish) of a
// directory in process under the CPU profiler, for finding where a run's
// time goes.
//
//	go run ./scripts/profrun -cpu cpu.out -o OUT DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers/identity"
)

func main() {
	cpu := flag.String("cpu", "cpu.out", "CPU profile `file`")
	outDir := flag.String("o", "out", "output directory")
	publish := flag.String("publish", "", "also publish into `DIR`")
	flag.Parse()
	f, err := os.Create(*cpu)
	if err != nil {
		panic(err)
	}
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	start := time.Now()
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
