package review

import (
	"context"
	"fmt"
	"github.com/diglot/diglot/internal/atomicfile"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tm"
)

// manyFiles builds n bilingual files in 100 directories, copies of the
// corpus (or of testdata/article.md without it) translated with the pseudo
// engine, and returns the root.
func manyFiles(b *testing.B, n int) string {
	b.Helper()
	sources := []string{"testdata/article.md"}
	if _, err := os.Stat(corpusDir); err == nil {
		sources = corpusArticles(b, 200)
	}
	bi := translateFixture(b, sources)
	var files [][]byte
	_ = filepath.WalkDir(bi, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.Contains(p, "/.") {
			data, _ := os.ReadFile(p)
			files = append(files, data)
		}
		return nil
	})
	root := b.TempDir()
	for i := range n {
		d := filepath.Join(root, fmt.Sprintf("d%02d", i%100))
		if i < 100 {
			os.MkdirAll(d, 0o755)
		}
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("f%05d.md", i)), files[i%len(files)], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkFileList measures the start of the workbench over 10,000
// bilingual files until the file list page is served (New, then GET /), and
// as a baseline, in the same run, the least any server must do for that
// page: walk the tree and read the 100 files the page shows.
//
//	go test ./review -run '^$' -bench FileList -benchtime 5x
func BenchmarkFileList(b *testing.B) {
	const n = 10000
	root := manyFiles(b, n)
	b.Run("baseline-walk-read100", func(b *testing.B) {
		for b.Loop() {
			var paths []string
			_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					paths = append(paths, p)
				}
				return nil
			})
			for _, p := range paths[:pageSize] {
				if _, err := os.ReadFile(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("start-and-list", func(b *testing.B) {
		for b.Loop() {
			srv, err := New([]string{root}, nil)
			if err != nil {
				b.Fatal(err)
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fmt.Sprintf("<small>%d</small>", n)) {
				b.Fatalf("GET / = %d", rec.Code)
			}
			srv.Close()
		}
	})
}

// BenchmarkSave measures one save of a unit of a corpus article (read,
// version check, splice, the reader twice, QA, atomic write with fsync,
// the reviewed entries into a SQLite memory) against, in the same run, the
// least a save must do: read the file with the bilingual reader and write
// it atomically with pipeline.WriteFileAtomic.
//
//	go test ./review -run '^$' -bench Save -benchtime 50x
func BenchmarkSave(b *testing.B) {
	dir := translateFixture(b, corpusArticles(b, 20))
	// The longest file of the fixture.
	var name string
	var size int64
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && !e.IsDir() && fi.Size() > size {
			name, size = e.Name(), fi.Size()
		}
	}
	path := filepath.Join(dir, name)
	b.Run("baseline-read-write", func(b *testing.B) {
		for b.Loop() {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := out.ReadBilingual(name, data, out.Format{}); err != nil {
				b.Fatal(err)
			}
			if err := atomicfile.Write(path, func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("save", func(b *testing.B) {
		mem, err := tm.Open(context.Background(), filepath.Join(b.TempDir(), "tm.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer mem.Close()
		srv, err := New([]string{dir}, &Options{Memory: mem})
		if err != nil {
			b.Fatal(err)
		}
		defer srv.Close()
		ref := fileRef{0, name}
		i := 0
		for b.Loop() {
			d, err := srv.load(ref)
			if err != nil {
				b.Fatal(err)
			}
			id := 1 + i%len(d.file.Units)
			i++
			if _, err := srv.save(context.Background(), ref, id, d.version, fmt.Appendf(nil, "%s edit %d", strings.TrimSpace(string(d.file.Units[id-1].TargetBytes)), i)); err != nil {
				b.Fatalf("save unit %d: %v", id, err)
			}
		}
		b.ReportMetric(float64(len(ents)), "files")
	})
}
