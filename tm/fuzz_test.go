package tm_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tm"
)

// FuzzTMXRoundTrip: any valid UTF-8 entry survives export and import
// exactly.
func FuzzTMXRoundTrip(f *testing.F) {
	for _, e := range fixture() {
		f.Add(e.Source, e.Target, e.Origin, e.FirstSeen)
	}
	f.Add("<x999999/><g1></g1></g2><g3>", "\x00\r\n\r\ufffe\uffff", "a&b", "<>\"'")
	f.Fuzz(func(t *testing.T, source, target, origin, firstSeen string) {
		for _, s := range []string{source, target, origin, firstSeen} {
			if !utf8.ValidString(s) {
				t.Skip()
			}
		}
		ctx := context.Background()
		e := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: origin + "k", Source: source, Target: target,
			Origin: origin, FirstSeen: firstSeen, State: tm.Reviewed}
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
		if diff := cmp.Diff(w, got[e.Key]); diff != "" {
			t.Errorf("entry after TMX round trip (-want +got):\n%s\nvia\n%s", diff, doc.Bytes())
		}
	})
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
