package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/diglot/diglot/out"
)

// Publishing layouts.
const (
	LayoutTarget    = "target"    // the target document alone
	LayoutBilingual = "bilingual" // source and target blocks paired, markers removed
	// LayoutHTML writes a static bilingual reading page per article
	// (NAME.html: facing columns on a wide screen, alternating paragraphs
	// on a narrow one) and an index.html listing them.
	LayoutHTML = "html"
)

// IndexPage is the name of the list of articles LayoutHTML writes in the
// output directory; IndexPageAlt is used instead when an article's page
// takes that name.
const (
	IndexPage    = "index.html"
	IndexPageAlt = "diglot-index.html"
)

// Levels of PublishOptions.Require: the lowest state every unit of a file
// must have for the file to be published.
const (
	// RequireTranslated publishes a file only when every unit has a
	// translation: machine or reviewed. Failed, new and stale units are
	// below it.
	RequireTranslated = "translated"
	// RequireReviewed publishes a file only when a reviewer edited or
	// approved every unit.
	RequireReviewed = "reviewed"
)

// PublishOptions configure Publish. OutDir is required.
type PublishOptions struct {
	OutDir string
	// Format is what the bilingual files are read with: the markdown
	// options of the run that wrote them and, when set, the language pair
	// every file must have.
	Format out.Format
	Layout string      // LayoutTarget (default), LayoutBilingual, LayoutHTML or LayoutHugo
	Hugo   HugoOptions // LayoutHugo's options
	// MaxFileSize is the largest source file, as for Translate; zero means
	// DefaultMaxFileSize. A bilingual file may hold eight times as much
	// text, plus its markers (see ReadBilingualFile).
	MaxFileSize int64
	// Require, when set (RequireTranslated or RequireReviewed), refuses to
	// publish a file with a unit below that state: the file is not
	// written, and its report names the units. Empty publishes every file
	// and names those with failed or stale units.
	Require string
	// Sync makes each published file durable (fsync) before it replaces
	// the old one, as Translate does with the bilingual files. Published
	// files are always written whole under a temporary name and renamed
	// into place, so that no reader sees part of one; without Sync, a
	// crash of the machine may lose the latest ones (publish again),
	// and publishing many files costs a fraction of the time: a disk
	// flush per file costs more than everything else publishing does.
	Sync     bool
	Logger   *slog.Logger
	Observer Observer
}

// ErrOutputIsInput is wrapped by the error Publish returns when the output
// directory is an input directory or lies inside one, or when an output
// would replace an input file.
var ErrOutputIsInput = errors.New("pipeline: the output would overwrite the input")

// ErrNotPublished is wrapped by a file's error when PublishOptions.Require
// refuses it.
var ErrNotPublished = errors.New("not published")

// Publish reads bilingual files (or directories of them) and writes each as
// a publishable document under opts.OutDir, mirroring paths as Translate
// does. Reviewers' edits are published as they stand. A file that cannot be
// read fails alone, and so does one that opts.Require refuses; a file with
// failed or stale units is published with status attention and its error
// naming them. The error return is only for invalid options, an output
// directory that is or lies inside an input directory, or an output that
// would replace an input ([ErrOutputIsInput]); nothing is written then.
func Publish(ctx context.Context, inputs []string, opts *PublishOptions) (*Report, error) {
	if opts == nil || opts.OutDir == "" {
		return nil, fmt.Errorf("%w: no output directory", ErrConfig)
	}
	layout := opts.Layout
	if layout == "" {
		layout = LayoutTarget
	}
	if layout != LayoutTarget && layout != LayoutBilingual && layout != LayoutHTML && layout != LayoutHugo {
		return nil, fmt.Errorf("%w: unknown layout %q (want %s, %s, %s or %s)", ErrConfig, layout, LayoutTarget, LayoutBilingual, LayoutHTML, LayoutHugo)
	}
	if err := checkHugoOptions(layout, opts.Hugo); err != nil {
		return nil, err
	}
	switch opts.Require {
	case "", RequireTranslated, RequireReviewed:
	default:
		return nil, fmt.Errorf("%w: unknown requirement %q (want %s or %s)", ErrConfig, opts.Require, RequireTranslated, RequireReviewed)
	}
	obs := opts.Observer
	if obs == nil {
		obs = NopObserver{}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	rep := &Report{Version: ReportVersion, Command: "publish", Started: start.UTC(), Files: []FileReport{}, Failures: []SegmentFailure{}}
	jobs, errs := Discover(inputs, &DiscoverOptions{Skip: opts.OutDir})
	if layout == LayoutHTML {
		for i := range jobs {
			jobs[i].Rel = pageRel(jobs[i].Rel)
		}
	}
	checked := jobs
	var hugo *hugoRun
	if layout == LayoutHugo {
		hugo, checked = newHugoRun(ctx, jobs, opts)
	}
	if err := checkOutputs(inputs, checked, opts.OutDir); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, e := range errs {
		rep.Inputs = append(rep.Inputs, e.Error())
	}
	p := publisher{opts: opts, layout: layout, index: IndexPage, hugo: hugo, out: &pubOutputs{dir: opts.OutDir, sync: opts.Sync}}
	defer p.out.close()
	for _, j := range jobs {
		if j.Rel == IndexPage {
			p.index = IndexPageAlt
		}
	}
	p.run(ctx, jobs, func(f FileReport) {
		log.Info("file", "path", f.Path, "status", f.Status, "err", f.Error)
		rep.Totals.Segments += f.Segments
		rep.Files = append(rep.Files, f)
		if f.Status == StatusInterrupted {
			rep.Stopped = "interrupted"
		}
		obs.FileDone(f)
	})
	if layout == LayoutHTML && ctx.Err() == nil {
		if err := p.writeIndex(); err != nil {
			rep.Inputs = append(rep.Inputs, err.Error())
		}
	}
	rep.tally()
	rep.Duration = Duration(time.Since(start))
	return rep, nil
}

// publisher holds what one Publish call accumulates: the pages written,
// for the index.
type publisher struct {
	opts   *PublishOptions
	out    *pubOutputs
	layout string
	index  string // the index page's name
	pages  []out.IndexEntry
	lang   string   // the target language of the pages, for the index
	hugo   *hugoRun // LayoutHugo's site
}

// published is what publishing one file gives: its report and, for the
// HTML layout, its entry in the index.
type published struct {
	report FileReport
	page   *out.IndexEntry
	lang   string
}

// Publishing runs publishWorkers files at a time (files are independent;
// a worker waiting for its file to reach the disk leaves the processor to
// another), holding at most publishBytes of bilingual files in flight: a
// file larger than that is published alone, so that memory follows the
// largest file and not the number of files.
var (
	publishWorkers = min(2*runtime.GOMAXPROCS(0), 8)
	publishBytes   = int64(24 << 20)
)

// run publishes jobs, several at a time, and hands each file's report to
// done in the order of jobs, from the calling goroutine. Once ctx is
// done, the files not yet started are reported interrupted.
func (p *publisher) run(ctx context.Context, jobs []Job, done func(FileReport)) {
	results := make([]published, len(jobs))
	finished := make(chan int, len(jobs))
	go func() {
		defer close(finished)
		var g errgroup.Group
		g.SetLimit(publishWorkers)
		mem := semaphore.NewWeighted(publishBytes)
		for i, j := range jobs {
			weight := publishBytes
			if fi, err := os.Stat(j.Path); err == nil {
				weight = min(max(fi.Size(), 1), publishBytes)
			}
			if ctx.Err() != nil || mem.Acquire(ctx, weight) != nil {
				results[i] = published{report: FileReport{Path: j.Path, Status: StatusInterrupted}}
				finished <- i
				continue
			}
			g.Go(func() error {
				defer mem.Release(weight)
				results[i] = p.one(j)
				finished <- i
				return nil
			})
		}
		g.Wait()
	}()
	ready := make([]bool, len(jobs))
	next := 0
	for i := range finished {
		ready[i] = true
		for ; next < len(jobs) && ready[next]; next++ {
			r := results[next]
			if r.page != nil {
				p.pages = append(p.pages, *r.page)
				if p.lang == "" {
					p.lang = r.lang
				}
			}
			done(r.report)
			results[next] = published{}
		}
	}
}

// pageRel is the output path of an article's HTML page: its Markdown name
// with .html for its extension.
func pageRel(rel string) string {
	return strings.TrimSuffix(rel, path.Ext(rel)) + ".html"
}

// writeIndex writes the list of the pages written.
func (p *publisher) writeIndex() error {
	sort.Slice(p.pages, func(i, j int) bool { return p.pages[i].Href < p.pages[j].Href })
	page, err := out.HTMLIndex("Articles", p.lang, p.pages)
	if err != nil {
		return err
	}
	_, err = p.out.write(p.index, page)
	return err
}

// one publishes the file of j. It runs on several goroutines at once and
// touches nothing of p but its settings.
func (p *publisher) one(j Job) published {
	opts, layout := p.opts, p.layout
	f := FileReport{Path: j.Path}
	fail := func(err error) published {
		f.Status, f.Error = StatusFailed, oneLine(err.Error())
		return published{report: f}
	}
	// The targets as the machine wrote them are published as they are:
	// only edited ones need parsing (and checking against their source).
	bf, _, err := readBilingualFile(j.Path, opts.MaxFileSize, opts.Format, &out.ReadOptions{SkipUnedited: true})
	if err != nil {
		return fail(err)
	}
	for _, u := range bf.Units {
		n := len(bf.Source.Blocks[u.Block].Segments)
		f.Segments += n
		if u.State == out.StateFailed && !u.Approved() {
			f.Failed += n
		}
	}
	if opts.Require != "" {
		if below := unitsBelow(bf, opts.Require); below != "" {
			return fail(fmt.Errorf("%w (--require %s): %s", ErrNotPublished, opts.Require, below))
		}
	}
	var doc []byte
	var title string
	switch layout {
	case LayoutTarget:
		doc = bf.TargetDocument()
	case LayoutBilingual:
		doc = bf.PairedDocument()
	case LayoutHugo:
		return published{report: p.hugo.publish(j, bf, f, p.out.write)}
	case LayoutHTML:
		up := strings.Repeat("../", strings.Count(j.Rel, "/"))
		if doc, title, err = bf.HTMLPage(&out.HTMLOptions{Index: up + p.index}); err != nil {
			return fail(err)
		}
	}
	path, err := p.out.write(j.Rel, doc)
	if err != nil {
		return fail(err)
	}
	f.Output, f.Status = path, StatusOK
	if attention := unitsBelow(bf, ""); attention != "" {
		f.Status, f.Error = StatusAttention, "needs attention: "+attention
	}
	res := published{report: f}
	if layout == LayoutHTML {
		res.page, res.lang = &out.IndexEntry{Href: j.Rel, Title: title}, bf.Header.Target
	}
	return res
}

// pubOutputs writes published files under one directory through an
// os.Root, as Translate writes its outputs: no path leads a write outside
// it, not "..", not a symlink. The directory is made with the first file
// written, so that publishing nothing leaves nothing behind; each of its
// subdirectories is opened once, as a Root of its own.
type pubOutputs struct {
	dir  string
	sync bool
	once sync.Once
	root *os.Root
	err  error
	mu   sync.Mutex
	dirs map[string]*os.Root // the directories written to, relative to dir
}

// write replaces rel (slash-separated) with data atomically: a temporary
// file beside it, renamed into place. It returns the file's path.
func (o *pubOutputs) write(rel string, data []byte) (string, error) {
	path := filepath.Join(o.dir, filepath.FromSlash(rel))
	name := filepath.FromSlash(rel)
	d, err := o.dirRoot(filepath.Dir(name))
	if err != nil {
		return "", o.wrap(rel, path, err)
	}
	name = filepath.Base(name)
	tmp, f, err := create(d, name)
	if err != nil {
		return "", o.wrap(rel, path, err)
	}
	_, err = f.Write(data)
	if err == nil && o.sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.Rename(tmp, name)
	}
	if err != nil {
		d.Remove(tmp)
		return "", o.wrap(rel, path, err)
	}
	return path, nil
}

// dirRoot returns the Root of dir, relative to the output directory,
// making both as needed.
func (o *pubOutputs) dirRoot(dir string) (*os.Root, error) {
	o.once.Do(func() {
		if o.err = os.MkdirAll(o.dir, 0o755); o.err == nil {
			o.root, o.err = os.OpenRoot(o.dir)
		}
		o.dirs = map[string]*os.Root{".": o.root}
	})
	if o.err != nil {
		return nil, o.err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if d, ok := o.dirs[dir]; ok {
		return d, nil
	}
	if err := o.root.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d, err := o.root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	o.dirs[dir] = d
	return d, nil
}

// create makes a new temporary file beside name in d.
func create(d *os.Root, name string) (string, *os.File, error) {
	base := "." + name + ".tmp-" + strconv.Itoa(os.Getpid()) + "-"
	for i := 0; ; i++ {
		tmp := base + strconv.FormatUint(tmpSeq.Add(1), 10)
		f, err := d.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		return tmp, f, err
	}
}

// tmpSeq numbers temporary files, which several goroutines make at once.
var tmpSeq atomic.Uint64

// wrap names the output in an error; an escape through a symlink is
// ErrOutsideOutput.
func (o *pubOutputs) wrap(rel, path string, err error) error {
	// os.Root reports an escape with an unexported error, inside one or
	// two PathErrors.
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == "path escapes from parent" {
			return fmt.Errorf("%s: %w", rel, ErrOutsideOutput)
		}
	}
	return fmt.Errorf("write %s: %w", path, err)
}

func (o *pubOutputs) close() {
	for _, d := range o.dirs {
		d.Close()
	}
}

// unitLevel ranks a unit's state for PublishOptions.Require: 2 reviewed
// (edited or approved by a reviewer), 1 machine, 0 below (failed, new,
// stale).
func unitLevel(u *out.Unit) int {
	switch {
	case u.Approved():
		return 2
	case u.State == out.StateMachine:
		return 1
	}
	return 0
}

// unitsBelow describes the units of f below the level require names
// ("" names failed, new and stale units: those that need attention), by
// state with their lines, or returns "" when there are none.
func unitsBelow(f *out.File, require string) string {
	lowest := 1
	if require == RequireReviewed {
		lowest = 2
	}
	var states []out.State
	lines := map[out.State][]int{}
	for i := range f.Units {
		u := &f.Units[i]
		if unitLevel(u) >= lowest {
			continue
		}
		if lines[u.State] == nil {
			states = append(states, u.State)
		}
		lines[u.State] = append(lines[u.State], u.Line)
	}
	var parts []string
	for _, s := range states {
		ls := lines[s]
		var b strings.Builder
		fmt.Fprintf(&b, "%d %s", len(ls), s)
		if len(ls) == 1 {
			b.WriteString(" unit (line ")
		} else {
			b.WriteString(" units (lines ")
		}
		for k, l := range ls {
			if k == 5 {
				b.WriteString(", …")
				break
			}
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(l))
		}
		b.WriteString(")")
		parts = append(parts, b.String())
	}
	return strings.Join(parts, ", ")
}

// ReadBilingualFile reads and parses the bilingual file at path for
// format. A bilingual file made from a source of at most maxSource bytes
// (zero means DefaultMaxFileSize) holds at most eight times that much
// text (source, target, a stale unit's previous target) plus its markers;
// a larger one is an ErrTooLarge error saying so (see out.ReadLimited).
// It returns the file's bytes too, for callers that map lines.
func ReadBilingualFile(path string, maxSource int64, format out.Format) (*out.File, []byte, error) {
	return readBilingualFile(path, maxSource, format, nil)
}

// readBilingualFile is ReadBilingualFile with the reader's options.
func readBilingualFile(path string, maxSource int64, format out.Format, ropts *out.ReadOptions) (*out.File, []byte, error) {
	text, err := readBilingualBytes(path, maxSource)
	if err != nil {
		return nil, nil, err
	}
	f, err := out.ReadBilingualWith(path, text, format, ropts)
	if err != nil {
		return nil, nil, err
	}
	return f, text, nil
}

// readBilingualBytes reads the bilingual file at path, made from a source
// of at most maxSource bytes, as UTF-8 text (see ReadBilingualFile); an
// error names the file.
func readBilingualBytes(path string, maxSource int64) ([]byte, error) {
	if maxSource <= 0 {
		maxSource = DefaultMaxFileSize
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer fh.Close()
	data, err := out.ReadLimited(fh, maxSource)
	if errors.Is(err, out.ErrTooLarge) {
		return nil, fmt.Errorf("%s: %w: more text than a bilingual file made from a source of up to %s holds (8 × max_file_size, plus markers; raise it with --max-file-size)",
			path, ErrTooLarge, sizeString(maxSource))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		// Not plain UTF-8 (the common case, which Decode would return
		// as it is): decode a UTF-16 file an editor saved, or say why
		// the file cannot be read.
		src, err := Decode(data, EncodingUTF8)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		data = src.Text
	}
	return data, nil
}

// checkOutputs refuses an output directory that is an input directory or
// lies inside one, and an output that would replace an input file: a
// publish must never write over what it reads.
func checkOutputs(inputs []string, jobs []Job, outDir string) error {
	outReal := realPath(outDir)
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil || !fi.IsDir() {
			continue
		}
		inReal := realPath(in)
		if outReal == inReal {
			return fmt.Errorf("%w: the output directory %s is the input directory %s", ErrOutputIsInput, outDir, in)
		}
		if strings.HasPrefix(outReal, inReal+string(filepath.Separator)) {
			return fmt.Errorf("%w: the output directory %s is inside the input directory %s", ErrOutputIsInput, outDir, in)
		}
	}
	real := realPaths{}
	inputsReal := make(map[string]string, len(jobs))
	for _, j := range jobs {
		inputsReal[real.of(j.Path)] = j.Path
	}
	for _, j := range jobs {
		p := filepath.Join(outDir, filepath.FromSlash(j.Rel))
		if in, ok := inputsReal[real.of(p)]; ok {
			return fmt.Errorf("%w: the output %s would replace the input %s", ErrOutputIsInput, p, in)
		}
	}
	return nil
}

// realPaths computes realPath for many files, resolving each directory
// once: a publish of thousands of files would otherwise look up every
// part of every path twice.
type realPaths map[string]string

// of returns realPath(p).
func (c realPaths) of(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return realPath(p)
	}
	dir, base := filepath.Dir(abs), filepath.Base(abs)
	if dir == abs {
		return realPath(abs)
	}
	rd, ok := c[dir]
	if !ok {
		rd = realPath(dir)
		c[dir] = rd
	}
	full := filepath.Join(rd, base)
	if fi, err := os.Lstat(full); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return realPath(full)
	}
	return full
}

// realPath returns the absolute path of p with every symlink of its
// longest existing prefix resolved, so that two spellings of one place
// compare equal even where it does not exist yet.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{real}, rest...)...)
		}
		if filepath.Dir(cur) == cur {
			return abs
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}
