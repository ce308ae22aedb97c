package pipeline

import (
	"fmt"
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

func TestShardsPartition(t *testing.T) {
	var jobs []Job
	for i := 0; i < 1000; i++ {
		jobs = append(jobs, Job{Rel: fmt.Sprintf("dir%d/file%d.md", i%7, i)})
	}
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		got, _ := Select(jobs, &Selection{Shard: k, Shards: 3}, t.TempDir())
		if len(got) < 250 || len(got) > 420 {
			t.Errorf("shard %d/3 has %d of 1000 files: badly balanced", k, len(got))
		}
		for _, j := range got {
			seen[j.Rel]++
		}
	}
	for _, j := range jobs {
		if seen[j.Rel] != 1 {
			t.Errorf("%s in %d shards, want exactly 1", j.Rel, seen[j.Rel])
		}
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0"} {
		if _, _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
