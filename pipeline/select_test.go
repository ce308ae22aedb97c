package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestSelectGlobs(t *testing.T) {
	jobs := []Job{{Rel: "a.md"}, {Rel: "news/b.md"}, {Rel: "news/2021/c.markdown"}, {Rel: "drafts/d.md"}}
	tests := []struct {
		sel  Selection
		want string
	}{
		{Selection{}, "[a.md news/b.md news/2021/c.markdown drafts/d.md]"},
		{Selection{Include: []string{"news/**"}}, "[news/b.md news/2021/c.markdown]"},
		{Selection{Include: []string{"*.md"}}, "[a.md news/b.md drafts/d.md]"},
		{Selection{Include: []string{"news/*.md"}}, "[news/b.md]"},
		{Selection{Exclude: []string{"drafts/**", "c.*"}}, "[a.md news/b.md]"},
		{Selection{Include: []string{"**/*.md"}, Limit: 2}, "[a.md news/b.md]"},
	}
	for _, tt := range tests {
		got, err := Select(jobs, &tt.sel, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		var rels []string
		for _, j := range got {
			rels = append(rels, j.Rel)
		}
		if fmt.Sprint(rels) != tt.want {
			t.Errorf("Select(%+v) = %v, want %s", tt.sel, rels, tt.want)
		}
	}
}

// TestShardsPartition: shards cover every file exactly once and balance
// the work (issue 16: by file count, two shards of a corpus held 834 and
// 4,728 segments), here files whose sizes vary a hundredfold.
func TestShardsPartition(t *testing.T) {
	dir := t.TempDir()
	var jobs []Job
	var total int64
	for i := 0; i < 1000; i++ {
		rel := fmt.Sprintf("dir%d/file%d.md", i%7, i)
		size := 100 + (i*7919)%10000 // 100 B to 10 kB
		path := filepath.Join(dir, fmt.Sprintf("f%d.md", i))
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		total += int64(size)
		jobs = append(jobs, Job{Path: path, Rel: rel})
	}
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		got, _ := Select(jobs, &Selection{Shard: k, Shards: 3}, t.TempDir())
		var work int64
		for _, j := range got {
			seen[j.Rel]++
			fi, _ := os.Stat(j.Path)
			work += fi.Size()
		}
		if share := float64(work) / float64(total); share < 0.33 || share > 0.34 {
			t.Errorf("shard %d/3 has %.3f of the work, want a third", k, share)
		}
		again, _ := Select(jobs, &Selection{Shard: k, Shards: 3}, t.TempDir())
		if fmt.Sprint(again) != fmt.Sprint(got) {
			t.Errorf("shard %d/3 differs between two calls", k)
		}
	}
	for _, j := range jobs {
		if seen[j.Rel] != 1 {
			t.Errorf("%s in %d shards, want exactly 1", j.Rel, seen[j.Rel])
		}
	}
}

// TestParseShard: K/N is two numbers and nothing else, so that a typo never
// becomes a different split of the corpus.
func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		k, n int
	}{
		{"1/1", 1, 1}, {"1/3", 1, 3}, {"3/3", 3, 3}, {"02/10", 2, 10},
	} {
		k, n, err := ParseShard(tt.in)
		if err != nil || k != tt.k || n != tt.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v; want %d, %d", tt.in, k, n, err, tt.k, tt.n)
		}
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0", "1/3/4", "2/3junk", " 1/3", "1/3 ", "+1/3", "1/+3",
		"-1/3", "1/", "/3", "", "1_0/20", "0x1/3", "1.0/3", "99999999999999999999/99999999999999999999"} {
		if _, _, err := ParseShard(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("ParseShard(%q) = %v, want ErrConfig", bad, err)
		}
	}
}
