package markdown

import (
	"bytes"
	"sync"
	"testing"
)

// TestConcurrentParse checks that the shared goldmark parser can be used
// from several goroutines at once (run with -race).
func TestConcurrentParse(t *testing.T) {
	srcs := [][]byte{
		[]byte("# 标题\n\n见[报道](http://a.org)。\n\n| a | b |\n|---|---|\n| 一 | 二 |\n"),
		[]byte("> 引用[^1]\n\n[^1]: 脚注\n"),
		[]byte("- 一\n- 二\n\n**粗** `c`\n"),
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				src := srcs[(i+j)%len(srcs)]
				d, err := Parse(src, nil)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := d.Assemble(d.Texts())
				if err != nil || !bytes.Equal(got, src) {
					t.Errorf("Assemble = %q, %v", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
