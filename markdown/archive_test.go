package markdown_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/pseudo"
)

// The whole source archive (51,716 files) is too big for the repository and
// for every run: tests read it from $DIGLOT_ARCHIVE when it is set, a
// deterministic sample of -archive-sample files normally, every file with
// -archive-all.
var (
	archiveAll    = flag.Bool("archive-all", false, "check every file of $DIGLOT_ARCHIVE, not a sample")
	archiveSample = flag.Int("archive-sample", 400, "how many files of $DIGLOT_ARCHIVE to check without -archive-all")
	archiveShow   = flag.Int("archive-show", 10, "how many failures to print in full")
)

// corpusPaths returns the Markdown files of the shared corpus.
func corpusPaths(tb testing.TB) []string {
	tb.Helper()
	paths, _ := filepath.Glob(filepath.Join("../../shared/corpus", "*.md"))
	if len(paths) == 0 {
		tb.Skip("corpus absent")
	}
	return paths
}

// archivePaths returns the archive's Markdown files (a sample unless
// -archive-all), skipping the test when DIGLOT_ARCHIVE is unset.
func archivePaths(tb testing.TB) []string {
	tb.Helper()
	root := os.Getenv("DIGLOT_ARCHIVE")
	if root == "" {
		tb.Skip("DIGLOT_ARCHIVE not set")
	}
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("walk %s: %v", root, err)
	}
	if len(paths) == 0 {
		tb.Fatalf("no Markdown files under DIGLOT_ARCHIVE=%s", root)
	}
	sort.Strings(paths)
	if *archiveAll || len(paths) <= *archiveSample {
		return paths
	}
	// A sample spread over the whole archive by a hash of each path, so it
	// is the same in every run and not just one year's directory.
	type keyed struct {
		key  uint64
		path string
	}
	ks := make([]keyed, len(paths))
	for i, p := range paths {
		h := fnv.New64a()
		h.Write([]byte(p))
		ks[i] = keyed{h.Sum64(), p}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	paths = paths[:0]
	for _, k := range ks[:*archiveSample] {
		paths = append(paths, k.path)
	}
	sort.Strings(paths)
	return paths
}

// fileResult is what one file gave a whole-collection check.
type fileResult struct {
	path     string
	segments int
	blocks   int      // blocks written with a translation and read back
	failures []string // one line per failure
	skipped  string   // why the file was not checked (not UTF-8)
}

// eachFile runs check over paths on every core and returns the results in
// path order.
func eachFile(tb testing.TB, paths []string, check func(path string, src []byte) fileResult) []fileResult {
	tb.Helper()
	results := make([]fileResult, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				src, err := os.ReadFile(paths[i])
				if err != nil {
					results[i] = fileResult{path: paths[i], failures: []string{err.Error()}}
					continue
				}
				if !utf8.Valid(src) {
					results[i] = fileResult{path: paths[i], skipped: "invalid UTF-8"}
					continue
				}
				results[i] = check(paths[i], src)
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// report logs the totals of a whole-collection check and fails the test
// with the first failures in full.
func report(t *testing.T, what string, results []fileResult) {
	t.Helper()
	files, segs, blocks, failed, failedFiles, skipped := 0, 0, 0, 0, 0, 0
	var shown []string
	for _, r := range results {
		if r.skipped != "" {
			skipped++
			continue
		}
		files++
		segs += r.segments
		blocks += r.blocks
		failed += len(r.failures)
		if len(r.failures) > 0 {
			failedFiles++
		}
		for _, f := range r.failures {
			if len(shown) < *archiveShow {
				shown = append(shown, r.path+": "+f)
			}
		}
	}
	t.Logf("%s: %d files (%d skipped: not UTF-8), %d segments, %d translated blocks read back; %d failures in %d files",
		what, files, skipped, segs, blocks, failed, failedFiles)
	if failed > 0 {
		t.Errorf("%d %s failures in %d files; first ones:\n%s", failed, what, failedFiles, strings.Join(shown, "\n"))
	}
}

// copyRoundTrip checks the copy invariant on one file: the segments' own
// texts assemble to the source, byte for byte.
func copyRoundTrip(path string, src []byte) fileResult {
	r := fileResult{path: path}
	d, err := markdown.Parse(src, nil)
	if err != nil {
		r.failures = append(r.failures, err.Error())
		return r
	}
	r.segments = len(d.Segments)
	got, err := d.Assemble(d.Texts())
	switch {
	case err != nil:
		r.failures = append(r.failures, err.Error())
	case !bytes.Equal(got, src):
		i := 0
		for i < len(got) && i < len(src) && got[i] == src[i] {
			i++
		}
		r.failures = append(r.failures, fmt.Sprintf("copy round trip differs at byte %d: %q", i, src[max(0, i-20):min(len(src), i+20)]))
	}
	return r
}

// TestCopyRoundTripArchive is the copy invariant on the archive.
func TestCopyRoundTripArchive(t *testing.T) {
	paths := archivePaths(t)
	report(t, "copy round trip", eachFile(t, paths, copyRoundTrip))
}

// pseudoReadBack translates every segment of a file with the pseudo engine,
// writes each translated block and parses it back as the bilingual reader
// does (ParseFragment with the document in scope, then AlignTags): a block
// that does not give the same segments and tags is a read-back failure.
func pseudoReadBack(opts *markdown.Options) func(string, []byte) fileResult {
	engine := pseudo.NewTranslator(nil)
	return func(path string, src []byte) fileResult {
		r := fileResult{path: path}
		d, err := markdown.Parse(src, opts)
		if err != nil {
			r.failures = append(r.failures, err.Error())
			return r
		}
		r.segments = len(d.Segments)
		targets, err := engine.Translate(context.Background(), providers.Request{Segments: d.Texts()})
		if err != nil {
			r.failures = append(r.failures, err.Error())
			return r
		}
		for bi, b := range d.Blocks {
			if len(b.Segments) == 0 || b.Kind == markdown.FrontMatter {
				continue
			}
			if msg := readBack(d, bi, targets, opts); msg != "" {
				r.failures = append(r.failures, fmt.Sprintf("line %d: %s", b.Line, msg))
			}
			r.blocks++
		}
		return r
	}
}

// readBack assembles block bi with targets and parses it back; it returns
// why the result does not read back, or "".
func readBack(d *markdown.Document, bi int, targets []string, opts *markdown.Options) string {
	b := d.Blocks[bi]
	out, err := d.AssembleBlock(bi, targets)
	if err != nil {
		return err.Error()
	}
	frag, err := markdown.ParseFragment(out, d, opts)
	if err != nil {
		return err.Error()
	}
	if len(frag.Segments) != len(b.Segments) {
		return fmt.Sprintf("%d segments read back, the source has %d: %q", len(frag.Segments), len(b.Segments), out)
	}
	for k, si := range b.Segments {
		if _, err := markdown.AlignTags(d.Segments[si], frag.Segments[k]); err != nil {
			return fmt.Sprintf("%v: source %q, written %q", err, d.Segments[si].Text, out)
		}
	}
	return ""
}

// TestPseudoReadBackCorpus: every block of the corpus, translated by the
// pseudo engine, reads back with the same segments and tags.
func TestPseudoReadBackCorpus(t *testing.T) {
	report(t, "pseudo read-back", eachFile(t, corpusPaths(t), pseudoReadBack(nil)))
}

// TestPseudoReadBackArchive is TestPseudoReadBackCorpus on the archive.
func TestPseudoReadBackArchive(t *testing.T) {
	report(t, "pseudo read-back", eachFile(t, archivePaths(t), pseudoReadBack(nil)))
}

// TestCopyRoundTripCorpusFiles is the copy invariant through the public API
// on the corpus (corpus_test.go checks more on each file).
func TestCopyRoundTripCorpusFiles(t *testing.T) {
	report(t, "copy round trip", eachFile(t, corpusPaths(t), copyRoundTrip))
}
