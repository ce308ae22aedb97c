package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/diglot/diglot/out"
)

// Publishing layouts.
const (
	LayoutTarget    = "target"    // the target document alone
	LayoutBilingual = "bilingual" // source and target blocks paired, markers removed
)

// PublishOptions configure Publish. OutDir is required.
type PublishOptions struct {
	OutDir string
	// Format is what the bilingual files are read with: the markdown
	// options of the run that wrote them and, when set, the language pair
	// every file must have.
	Format      out.Format
	Layout      string // LayoutTarget (default) or LayoutBilingual
	MaxFileSize int64  // zero means DefaultMaxFileSize
	Logger      *slog.Logger
	Observer    Observer
}

// Publish reads bilingual files (or directories of them) and writes each as
// a publishable document under opts.OutDir, mirroring paths as Translate
// does. Reviewers' edits are published as they stand. A file that cannot be
// read fails alone; the error return is only for invalid options.
func Publish(ctx context.Context, inputs []string, opts *PublishOptions) (*Report, error) {
	if opts == nil || opts.OutDir == "" {
		return nil, fmt.Errorf("%w: no output directory", ErrConfig)
	}
	layout := opts.Layout
	if layout == "" {
		layout = LayoutTarget
	}
	if layout != LayoutTarget && layout != LayoutBilingual {
		return nil, fmt.Errorf("%w: unknown layout %q (want %s or %s)", ErrConfig, layout, LayoutTarget, LayoutBilingual)
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
	for _, e := range errs {
		rep.Inputs = append(rep.Inputs, e.Error())
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			rep.Files = append(rep.Files, FileReport{Path: j.Path, Status: StatusInterrupted})
			rep.Stopped = "interrupted"
			continue
		}
		f := publishOne(j, opts, layout)
		log.Info("file", "path", f.Path, "status", f.Status, "err", f.Error)
		rep.Totals.Segments += f.Segments
		rep.Files = append(rep.Files, f)
		obs.FileDone(f)
	}
	rep.tally()
	rep.Duration = Duration(time.Since(start))
	return rep, nil
}

func publishOne(j Job, opts *PublishOptions, layout string) FileReport {
	f := FileReport{Path: j.Path}
	fail := func(err error) FileReport {
		f.Status, f.Error = StatusFailed, oneLine(err.Error())
		return f
	}
	src, err := ReadSource(j.Path, opts.MaxFileSize, EncodingUTF8)
	if err != nil {
		return fail(err)
	}
	bf, err := out.ReadBilingual(j.Path, src.Text, opts.Format)
	if err != nil {
		return fail(err)
	}
	path, err := OutputPath(opts.OutDir, j.Rel)
	if err != nil {
		return fail(err)
	}
	doc := bf.TargetDocument()
	if layout == LayoutBilingual {
		doc = bf.PairedDocument()
	}
	if err := WriteFileAtomic(path, func(w *os.File) error { _, err := w.Write(doc); return err }); err != nil {
		return fail(err)
	}
	f.Output, f.Status = path, StatusOK
	for _, u := range bf.Units {
		f.Segments += len(u.Targets)
		if u.State == out.StateFailed {
			f.Failed += len(u.Targets)
		}
	}
	if f.Failed > 0 {
		f.Status = StatusAttention
	}
	return f
}
