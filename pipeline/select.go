package pipeline

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
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
	// Shard K of Shards (1-based) takes the files whose stable hash of the
	// relative path falls in that shard, so N machines split a corpus
	// without coordination and without overlap. Shards 0 means no sharding.
	Shard, Shards int
	// ChangedOnly takes only files whose output is missing or older than
	// the source.
	ChangedOnly bool
}

// ParseShard parses "K/N" with 1 <= K <= N.
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("%w: shard %q: want K/N with 1 <= K <= N", ErrConfig, s)
	}
	return k, n, nil
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
	var out []Job
	for _, j := range jobs {
		switch {
		case len(inc) > 0 && !anyMatch(inc, j.Rel), anyMatch(exc, j.Rel):
			continue
		case sel.Shards > 0 && ShardOf(j.Rel, sel.Shards) != sel.Shard:
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

// ShardOf returns the 1-based shard of n that rel belongs to: a stable
// FNV-1a hash of the slash-separated relative path.
func ShardOf(rel string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(rel))
	return int(h.Sum32()%uint32(n)) + 1
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
