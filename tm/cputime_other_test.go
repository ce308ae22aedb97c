//go:build !unix

package tm_test

import "time"

// cpuTime is unavailable here; benchmarks then skip the CPU metric.
func cpuTime() time.Duration { return -1 }
