package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/diglot/diglot/internal/atomicfile"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/diglot/diglot/tm"
)

// stateFile is where a run records, for each file it wrote, the hash of its
// source and the stamp of its output, so that the next run recognises a
// file with nothing to do without parsing it. It lives in the output
// directory, beside the outputs it describes.
const stateFile = ".diglot/state"

// stateVersion is the first line of the state file; another version is
// ignored (every file is then processed).
const stateVersion = "diglot-state 1"

// runState is the previous run's record and this run's, keyed by the
// output path relative to the output directory.
type runState struct {
	settings string // hash of what makes outputs differ besides the inputs, as saved
	base     string // the same without the memory's reviewed count
	old      map[string]fileState
	usable   bool // old records may skip files: same settings, no new reviews

	mu  sync.Mutex
	new map[string]fileState
}

type fileState struct {
	src      string // hash of the source bytes
	size     int64  // the output's size and modification time
	mtime    int64
	segments int
}

// loadState reads the previous run's state. A missing or unreadable state
// means every file is processed.
func (r *run) loadState(ctx context.Context) *runState {
	st := &runState{base: r.settingsHash(), old: map[string]fileState{}, new: map[string]fileState{}}
	st.settings = st.withReviews(ctx, r)
	f, err := os.Open(filepath.Join(r.opts.OutDir, stateFile))
	if err != nil {
		return st
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != stateVersion || !sc.Scan() {
		return st
	}
	settings := strings.TrimPrefix(sc.Text(), "settings ")
	for sc.Scan() {
		rel, fs, ok := parseStateLine(sc.Text())
		if ok {
			st.old[rel] = fs
		}
	}
	st.usable = settings == st.settings && !r.opts.Force && !r.opts.ForceReviewed
	return st
}

func parseStateLine(line string) (string, fileState, bool) {
	parts := strings.Split(line, "\t")
	if len(parts) != 5 {
		return "", fileState{}, false
	}
	size, err1 := strconv.ParseInt(parts[2], 10, 64)
	mtime, err2 := strconv.ParseInt(parts[3], 10, 64)
	n, err3 := strconv.Atoi(parts[4])
	rel, err4 := strconv.Unquote(parts[0])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return "", fileState{}, false
	}
	return rel, fileState{src: parts[1], size: size, mtime: mtime, segments: n}, true
}

// withReviews is the settings hash with the number of reviewed entries the
// memory holds for the run's pair: a review that reached the memory from
// elsewhere (tm import, another machine, another output) may change any
// file, so it makes the previous state unusable.
func (st *runState) withReviews(ctx context.Context, r *run) string {
	n := -1
	if sr, ok := r.mem.(tm.StatsReporter); ok {
		if stats, err := sr.Stats(ctx); err == nil {
			for _, p := range stats.Pairs {
				if p.SourceLang == r.report.Source && p.TargetLang == r.report.Target {
					n = p.States[tm.Reviewed]
				}
			}
		}
	}
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", st.base, n)))
	return hex.EncodeToString(h[:16])
}

// unchanged reports whether rel's source and output are as the last run
// left them, with its segment count. It is safe for concurrent use.
func (st *runState) unchanged(rel, srcHash string, out stamp) (int, bool) {
	if st == nil || !st.usable || !out.exists {
		return 0, false
	}
	old, ok := st.old[rel]
	if !ok || old.src != srcHash || old.size != out.size || old.mtime != out.mtime.UnixNano() {
		return 0, false
	}
	return old.segments, true
}

// outputChanged reports whether the output at rel may hold edits the
// memory has not seen: it is not as the last run left it.
func (st *runState) outputChanged(rel string, out stamp) bool {
	old, ok := st.old[rel]
	return !ok || old.size != out.size || old.mtime != out.mtime.UnixNano()
}

// recordState notes a written or up-to-date file for the next run.
func (c *coordinator) recordState(d *fileDone) {
	if !d.written.exists || d.edited || d.report.Status != StatusOK && d.report.Status != StatusUnchanged {
		return
	}
	c.state.put(d.f.job.Rel, fileState{src: d.f.srcHash, size: d.written.size, mtime: d.written.mtime.UnixNano(), segments: d.report.Segments})
}

// keepState carries an unchanged file's record over.
func (c *coordinator) keepState(f *docFile) {
	if f.unchanged {
		c.state.put(f.job.Rel, c.state.old[f.job.Rel])
	}
}

func (st *runState) put(rel string, fs fileState) {
	st.mu.Lock()
	st.new[rel] = fs
	st.mu.Unlock()
}

// saveState writes this run's state: the records of this run's files, and
// the earlier records of files this run did not take (another shard's, a
// file left out by --include), so that they stay valid.
func (r *run) saveState(c *coordinator) {
	if r.opts.DryRun {
		return
	}
	st := c.state
	taken := make(map[string]bool, len(c.jobs))
	for _, j := range c.jobs {
		taken[j.Rel] = true
	}
	var b strings.Builder
	b.WriteString(stateVersion + "\nsettings " + st.settings + "\n")
	line := func(rel string, fs fileState) {
		fmt.Fprintf(&b, "%s\t%s\t%d\t%d\t%d\n", strconv.Quote(rel), fs.src, fs.size, fs.mtime, fs.segments)
	}
	for rel, fs := range st.new {
		line(rel, fs)
	}
	if st.usable {
		for rel, fs := range st.old {
			if !taken[rel] {
				line(rel, fs)
			}
		}
	}
	path := filepath.Join(r.opts.OutDir, stateFile)
	err := atomicfile.Write(path, func(w *os.File) error { _, err := w.WriteString(b.String()); return err })
	if err != nil {
		r.log.Warn("run state not saved; the next run reads every file", "err", err)
	}
}

// settingsHash hashes everything besides a file's source and output that
// decides what the output holds: the language pair, the engine and model,
// the glossary, the segmentation and check settings.
func (r *run) settingsHash() string {
	h := sha256.New()
	o := r.opts
	var md, q []byte
	if o.Markdown != nil {
		md, _ = json.Marshal(o.Markdown)
	}
	if c := o.QA; c != nil {
		// The settings only: the glossary hook is a function, and the
		// glossary itself is hashed below.
		q, _ = json.Marshal([]any{c.Strict, c.Disable, c.LengthMin, c.LengthMax})
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00", r.report.Source, r.report.Target, r.tr.origin, o.Reuse, md, q)
	if o.Glossary != nil {
		for _, e := range o.Glossary.Terms() {
			b, _ := json.Marshal(e)
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// importReviews stores the reviewers' edits of existing outputs in the
// memory before anything is translated, so that a reviewed paragraph takes
// its reviewed translation in every file of this run, not only in its own.
// With a persistent memory only outputs changed since the last run are
// read: the others' edits are in the memory already. New reviews make
// every file worth a look, so the state then skips nothing.
func (r *run) importReviews(ctx context.Context, jobs []Job, st *runState) {
	if r.opts.ForceReviewed {
		return
	}
	_, fresh := r.mem.(*tm.Memory)
	fresh = fresh || r.opts.Memory == nil
	var paths []string
	for _, j := range jobs {
		p, err := OutputPath(r.opts.OutDir, j.Rel)
		if err != nil {
			continue
		}
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if fresh || st.outputChanged(j.Rel, stampOf(fi)) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return
	}
	// Unreadable outputs are reported when their file is processed.
	im, err := ImportReviews(ctx, paths, &ImportOptions{Memory: r.mem, KeyFunc: r.keyOf, Format: r.format()})
	if err != nil {
		return
	}
	r.report.Conflicts = append(r.report.Conflicts, im.Conflicts...)
	if im.Segments > 0 {
		st.usable = false
		st.settings = st.withReviews(ctx, r) // what the next run will find
	}
}

// getEntries looks keys up in the memory: reviewed entries, and the machine
// entries of the origins the run reuses (tm.Query.Origin).
func getEntries(ctx context.Context, mem tm.Store, src, tgt string, keys []string, origin string) (map[string]tm.Entry, error) {
	return mem.Get(ctx, tm.Query{SourceLang: src, TargetLang: tgt, Keys: keys, Origin: origin})
}
