package glossary

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func exportGlossary(t *testing.T) *Glossary {
	t.Helper()
	g, err := New([]Entry{
		{Source: "北京", Target: "Beijing", Note: "capital; pinyin", Forbidden: []string{"Peking"}},
		{Source: "习近平", Target: "Xi Jinping", Aliases: []string{"習近平"}},
		{Source: "毛泽东", Target: "Mao Zedong", Note: "not Wade-Giles,\n\"Mao Tse-tung\"\tis old", Forbidden: []string{"Mao Tse-tung", "Mao Tse Tung"}},
		{Source: "GTV", Mode: Keep, CaseSensitive: true, Note: "a name"},
		{Source: "R&D <b>", Target: "R&D \"lab\""},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestExportGolden(t *testing.T) {
	g := exportGlossary(t)
	opts := &ExportOptions{SourceLang: "zh", TargetLang: "en"}
	for _, tc := range []struct{ format, file string }{
		{FormatTSV, "export.tsv"},
		{FormatGoogleCSV, "export-google.csv"},
		{FormatTBX, "export.tbx"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Export(&buf, g, tc.format, opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("Export(%s) (-want +got):\n%s", tc.format, diff)
			}
		})
	}
}

func TestExportTSVRoundTrip(t *testing.T) {
	ex, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*Glossary{"fixture": exportGlossary(t), "example": ex} {
		var buf bytes.Buffer
		if err := Export(&buf, g, FormatTSV, nil); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("back.tsv", &buf)
		if err != nil {
			t.Fatalf("%s: Parse(Export) = %v", name, err)
		}
		if diff := cmp.Diff(g.Terms(), back.Terms()); diff != "" {
			t.Errorf("%s: Parse(Export(g)) (-want +got):\n%s", name, diff)
		}
	}
}

func TestExportGoogleCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, exportGlossary(t), FormatGoogleCSV, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"北京", "Beijing"}, {"习近平", "Xi Jinping"}, {"習近平", "Xi Jinping"},
		{"毛泽东", "Mao Zedong"}, {"GTV", "GTV"}, {"R&D <b>", `R&D "lab"`},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("csv-google rows (-want +got):\n%s", diff)
	}
}

func TestExportTBXWellFormed(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(&buf, exportGlossary(t), FormatTBX, &ExportOptions{SourceLang: "zh-Hans", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(&buf)
	var terms []string
	inTerm := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("tbx is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inTerm = tok.Name.Local == "term"
		case xml.CharData:
			if inTerm {
				terms = append(terms, string(tok))
			}
		case xml.EndElement:
			inTerm = false
		}
	}
	want := []string{"北京", "Beijing", "Peking", "习近平", "習近平", "Xi Jinping", "毛泽东", "Mao Zedong", "Mao Tse-tung", "Mao Tse Tung", "GTV", "GTV", "R&D <b>", `R&D "lab"`}
	if diff := cmp.Diff(want, terms); diff != "" {
		t.Errorf("tbx terms (-want +got):\n%s", diff)
	}
}

func TestExportErrors(t *testing.T) {
	g := exportGlossary(t)
	if err := Export(io.Discard, g, "xliff", nil); !errors.Is(err, ErrFormat) {
		t.Errorf("Export(xliff) = %v, want ErrFormat", err)
	}
	if err := Export(io.Discard, g, FormatTBX, nil); err == nil {
		t.Errorf("Export(tbx) without languages = nil error")
	}
	pipe, _ := New([]Entry{{Source: "a", Target: "b", Aliases: []string{"x|y"}}})
	if err := Export(io.Discard, pipe, FormatTSV, nil); err == nil {
		t.Errorf("Export(tsv) of an alias with | = nil error")
	}
}
