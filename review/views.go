package review

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tm"
)

// pageSize is how many files or units a list page shows: the file list
// reads only the files it shows, so it opens fast over any number.
const pageSize = 100

var templateFuncs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
}

// page is what every template gets.
type page struct {
	Title   string
	Token   string
	Filter  filter
	States  []string
	Kinds   []string
	Notice  string
	Error   string
	Content any
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	p.Token = s.token
	p.States = filterStates
	p.Kinds = qa.Kinds()
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("review: template", "name", name, "err", err)
		http.Error(w, "review: internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fileRow is one line of the file list.
type fileRow struct {
	ID   string
	Name string
	Sum  summary
	Err  string
}

// filesPage is the file list.
type filesPage struct {
	Rows       []fileRow
	Total      int
	First      int // 1-based index of the first row
	Prev, Next string
}

func (s *Server) handleFiles(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r.URL.Query())
	files := s.refresh()
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pg = max(pg, 0)
	fp := &filesPage{Total: len(files)}
	// A state or flag filter must look at every file's summary; without
	// one, only the files of this page are read.
	var picked []fileRef
	if f.State != "" || f.Flag != "" {
		for _, ref := range files {
			sum, err := s.summaryOf(ref)
			if err == nil && !f.skipFile(sum) {
				picked = append(picked, ref)
			}
		}
		fp.Total = len(picked)
	} else {
		picked = files
	}
	lo := min(pg*pageSize, len(picked))
	hi := min(lo+pageSize, len(picked))
	fp.First = lo + 1
	for _, ref := range picked[lo:hi] {
		sum, err := s.summaryOf(ref)
		row := fileRow{ID: ref.id(), Name: s.displayName(ref), Sum: sum}
		if err != nil {
			row.Err = err.Error()
		} else if sum.Err != "" {
			row.Err = sum.Err
		}
		fp.Rows = append(fp.Rows, row)
	}
	q := f.values()
	if pg > 0 {
		q.Set("page", strconv.Itoa(pg-1))
		fp.Prev = "/?" + q.Encode()
	}
	if hi < len(picked) {
		q.Set("page", strconv.Itoa(pg+1))
		fp.Next = "/?" + q.Encode()
	}
	s.render(w, http.StatusOK, "files.html", &page{Title: "Files", Filter: f, Content: fp})
}

// unitRow is one line of the unit list.
type unitRow struct {
	File   string
	Name   string
	ID     int
	State  string
	Flags  []string
	Source string
	Target string
	Link   string
}

// unitsPage is the filtered unit list.
type unitsPage struct {
	Rows []unitRow
	More string
}

func (s *Server) handleUnits(w http.ResponseWriter, r *http.Request) {
	f := filterFrom(r.URL.Query())
	from, ok := parsePosition(r.URL.Query().Get("after"))
	if !ok {
		from = position{0, 0}
	}
	up := &unitsPage{}
	var last position
	s.scan(f, from, false, nil, func(h hit) bool {
		if len(up.Rows) == pageSize {
			up.More = "/units?" + withParam(f.values(), "after", last.String())
			return false
		}
		up.Rows = append(up.Rows, unitRow{
			File: h.d.ref.id(), Name: s.displayName(h.d.ref), ID: h.u.ID,
			State: string(unitState(h.u)), Flags: h.u.Flags,
			Source: excerpt(h.d.sourceBlock(h.u)), Target: excerpt(h.u.TargetBytes),
			Link: unitLink(h.d.ref.id(), h.u.ID, f),
		})
		last = h.pos
		return true
	})
	title := "Units"
	if f.Active() {
		title = "Units (filtered)"
	}
	s.render(w, http.StatusOK, "units.html", &page{Title: title, Filter: f, Content: up})
}

func withParam(v url.Values, k, val string) string {
	v.Set(k, val)
	return v.Encode()
}

// unitLink is the URL of a unit view, keeping the filter.
func unitLink(file string, id int, f filter) string {
	v := f.values()
	v.Set("file", file)
	v.Set("id", strconv.Itoa(id))
	if f.File == "" {
		// The unit's own file goes in "at", so that the filter still
		// spans every file.
		v.Del("file")
		v.Set("at", file)
	}
	return "/unit?" + v.Encode()
}

// excerpt shortens a block for a list.
func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > 140 {
		return string(r[:140]) + "…"
	}
	return s
}

// unitPage is the unit view.
type unitPage struct {
	File, Name   string
	ID, Total    int
	Version      string
	State        string
	Flags        []string
	Findings     []qa.Finding
	Raw          bool
	RawLink      string
	Source       template.HTML
	Target       template.HTML
	Terms        []termRow
	Previous     template.HTML // the diff from the previous reviewed target
	PreviousRaw  string
	Variants     []variantGroup
	VariantsNote string
	EditText     string
	Editing      bool
	Unsaved      string // the reviewer's text that a conflict kept from being written
	Prev, Next   string
	NextFlagged  string
	FilterFields []hiddenField
	Back         string
}

type hiddenField struct{ Name, Value string }

// termRow is a glossary term of the unit.
type termRow struct {
	Source, Target string
	Keep           bool
	Status         string // "present", or the glossary's violation kind
}

// variantGroup is the memory's translations of one segment.
type variantGroup struct {
	Segment int
	Source  string
	Entries []variantRow
}

type variantRow struct {
	State, Origin, Updated, Target string
	Current                        bool
}

// unitRef reads the file and unit a request names: file (or at) and id.
func unitRef(q url.Values) (fileRef, int, bool) {
	id := q.Get("file")
	if id == "" {
		id = q.Get("at")
	}
	ref, ok := parseRef(id)
	n, err := strconv.Atoi(q.Get("id"))
	return ref, n, ok && err == nil
}

func (s *Server) handleUnit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ref, id, ok := unitRef(q)
	if !ok {
		http.Error(w, "review: bad unit address", http.StatusBadRequest)
		return
	}
	p := &page{Filter: filterFrom(q)}
	if q.Get("saved") == "1" {
		p.Notice = "Saved."
	} else if q.Get("accepted") == "1" {
		p.Notice = "Accepted."
	}
	s.unitView(r.Context(), w, http.StatusOK, ref, id, q.Get("raw") == "1", p, nil)
}

// unitView renders the unit view with the file as it is on disk now. edit,
// when not nil, is the reviewer's refused text, kept in the editor;
// unsaved is text a conflict kept from being written, shown beside the
// reloaded unit for the reviewer to reapply.
func (s *Server) unitView(ctx context.Context, w http.ResponseWriter, status int, ref fileRef, id int, raw bool, p *page, edit *string, unsaved ...string) {
	d, err := s.load(ref)
	if errors.Is(err, errNotListed) {
		http.Error(w, "review: no such bilingual file", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if d.err != nil {
		p.Title = s.displayName(ref)
		p.Error = d.err.Error()
		s.render(w, http.StatusUnprocessableEntity, "broken.html", p)
		return
	}
	u := d.unitByID(id)
	if u == nil {
		http.Error(w, "review: no such unit", http.StatusNotFound)
		return
	}
	up := s.buildUnit(ctx, d, u, p.Filter, raw)
	if edit != nil {
		up.EditText, up.Editing = *edit, true
	}
	if len(unsaved) > 0 {
		up.Unsaved = unsaved[0]
	}
	p.Title = up.Name + " #" + strconv.Itoa(id)
	p.Content = up
	s.render(w, status, "unit.html", p)
}

func (s *Server) buildUnit(ctx context.Context, d *doc, u *out.Unit, f filter, raw bool) *unitPage {
	fid := d.ref.id()
	up := &unitPage{
		File: fid, Name: s.displayName(d.ref), ID: u.ID, Total: len(d.file.Units),
		Version: d.version, State: string(unitState(u)), Flags: u.Flags, Raw: raw,
		EditText: string(u.TargetBytes),
	}
	for k, v := range f.values() {
		up.FilterFields = append(up.FilterFields, hiddenField{k, v[0]})
	}
	slices.SortFunc(up.FilterFields, func(a, b hiddenField) int { return strings.Compare(a.Name, b.Name) })
	rawQ := f.values()
	rawQ.Set("at", fid)
	rawQ.Set("id", strconv.Itoa(u.ID))
	if !raw {
		rawQ.Set("raw", "1")
	}
	up.RawLink = "/unit?" + rawQ.Encode()
	up.Back = "/units?" + f.Query()

	srcMarks, tgtMarks := s.marks(d, u, up)
	src := d.sourceBlock(u)
	if raw {
		up.Source, up.Target = renderRaw(src, srcMarks), renderRaw(u.TargetBytes, tgtMarks)
	} else {
		up.Source, up.Target = renderMarkdown(src, srcMarks), renderMarkdown(u.TargetBytes, tgtMarks)
	}
	up.Findings = s.findings(d.file, u, u.Targets)
	if u.Previous != nil {
		up.PreviousRaw = string(u.Previous)
		up.Previous = diffHTML(string(bytes.TrimRight(u.Previous, "\r\n")), string(bytes.TrimRight(u.TargetBytes, "\r\n")))
	}
	s.variants(ctx, d, u, up)

	pos, _ := s.position(d.ref)
	here := position{pos, u.ID}
	if h, ok := s.neighbour(f, here, true, nil); ok {
		up.Prev = unitLink(h.d.ref.id(), h.u.ID, f)
	}
	if h, ok := s.neighbour(f, here, false, nil); ok {
		up.Next = unitLink(h.d.ref.id(), h.u.ID, f)
	}
	if h, ok := s.neighbour(f, here, false, flagged); ok {
		up.NextFlagged = unitLink(h.d.ref.id(), h.u.ID, f)
	}
	return up
}

// marks returns the glossary terms to highlight in the source and target
// columns and fills the unit's term table, with each term's status from
// the glossary's own verification of the unit's targets.
func (s *Server) marks(d *doc, u *out.Unit, up *unitPage) (src, tgt []mark) {
	g := s.opts.Glossary
	if g == nil {
		return nil, nil
	}
	row := map[int]int{} // entry index -> index in up.Terms
	for k, si := range d.file.Source.Blocks[u.Block].Segments {
		matches := g.Match(d.file.Source.Segments[si].Text)
		for _, m := range matches {
			src = append(src, mark{text: m.Text, class: "term"})
			if _, ok := row[m.Index]; ok {
				continue
			}
			e := m.Entry
			want := e.Target
			keep := e.Mode == glossary.Keep
			if keep || want == "" {
				want = m.Text
			}
			tgt = append(tgt, mark{text: want, class: "term"})
			for _, fb := range e.Forbidden {
				tgt = append(tgt, mark{text: fb, class: "forbidden"})
			}
			row[m.Index] = len(up.Terms)
			up.Terms = append(up.Terms, termRow{Source: e.Source, Target: want, Keep: keep, Status: "present"})
		}
		if k >= len(u.Targets) {
			continue
		}
		for _, v := range glossary.Verify(u.Targets[k], matches) {
			for _, m := range matches {
				if m.Entry == v.Entry {
					up.Terms[row[m.Index]].Status = string(v.Kind)
				}
			}
		}
	}
	return src, tgt
}

// variants fills the memory's translations of the unit's segments.
func (s *Server) variants(ctx context.Context, d *doc, u *out.Unit, up *unitPage) {
	if s.opts.Memory == nil {
		up.VariantsNote = "No translation memory."
		return
	}
	vl, ok := s.opts.Memory.(tm.VariantLister)
	if !ok {
		up.VariantsNote = "This translation memory cannot list translations."
		return
	}
	h := d.file.Header
	for k, si := range d.file.Source.Blocks[u.Block].Segments {
		seg := d.file.Source.Segments[si]
		es, err := vl.Variants(ctx, h.Source, h.Target, s.keyOf(h.Source, h.Target, seg.Text))
		if err != nil {
			up.VariantsNote = "The translation memory failed: " + err.Error()
			return
		}
		if len(es) == 0 {
			continue
		}
		g := variantGroup{Segment: k + 1, Source: seg.Text}
		for _, e := range es {
			g.Entries = append(g.Entries, variantRow{
				State: string(e.State), Origin: e.Origin, Updated: e.Updated.Format(time.DateTime),
				Target: e.Target, Current: k < len(u.Targets) && e.Target == u.Targets[k],
			})
		}
		up.Variants = append(up.Variants, g)
	}
	if len(up.Variants) == 0 {
		up.VariantsNote = "The translation memory has no translation of this source."
	}
}

// handleSave writes a reviewer's target. Answers: 303 to the unit view
// when written, 412 with the unit reloaded when the file changed on disk,
// 422 with the reader's reason when the target breaks the structure.
func (s *Server) handleSave(w http.ResponseWriter, r *http.Request) {
	s.post(w, r, true)
}

// handleAccept marks a unit reviewed as it is.
func (s *Server) handleAccept(w http.ResponseWriter, r *http.Request) {
	s.post(w, r, false)
}

func (s *Server) post(w http.ResponseWriter, r *http.Request, save bool) {
	form := r.PostForm
	ref, id, ok := unitRef(form)
	if !ok {
		http.Error(w, "review: bad unit address", http.StatusBadRequest)
		return
	}
	version := form.Get("version")
	if v := r.Header.Get("If-Match"); v != "" {
		version = strings.Trim(v, `"`)
	}
	f := filterFrom(form)
	raw := form.Get("raw") == "1"
	var res *Saved
	var err error
	var text string
	if save {
		text = form.Get("target")
		res, err = s.save(r.Context(), ref, id, version, []byte(text))
	} else {
		res, err = s.accept(r.Context(), ref, id, version)
	}
	p := &page{Filter: f}
	var ee *EditError
	switch {
	case err == nil:
		w.Header().Set("ETag", `"`+res.Version+`"`)
		v := url.Values{}
		if res.MemoryErr != nil {
			// Written, but the memory failed: say so on the page.
			p.Notice = "Saved to the file; the translation memory failed: " + res.MemoryErr.Error()
			s.unitView(r.Context(), w, http.StatusOK, ref, id, raw, p, nil)
			return
		}
		if save {
			v.Set("saved", "1")
		} else {
			v.Set("accepted", "1")
		}
		loc := unitLink(ref.id(), id, f) + "&" + v.Encode()
		if raw {
			loc += "&raw=1"
		}
		http.Redirect(w, r, loc, http.StatusSeeOther)
	case errors.Is(err, ErrConflict):
		p.Error = "This file changed on disk since the page was loaded; nothing was written. The unit below is the file as it is now."
		s.unitView(r.Context(), w, http.StatusPreconditionFailed, ref, id, raw, p, nil, text)
	case errors.As(err, &ee):
		p.Error = "Not saved: " + ee.Reason
		s.unitView(r.Context(), w, http.StatusUnprocessableEntity, ref, id, raw, p, &text)
	case errors.Is(err, errNotListed), errors.Is(err, ErrNoUnit):
		http.Error(w, err.Error(), http.StatusNotFound)
	default:
		s.log.Error("review: save", "file", ref.rel, "unit", id, "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
