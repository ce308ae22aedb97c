package tm_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tags"
	"github.com/diglot/diglot/tm"
)

// FuzzTMXRoundTrip: any valid UTF-8 entry survives export and import
// exactly, and so does the markup of its source's tags when XML can carry
// it (else the entry travels without markup).
func FuzzTMXRoundTrip(f *testing.F) {
	for _, e := range fixture() {
		var open, close string
		if len(e.Markup) > 0 {
			open, close = e.Markup[0].Open, e.Markup[0].Close
		}
		f.Add(e.Source, e.Target, e.Origin, e.FirstSeen, open, close)
	}
	f.Add("<x999999/><g1></g1></g2><g3>", "\x00\r\n\r\ufffe\uffff", "a&b", "<>\"'", "<g1>", "\r\n> ")
	f.Add("<x1/><g1>a</g1>", "<x1/>", "o", "", "", "</g1>")
	f.Fuzz(func(t *testing.T, source, target, origin, firstSeen, open, close string) {
		for _, s := range []string{source, target, origin, firstSeen, open, close} {
			if !utf8.ValidString(s) {
				t.Skip()
			}
		}
		ctx := context.Background()
		e := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: origin + "k", Source: source, Target: target,
			Origin: origin, FirstSeen: firstSeen, State: tm.Reviewed}
		// Markup for every tag of the source, as the pipeline records it:
		// an Open for a standalone or opening tag, a Close for a closing
		// one (the neutral text has nowhere else to put them).
		hasOpen, hasClose := map[int]bool{}, map[int]bool{}
		var ids []int
		for _, tok := range tags.Parse(source) {
			if tok.Kind == tags.Text {
				continue
			}
			if !hasOpen[tok.ID] && !hasClose[tok.ID] {
				ids = append(ids, tok.ID)
			}
			if tok.Kind == tags.Close {
				hasClose[tok.ID] = true
			} else {
				hasOpen[tok.ID] = true
			}
		}
		for _, id := range ids {
			m := tm.TagMarkup{ID: id}
			if hasOpen[id] {
				m.Open = open + strconv.Itoa(id)
			}
			if hasClose[id] {
				m.Close = close
			}
			if m.Open != "" || m.Close != "" {
				e.Markup = append(e.Markup, m)
			}
		}
		src := tm.NewMemory(nil)
		if err := src.Put(ctx, []tm.Entry{e}); errors.Is(err, tm.ErrInvalidEntry) {
			t.Skip() // NUL in an origin or path
		} else if err != nil {
			t.Fatal(err)
		}
		var doc bytes.Buffer
		if _, err := tm.ExportTMX(ctx, &doc, src, nil); err != nil {
			t.Fatalf("ExportTMX: %v", err)
		}
		dst := tm.NewMemory(nil)
		if _, err := tm.ImportTMX(ctx, bytes.NewReader(doc.Bytes()), dst, nil); err != nil {
			t.Fatalf("ImportTMX of\n%s\n: %v", doc.Bytes(), err)
		}
		want, _ := src.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{e.Key}})
		got, _ := dst.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{e.Key}})
		// TMX dates have whole seconds.
		w := want[e.Key]
		w.Created, w.Updated = w.Created.Truncate(1e9), w.Updated.Truncate(1e9)
		for _, m := range e.Markup {
			if !xmlText(m.Open + m.Close) {
				w.Markup = nil
			}
		}
		if diff := cmp.Diff(w, got[e.Key]); diff != "" {
			t.Errorf("entry after TMX round trip (-want +got):\n%s\nvia\n%s", diff, doc.Bytes())
		}
	})
}

// xmlText reports whether XML 1.0 can hold every character of s.
func xmlText(s string) bool {
	for _, r := range s {
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
			return false
		}
	}
	return true
}

// FuzzImportTMX: importing never panics, and whatever imports exports and
// re-imports to the same document.
func FuzzImportTMX(f *testing.F) {
	for _, name := range []string{"testdata/export.tmx", "testdata/omegat.tmx", "testdata/trados.tmx"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<tmx><body><tu><tuv xml:lang="zh"><seg>a<bpt i="1"/><ph/></seg></tuv><tuv xml:lang="en"><seg>b<ph/><bpt i="1"/></seg></tuv></tu></body></tmx>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		s := tm.NewMemory(nil)
		opts := &tm.ImportOptions{SourceLang: "zh", TargetLang: "en", KeyFunc: func(s string) string { return "k" + s }}
		if _, err := tm.ImportTMX(ctx, bytes.NewReader(data), s, opts); err != nil {
			return
		}
		var first bytes.Buffer
		if _, err := tm.ExportTMX(ctx, &first, s, nil); err != nil {
			return // invalid UTF-8 that came through a declared encoding
		}
		s2 := tm.NewMemory(nil)
		if _, err := tm.ImportTMX(ctx, bytes.NewReader(first.Bytes()), s2, nil); err != nil {
			t.Fatalf("re-import of an export: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if _, err := tm.ExportTMX(ctx, &second, s2, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("export -> import -> export differs:\n%s", cmp.Diff(first.String(), second.String()))
		}
	})
}

// FuzzTMXInline: any content of the <seg>s of a unit, diglot's own (with
// or without the markup prop) or another tool's, imports without panicking
// or fails with a *ParseError; what imports has markup only for tags of its
// source, and exports and re-imports to the same document.
func FuzzTMXInline(f *testing.F) {
	f.Add(`a<bpt i="1" x="1">[</bpt>b<ept i="1">](u)</ept><ph x="2">![](i.png)</ph>`, `<ph x="2">![](i.png)</ph>c<bpt i="1" x="1">[</bpt>d<ept i="1">](u)</ept>`, 2)
	f.Add(`<ph x="1">&lt;x1/&gt;</ph><it pos="begin" x="3">&lt;b&gt;</it><ut>\</ut><hi>h</hi>`, `<ph x="1">&lt;x1/&gt;</ph><it pos="begin" x="3">&lt;b&gt;</it>`, 1)
	f.Add(`<bpt i="1">&lt;b0&gt;<sub>s</sub></bpt>x<ept i="1">&lt;/b0&gt;</ept><ph type="x-diglot-char">U+000C</ph>`, `<bpt i="1"/>y<ept i="1"/>`, 0)
	f.Fuzz(func(t *testing.T, source, target string, mode int) {
		props := ""
		switch mode % 3 {
		case 1:
			props = `<prop type="x-diglot-key">k</prop>`
		case 2:
			props = `<prop type="x-diglot-key">k</prop><prop type="x-diglot-markup">markdown</prop>`
		}
		doc := `<tmx version="1.4"><header srclang="zh"/><body><tu>` + props +
			`<tuv xml:lang="zh"><seg>` + source + `</seg></tuv><tuv xml:lang="en"><seg>` + target + `</seg></tuv></tu></body></tmx>`
		ctx := context.Background()
		s := tm.NewMemory(nil)
		opts := &tm.ImportOptions{SourceLang: "zh", TargetLang: "en", KeyFunc: func(s string) string { return "k" + s }}
		if _, err := tm.ImportTMX(ctx, strings.NewReader(doc), s, opts); err != nil {
			if !errors.Is(err, tm.ErrMalformedTMX) && !errors.Is(err, tm.ErrInvalidEntry) {
				t.Fatalf("ImportTMX error %v is neither a parse error nor an invalid entry", err)
			}
			return
		}
		var first bytes.Buffer
		if _, err := tm.ExportTMX(ctx, &first, s, nil); err != nil {
			return
		}
		err := s.Each(ctx, nil, func(e tm.Entry) error {
			ids := map[int]bool{}
			for _, tok := range tags.Parse(e.Source) {
				ids[tok.ID] = true
			}
			for _, m := range e.Markup {
				if !ids[m.ID] {
					t.Errorf("markup of tag %d, which %q lacks", m.ID, e.Source)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		s2 := tm.NewMemory(nil)
		if _, err := tm.ImportTMX(ctx, bytes.NewReader(first.Bytes()), s2, nil); err != nil {
			t.Fatalf("re-import of an export: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if _, err := tm.ExportTMX(ctx, &second, s2, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("export -> import -> export differs:\n%s", cmp.Diff(first.String(), second.String()))
		}
	})
}
