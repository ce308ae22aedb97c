package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Selection chooses which discovered files a run takes. The zero value
// takes them all.
type Selection struct {
	// Include and Exclude are globs over the slash-separated path relative
	// to its input directory: * and ? within a path element, ** across
	// elements. A pattern without a slash also matches the base name. A
	// file is taken when it matches an Include (or there is none) and no
	// Exclude.
	Include, Exclude []string
	// Limit takes at most this many files (after the other rules); 0 means
	// no limit.
	Limit int
	// Shard K of Shards (1-based) takes one share of the files, balanced by
	// work (the files' sizes), so that N machines split a corpus without
	// coordination and without overlap, and finish at about the same
	// time. The shares depend only on the files' paths and sizes: every
	// machine that sees the same files computes the same ones. Shards 0
	// means no sharding.
	Shard, Shards int
	// ChangedOnly takes only files whose output is missing or older than
	// the source.
	ChangedOnly bool
}

// ShardSyntax says what ParseShard accepts, for messages that name the
// flag or setting the value came from.
const ShardSyntax = "want K/N with 1 <= K <= N"

// ParseShard parses "K/N" with 1 <= K <= N, two decimal numbers and
// nothing else. It is strict because a value it half-read ("2/3junk",
// "1/3/4") would split the corpus differently from what the user meant,
// and N machines that disagree on N translate some files twice and some
// never.
func ParseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, kerr := parseDigits(ks)
	n, nerr := parseDigits(ns)
	if !ok || kerr != nil || nerr != nil || k < 1 || k > n {
		return 0, 0, fmt.Errorf("%w: shard %q: %s", ErrConfig, s, ShardSyntax)
	}
	return k, n, nil
}

// parseDigits parses a decimal number of ASCII digits only: no sign, no
// spaces, no underscores, which strconv.Atoi would let through in part.
func parseDigits(s string) (int, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return strconv.Atoi(s)
}

// Select filters jobs by sel. outDir is where outputs go, for ChangedOnly.
func Select(jobs []Job, sel *Selection, outDir string) ([]Job, error) {
	if sel == nil {
		return jobs, nil
	}
	inc, err := compileGlobs(sel.Include)
	if err != nil {
		return nil, err
	}
	exc, err := compileGlobs(sel.Exclude)
	if err != nil {
		return nil, err
	}
	var kept []Job
	for _, j := range jobs {
		if len(inc) > 0 && !anyMatch(inc, j.Rel) || anyMatch(exc, j.Rel) {
			continue
		}
		kept = append(kept, j)
	}
	var shard []int
	if sel.Shards > 0 {
		shard = Shards(kept, sel.Shards)
	}
	var out []Job
	for i, j := range kept {
		switch {
		case shard != nil && shard[i] != sel.Shard:
			continue
		case sel.ChangedOnly && !changed(j, outDir):
			continue
		}
		out = append(out, j)
		if sel.Limit > 0 && len(out) == sel.Limit {
			break
		}
	}
	return out, nil
}

// Shards splits jobs into n shares of about equal work and returns each
// job's 1-based share. The work of a file is its size in bytes (a file
// that cannot be read counts one byte: it costs little); files are dealt
// largest first to the share with the least work so far, ties by path and
// by share number, so the split depends only on the paths and sizes.
func Shards(jobs []Job, n int) []int {
	type sized struct {
		i    int
		size int64
	}
	order := make([]sized, len(jobs))
	for i, j := range jobs {
		order[i] = sized{i, 1}
		if fi, err := os.Stat(j.Path); err == nil && fi.Size() > 0 {
			order[i].size = fi.Size()
		}
	}
	sort.Slice(order, func(a, b int) bool {
		if order[a].size != order[b].size {
			return order[a].size > order[b].size
		}
		return jobs[order[a].i].Rel < jobs[order[b].i].Rel
	})
	load := make([]int64, n)
	shard := make([]int, len(jobs))
	for _, o := range order {
		least := 0
		for k := 1; k < n; k++ {
			if load[k] < load[least] {
				least = k
			}
		}
		load[least] += o.size
		shard[o.i] = least + 1
	}
	return shard
}

func changed(j Job, outDir string) bool {
	src, err := os.Stat(j.Path)
	if err != nil {
		return true // let the read stage report it
	}
	dst, err := os.Stat(filepath.Join(outDir, filepath.FromSlash(j.Rel)))
	return err != nil || dst.ModTime().Before(src.ModTime())
}

type glob struct {
	re       *regexp.Regexp
	baseOnly bool
}

func compileGlobs(patterns []string) ([]glob, error) {
	gs := make([]glob, 0, len(patterns))
	for _, p := range patterns {
		re, err := regexp.Compile("^" + globRegexp(p) + "$")
		if err != nil {
			return nil, fmt.Errorf("%w: glob %q: %v", ErrConfig, p, err)
		}
		gs = append(gs, glob{re: re, baseOnly: !strings.Contains(p, "/")})
	}
	return gs, nil
}

// globRegexp translates a glob: ** spans path elements, * and ? do not.
func globRegexp(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

func anyMatch(gs []glob, rel string) bool {
	base := rel[strings.LastIndex(rel, "/")+1:]
	for _, g := range gs {
		if g.re.MatchString(rel) || g.baseOnly && g.re.MatchString(base) {
			return true
		}
	}
	return false
}
