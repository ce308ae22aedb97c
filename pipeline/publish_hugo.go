package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/diglot/diglot/out"
)

// LayoutHugo writes Hugo content (publish --layout hugo): each file's
// target document as a page in the target language, with translationKey
// in its front matter and links to other articles of the publish pointing
// to their pages; see HugoOptions and out.HugoSite.
const LayoutHugo = "hugo"

// HugoOptions configure LayoutHugo (PublishOptions.Hugo). The zero value
// writes the target pages by file name.
type HugoOptions struct {
	// Tree writes translation by content directory: each language's pages
	// under content/LANG/ in the output directory (the site's root),
	// mirroring the input tree. False writes translation by file name:
	// NAME.LANG.EXT at each file's place in the output tree (the site's
	// content directory).
	Tree bool
	// Source writes each file's source page too (NAME.SRC.EXT, or under
	// content/SRC/), with the same translationKey and its links pointing
	// to the other source pages: for a site made from the bilingual files
	// alone. Without it only the target pages are written, for a site
	// whose content holds the source articles already.
	Source bool
}

// checkHugoOptions refuses Hugo options with another layout.
func checkHugoOptions(layout string, h HugoOptions) error {
	if layout != LayoutHugo && h != (HugoOptions{}) {
		return fmt.Errorf("%w: Hugo options (tree, source) need layout %s, not %s", ErrConfig, LayoutHugo, layout)
	}
	return nil
}

// hugoRun is what LayoutHugo knows of the whole publish: every file's
// pages and key, from its header, before any page is written.
type hugoRun struct {
	site   *out.HugoSite
	source bool
	paths  map[string]out.HugoPaths // by input path
	errs   map[string]error         // by input path: why the file cannot be published
}

// newHugoRun reads the header of every file, and the translationKey its
// source sets, so that every page's name and key and every link between
// articles are known before anything is written (a file whose key is
// another's fails), and returns the outputs to check against the inputs. With
// opts.Require set it reads every file whole to know which will be
// published: links to a refused file are left as they are, pointing to
// the source article.
func newHugoRun(ctx context.Context, jobs []Job, opts *PublishOptions) (*hugoRun, []Job) {
	h := &hugoRun{
		site:   out.NewHugoSite(&out.HugoOptions{Tree: opts.Hugo.Tree}),
		source: opts.Hugo.Source,
		paths:  map[string]out.HugoPaths{},
		errs:   map[string]error{},
	}
	var outputs []Job
	for _, j := range jobs {
		if ctx.Err() != nil {
			break // nothing will be written: Publish stops before the first file
		}
		hdr, own, err := readHeaderFile(j.Path, opts.MaxFileSize, opts.Format)
		var p out.HugoPaths
		if err == nil {
			p, err = h.site.Add(j.Rel, hdr, own)
		}
		if err != nil {
			h.errs[j.Path] = err
			continue
		}
		h.paths[j.Path] = p
		outputs = append(outputs, Job{Path: j.Path, Rel: p.Target})
		if h.source {
			outputs = append(outputs, Job{Path: j.Path, Rel: p.Source})
		}
	}
	if opts.Require != "" {
		for _, j := range jobs {
			if ctx.Err() != nil {
				break
			}
			if h.errs[j.Path] != nil {
				continue
			}
			bf, _, err := ReadBilingualFile(j.Path, opts.MaxFileSize, opts.Format)
			if err != nil || unitsBelow(bf, opts.Require) != "" {
				h.site.Unlink(j.Rel)
			}
		}
	}
	return h, outputs
}

// hugoHeaderRead is how much of a bilingual file is read first for its
// header: the first line, or the line after the front matter.
const hugoHeaderRead = 64 << 10

// readHeaderFile reads the header of the bilingual file at path for
// format, and the translationKey its source's front matter sets, which
// precedes the header: from its first bytes, or from the whole file (up
// to what a source of maxSource bytes makes) when its front matter runs
// longer.
func readHeaderFile(path string, maxSource int64, format out.Format) (out.Header, string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return out.Header{}, "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer fh.Close()
	buf := make([]byte, hugoHeaderRead)
	n, err := io.ReadFull(fh, buf)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return out.Header{}, "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	h, own, err := out.ReadHugoHeader(path, buf[:n], format)
	if errors.Is(err, out.ErrNoHeader) && n == len(buf) {
		if maxSource <= 0 {
			maxSource = DefaultMaxFileSize
		}
		data, rerr := out.ReadLimited(io.MultiReader(bytes.NewReader(buf), fh), maxSource)
		if rerr != nil {
			return out.Header{}, "", fmt.Errorf("%s: %w", path, rerr)
		}
		h, own, err = out.ReadHugoHeader(path, data, format)
	}
	return h, own, err
}

// hugoFile is a page to write, at rel in the output directory.
type hugoFile struct {
	rel  string
	data []byte
}

// publish writes the pages of the file j, read as bf, with write, and
// completes its report f. It runs on several goroutines at once: h is
// only read.
func (h *hugoRun) publish(j Job, bf *out.File, f FileReport, write func(rel string, data []byte) (string, error)) FileReport {
	fail := func(err error) FileReport {
		f.Status, f.Error = StatusFailed, oneLine(err.Error())
		return f
	}
	if err := h.errs[j.Path]; err != nil {
		return fail(err)
	}
	p, ok := h.paths[j.Path]
	if !ok {
		return fail(fmt.Errorf("%s: no Hugo page: its header was not read", j.Path))
	}
	target, err := h.site.TargetPage(j.Rel, bf)
	if err != nil {
		return fail(err)
	}
	var source []byte
	if h.source {
		if source, err = h.site.SourcePage(j.Rel, bf); err != nil {
			return fail(err)
		}
	}
	pages := []hugoFile{{p.Target, target}}
	if h.source {
		pages = append(pages, hugoFile{p.Source, source})
	}
	for i, pg := range pages {
		path, err := write(pg.rel, pg.data)
		if err != nil {
			return fail(err)
		}
		if i == 0 {
			f.Output = path
		}
	}
	f.Status = StatusOK
	if attention := unitsBelow(bf, ""); attention != "" {
		f.Status, f.Error = StatusAttention, "needs attention: "+attention
	}
	return f
}
