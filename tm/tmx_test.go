package tm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/unicode"

	"github.com/diglot/diglot/tm"
	"github.com/diglot/diglot/tm/tmtest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// fixture is a store's worth of entries exercising everything TMX must
// carry: tags, markup-like text, CR, controls, U+2028, empty strings, both
// states, several pairs.
func fixture() []tm.Entry {
	t1 := tmtest.Base
	t2 := t1.Add(36 * time.Hour)
	return []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: "3f9a1c", Source: "美国总统<g1>拜登</g1>和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会<x2/>。",
			Target: "US President <g1>Biden</g1> and Russian President Putin held a summit in Geneva on June 16<x2/>.",
			Origin: "openai:gpt-4o-mini", State: tm.Machine, Created: t1, Updated: t1, FirstSeen: "articles/summit.md",
			Markup: summitMarkup},
		{SourceLang: "zh", TargetLang: "en", Key: "5b07e2", Source: "《人民日报》说：“a < b & c > d”",
			Target: "The \"People's Daily\" said: 'a < b & c > d'",
			Origin: "human", State: tm.Reviewed, Created: t1, Updated: t2, FirstSeen: "articles/quote.md"},
		{SourceLang: "zh", TargetLang: "en", Key: "77a0d2", Source: "第一行\r\n第二行\u2028同一行\t制表",
			Target: "line one\r\nline two\u2028same line\ttab",
			Origin: "import:old.tmx", State: tm.Reviewed, Created: t1, Updated: t1},
		{SourceLang: "zh", TargetLang: "en", Key: "a1", Source: "控制字符\x0c\x1b<x1/>", Target: "control chars\x0c\x1b<x1/>",
			Origin: "pseudo", State: tm.Machine, Created: t1, Updated: t2, FirstSeen: "a b/c&d.md"},
		// A literal "<x1/>" in the source is a tag whose markup looks like
		// the neutral tag: PropMarkup tells it from an export without
		// markup.
		{SourceLang: "zh", TargetLang: "en", Key: "b2", Source: "<x1/>", Target: "",
			Origin: "copy", State: tm.Machine, Created: t1, Updated: t1, Markup: []tm.TagMarkup{{ID: 1, Open: "<x1/>"}}},
		{SourceLang: "zh", TargetLang: "en", Key: "c3", Source: "not a tag: <x01/> <g1 > </x1> <y2/>", Target: "<g1><g2>nested</g2></g1>  spaces  ",
			Origin: "openai:deepseek-chat", State: tm.Machine, Created: t1, Updated: t1},
		{SourceLang: "en", TargetLang: "zh-Hant", Key: "e1", Source: "Hello, world", Target: "你好，世界",
			Origin: "google:general/nmt", State: tm.Machine, Created: t2, Updated: t2, FirstSeen: "en/hello.md"},
		// Provenance: a key holds a machine entry per origin beside its
		// reviewed one, and each is a unit of its own.
		{SourceLang: "zh", TargetLang: "en", Key: "3f9a1c", Source: "美国总统<g1>拜登</g1>和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会<x2/>。",
			Target: "<g1>Biden</g1> and Putin met in Geneva on 16 June<x2/>.",
			Origin: "google:general/nmt", State: tm.Machine, Created: t2, Updated: t2, Markup: summitMarkup},
		{SourceLang: "zh", TargetLang: "en", Key: "5b07e2", Source: "《人民日报》说：“a < b & c > d”",
			Target: "People's Daily said: \"a < b & c > d\"",
			Origin: "openai:gpt-4o-mini", State: tm.Machine, Created: t1, Updated: t1},
	}
}

// summitMarkup is the markup of the fixture's first source: a link with a
// title and an image, with characters XML escapes.
var summitMarkup = []tm.TagMarkup{
	{ID: 1, Open: "[", Close: "](https://zh.wikipedia.org/wiki/拜登 \"拜登 & <co>\")"},
	{ID: 2, Open: "![logo](https://example.org/a.png?x=1&y=2)"},
}

func fixtureStore(t *testing.T, s tm.Store) tm.Store {
	t.Helper()
	if err := s.Put(context.Background(), fixture()); err != nil {
		t.Fatal(err)
	}
	return s
}

func export(t *testing.T, s tm.Store, opts *tm.ExportOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	n, err := tm.ExportTMX(context.Background(), &b, s.(tm.Enumerator), opts)
	if err != nil {
		t.Fatalf("ExportTMX: %v", err)
	}
	if strings.Count(b.String(), "<tu ") != n {
		t.Errorf("ExportTMX = %d, but wrote %d units", n, strings.Count(b.String(), "<tu "))
	}
	return b.Bytes()
}

func all(t *testing.T, s tm.Store) []tm.Entry {
	t.Helper()
	var es []tm.Entry
	if err := s.(tm.Enumerator).Each(context.Background(), nil, func(e tm.Entry) error {
		es = append(es, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return es
}

// stores are the stores TMX is tested on; the PostgreSQL one skips (or
// fails in CI) without a server, as pgURL says.
func stores() map[string]func(t *testing.T) tm.Store {
	clock := tmtest.NewClock(tmtest.Base)
	return map[string]func(t *testing.T) tm.Store{
		"Memory": func(*testing.T) tm.Store { return tm.NewMemory(&tm.Options{Now: clock.Now}) },
		"SQLite": func(t *testing.T) tm.Store {
			return openSQLite(t, filepath.Join(t.TempDir(), "tm.db"), &tm.Options{Now: clock.Now})
		},
		"Postgres": func(t *testing.T) tm.Store { return openPG(t, pgSchema(t), &tm.Options{Now: clock.Now}) },
	}
}

func TestExportTMXGolden(t *testing.T) {
	s := fixtureStore(t, tm.NewMemory(nil))
	golden(t, "export.tmx", export(t, s, nil))
	golden(t, "export-zh-en-reviewed.tmx", export(t, s, &tm.ExportOptions{SourceLang: "zh", TargetLang: "en", State: tm.Reviewed}))
}

// TestTMXRoundTrip: store -> export -> import into an empty store gives the
// same entries, and exporting those gives the same bytes.
func TestTMXRoundTrip(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			src := fixtureStore(t, open(t))
			defer src.Close()
			first := export(t, src, nil)
			dst := open(t)
			defer dst.Close()
			n, err := tm.ImportTMX(context.Background(), bytes.NewReader(first), dst, &tm.ImportOptions{
				KeyFunc: func(string) string { t.Error("KeyFunc called for a diglot unit"); return "x" },
			})
			if err != nil {
				t.Fatalf("ImportTMX: %v", err)
			}
			if n != len(fixture()) {
				t.Errorf("ImportTMX = %d, want %d", n, len(fixture()))
			}
			if diff := cmp.Diff(all(t, src), all(t, dst)); diff != "" {
				t.Errorf("entries after export and import (-want +got):\n%s", diff)
			}
			if second := export(t, dst, nil); !bytes.Equal(first, second) {
				t.Errorf("export -> import -> export changed the document:\n%s", cmp.Diff(string(first), string(second)))
			}
		})
	}
}

// TestImportNeutralExport: a TMX that diglot wrote before entries carried
// markup (its codes are the neutral tags) imports the same entries, with no
// markup; a re-export then writes neutral codes again.
func TestImportNeutralExport(t *testing.T) {
	data, err := os.ReadFile("testdata/export-neutral.tmx")
	if err != nil {
		t.Fatal(err)
	}
	s := tm.NewMemory(nil)
	if _, err := tm.ImportTMX(context.Background(), bytes.NewReader(data), s, nil); err != nil {
		t.Fatal(err)
	}
	want := fixtureStore(t, tm.NewMemory(nil))
	var noMarkup []tm.Entry
	for _, e := range all(t, want) {
		e.Markup = nil
		noMarkup = append(noMarkup, e)
	}
	if diff := cmp.Diff(noMarkup, all(t, s)); diff != "" {
		t.Errorf("entries of a neutral export (-want +got):\n%s", diff)
	}
	if got := export(t, s, nil); !bytes.Equal(data, got) {
		t.Errorf("re-export of a neutral export differs:\n%s", cmp.Diff(string(data), string(got)))
	}
}

// TestExportMarkupUnencodable: markup holding a character XML cannot carry
// inside a code is left out of the export (neutral codes, no PropMarkup)
// rather than failing it; the texts still travel exactly.
func TestExportMarkupUnencodable(t *testing.T) {
	e := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "k", Source: "换页<x1/>和<g2>链接</g2>", Target: "form feed<x1/> and <g2>link</g2>",
		Origin: "human", State: tm.Reviewed, Created: tmtest.Base, Updated: tmtest.Base,
		Markup: []tm.TagMarkup{{ID: 1, Open: "<span>\x0c</span>"}, {ID: 2, Open: "[", Close: "](a)"}}}
	s := tm.NewMemory(nil)
	if err := s.Put(context.Background(), []tm.Entry{e}); err != nil {
		t.Fatal(err)
	}
	doc := export(t, s, nil)
	if bytes.Contains(doc, []byte(tm.PropMarkup)) || !bytes.Contains(doc, []byte(`<ph x="1">&lt;x1/&gt;</ph>`)) {
		t.Errorf("export of unencodable markup:\n%s\nwant neutral codes and no %s", doc, tm.PropMarkup)
	}
	back := tm.NewMemory(nil)
	if _, err := tm.ImportTMX(context.Background(), bytes.NewReader(doc), back, nil); err != nil {
		t.Fatal(err)
	}
	e.Markup = nil
	if diff := cmp.Diff([]tm.Entry{e}, all(t, back)); diff != "" {
		t.Errorf("re-imported entry (-want +got):\n%s", diff)
	}
}

// TestImportForeignMarkdownCodes: a CAT tool's TMX of Markdown (codes that
// are Markdown, numbered its own way, one pair split by another tool's
// numbering) imports with the codes as markup under the renumbered tags,
// and exports them back as the same codes.
func TestImportForeignMarkdownCodes(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" datatype="markdown" creationtool="OmegaT" creationtoolversion="6" adminlang="EN-US" o-tmf="OmegaT TMX"/>
<body><tu><tuv xml:lang="zh-CN"><seg>见<bpt i="7" x="7">[</bpt>此处<ept i="7">](https://a.example/x)</ept>和<ph x="9">` + "`code`" + `</ph></seg></tuv>
<tuv xml:lang="en-US"><seg>See <ph x="9">` + "`code`" + `</ph> and <bpt i="7" x="7">[</bpt>here<ept i="7">](https://a.example/x)</ept></seg></tuv></tu></body></tmx>`
	s := tm.NewMemory(nil)
	if _, err := tm.ImportTMX(context.Background(), strings.NewReader(doc), s, &tm.ImportOptions{SourceLang: "zh", TargetLang: "en", KeyFunc: testKey}); err != nil {
		t.Fatal(err)
	}
	es := all(t, s)
	if len(es) != 1 {
		t.Fatalf("imported %d entries, want 1", len(es))
	}
	got := es[0]
	if got.Source != "见<g1>此处</g1>和<x2/>" || got.Target != "See <x2/> and <g1>here</g1>" {
		t.Errorf("texts = %q, %q", got.Source, got.Target)
	}
	want := []tm.TagMarkup{{ID: 1, Open: "[", Close: "](https://a.example/x)"}, {ID: 2, Open: "`code`"}}
	if diff := cmp.Diff(want, got.Markup); diff != "" {
		t.Errorf("markup (-want +got):\n%s", diff)
	}
	out := string(export(t, s, nil))
	for _, frag := range []string{`<bpt i="1" x="1">[</bpt>此处<ept i="1">](https://a.example/x)</ept>`, "<ph x=\"2\">`code`</ph>"} {
		if !strings.Contains(out, frag) {
			t.Errorf("re-export lacks %s:\n%s", frag, out)
		}
	}
}

// importResult is what a golden import file records.
type importResult struct {
	Imported int        `json:"imported"`
	Skipped  []string   `json:"skipped"`
	Entries  []tm.Entry `json:"entries"`
}

func importGolden(t *testing.T, data []byte, opts *tm.ImportOptions, goldenName string) {
	t.Helper()
	s := tm.NewMemory(&tm.Options{Now: tmtest.NewClock(tmtest.Base).Now})
	var res importResult
	o := *opts
	o.Skip = func(line int, reason string) {
		res.Skipped = append(res.Skipped, fmt.Sprintf("line %d: %s", line, reason))
	}
	n, err := tm.ImportTMX(context.Background(), bytes.NewReader(data), s, &o)
	if err != nil {
		t.Fatalf("ImportTMX: %v", err)
	}
	res.Imported = n
	res.Entries = all(t, s)
	golden(t, goldenName, marshal(t, res))
}

// testKey stands in for the pipeline's key function.
func testKey(source string) string { return "k:" + source }

func TestImportOmegaT(t *testing.T) {
	data, err := os.ReadFile("testdata/omegat.tmx")
	if err != nil {
		t.Fatal(err)
	}
	importGolden(t, data, &tm.ImportOptions{Name: "project_save.tmx", SourceLang: "zh", TargetLang: "en", KeyFunc: testKey},
		"omegat.want.json")
}

func TestImportTradosUTF16(t *testing.T) {
	data, err := os.ReadFile("testdata/trados.tmx")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	importGolden(t, utf16, &tm.ImportOptions{Name: "news.tmx", SourceLang: "zh-CN", TargetLang: "en", KeyFunc: testKey},
		"trados.want.json")
}

func TestImportLanguageChoice(t *testing.T) {
	doc := `<tmx version="1.4"><header srclang="%s"/><body><tu>
<tuv xml:lang="zh-TW"><seg>繁</seg></tuv>
<tuv xml:lang="ZH-CN"><seg>简</seg></tuv>
<tuv xml:lang="en-GB"><seg>British</seg></tuv>
<tuv xml:lang="en"><seg>English</seg></tuv>
<tuv xml:lang="de"><seg>Deutsch</seg></tuv>
</tu></body></tmx>`
	for _, tt := range []struct {
		header, src, tgt string
		want             string // "src|tgt|source|target" or "skip"
	}{
		{"zh-CN", "zh", "en", "zh|en|简|English"},
		{"zh-CN", "zh-Hans", "en-GB", "zh-Hans|en-GB|简|British"},
		{"zh-CN", "zh-TW", "de", "zh-TW|de|繁|Deutsch"},
		{"zh-CN", "zh-Hant", "en-US", "zh-Hant|en-US|繁|British"},
		{"zh-CN", "", "de", "zh-CN|de|简|Deutsch"},
		{"zh-CN", "zh", "fr", "skip"},
		{"zh-CN", "", "", "skip"}, // several target languages
		{"*all*", "", "en", "skip"},
	} {
		t.Run(tt.src+"-"+tt.tgt, func(t *testing.T) {
			s := tm.NewMemory(nil)
			skipped := ""
			_, err := tm.ImportTMX(context.Background(), strings.NewReader(fmt.Sprintf(doc, tt.header)), s, &tm.ImportOptions{
				SourceLang: tt.src, TargetLang: tt.tgt, KeyFunc: testKey,
				Skip: func(line int, reason string) { skipped = reason },
			})
			if err != nil {
				t.Fatal(err)
			}
			es := all(t, s)
			got := "skip"
			if len(es) == 1 {
				e := es[0]
				got = strings.Join([]string{e.SourceLang, e.TargetLang, e.Source, e.Target}, "|")
			}
			if got != tt.want {
				t.Errorf("import with source %q, target %q = %s (skip reason %q), want %s", tt.src, tt.tgt, got, skipped, tt.want)
			}
			if (got == "skip") != (skipped != "") {
				t.Errorf("Skip called with %q for result %s", skipped, got)
			}
		})
	}
}

func TestImportMalformed(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		line      int
		msg       string
	}{
		{"not xml", "this is not a tmx file", 1, "unexpected end"},
		{"empty", "", 1, "unexpected end"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"/>", 2, "root element is <xliff>, want <tmx>"},
		{"no body", "<tmx version=\"1.4\">\n<header srclang=\"zh\"/>\n</tmx>", 3, "no <body>"},
		{"unclosed", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu><tuv xml:lang=\"zh\"><seg>a</seg></tuv>\n<tuv xml:lang=\"en\"><seg>b</tuv></tu></body></tmx>", 3, "element <seg> closed by </tuv>"},
		{"truncated", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu>\n<tuv xml:lang=\"zh\"><seg>a", 3, "unexpected EOF"},
		{"tuv without seg", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu>\n  <tuv xml:lang=\"zh\"><seg>a</seg></tuv>\n  <tuv xml:lang=\"en\"></tuv>\n</tu></body></tmx>", 4, "has no <seg>"},
		{"ept without i", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body><tu>\n<tuv xml:lang=\"zh\"><seg>a<ept/></seg></tuv></tu></body></tmx>", 2, "<ept> without an i attribute"},
		{"bad state", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n\n<tu><prop type=\"x-diglot-key\">k</prop><prop type=\"x-diglot-state\">approved</prop><tuv xml:lang=\"zh\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu></body></tmx>", 3, `x-diglot-state "approved"`},
		{"bad entity", "<tmx version=\"1.4\"><body>\n<tu><tuv xml:lang=\"zh\"><seg>&nbsp;</seg></tuv></tu></body></tmx>", 2, "invalid character entity &nbsp;"},
		{"bad char ref", "<tmx version=\"1.4\"><body>\n\n\n<tu><tuv xml:lang=\"zh\"><seg>&#x1;</seg></tuv></tu></body></tmx>", 4, "illegal character code U+0001"},
		{"bad char code", "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n<tu><tuv xml:lang=\"zh\"><seg><ph type=\"x-diglot-char\">Z</ph></seg></tuv></tu></body></tmx>", 2, "bad x-diglot-char code"},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"klingon\"?><tmx/>", 1, "unsupported encoding"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tm.NewMemory(nil)
			n, err := tm.ImportTMX(context.Background(), strings.NewReader(tt.doc), s, &tm.ImportOptions{Name: "bad.tmx", KeyFunc: testKey})
			var pe *tm.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tm.ErrMalformedTMX) {
				t.Fatalf("ImportTMX = %d, %v; want a *ParseError", n, err)
			}
			if pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "tm: bad.tmx:") {
				t.Errorf("ImportTMX error = %q (line %d), want line %d and %q", err, pe.Line, tt.line, tt.msg)
			}
			if n != 0 || len(all(t, s)) != 0 {
				t.Errorf("a malformed file imported %d entries, want none", n)
			}
		})
	}
}

func TestImportNoKeyFunc(t *testing.T) {
	data, err := os.ReadFile("testdata/omegat.tmx")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tm.ImportTMX(context.Background(), bytes.NewReader(data), tm.NewMemory(nil), &tm.ImportOptions{SourceLang: "zh", TargetLang: "en"})
	if !errors.Is(err, tm.ErrNoKeyFunc) || errors.Is(err, tm.ErrMalformedTMX) {
		t.Errorf("ImportTMX without KeyFunc = %v, want ErrNoKeyFunc", err)
	}
}

func TestImportRecomputeKeysAndPrecedence(t *testing.T) {
	ctx := context.Background()
	doc := export(t, fixtureStore(t, tm.NewMemory(nil)), &tm.ExportOptions{SourceLang: "zh", TargetLang: "en"})
	s := tm.NewMemory(nil)
	// A reviewed entry already in the store beats the file's machine unit.
	reviewed := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "3f9a1c", Target: "kept", Origin: "human", State: tm.Reviewed}
	if err := s.Put(ctx, []tm.Entry{reviewed}); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.ImportTMX(ctx, bytes.NewReader(doc), s, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"3f9a1c"}, Origin: tm.AnyOrigin})
	if got["3f9a1c"].Target != "kept" {
		t.Errorf("importing a machine unit replaced a reviewed entry: %+v", got["3f9a1c"])
	}
	s2 := tm.NewMemory(nil)
	if _, err := tm.ImportTMX(ctx, bytes.NewReader(doc), s2, &tm.ImportOptions{KeyFunc: testKey, RecomputeKeys: true}); err != nil {
		t.Fatal(err)
	}
	for _, e := range all(t, s2) {
		if e.Key != testKey(e.Source) {
			t.Errorf("RecomputeKeys: key %q for source %q", e.Key, e.Source)
		}
	}
}

// TestImportBatches: with BatchSize 0 a file that fails late imports
// nothing; with a batch size the batches before the failure stay.
func TestImportBatches(t *testing.T) {
	doc := string(export(t, fixtureStore(t, tm.NewMemory(nil)), nil))
	broken := strings.Replace(doc, "</body>", "<tu><tuv xml:lang=\"zh\"></tuv></tu></body>", 1)
	for _, tt := range []struct {
		batch, want int
	}{{0, 0}, {2, len(fixture()) / 2 * 2}, {100, 0}} {
		s := tm.NewMemory(nil)
		n, err := tm.ImportTMX(context.Background(), strings.NewReader(broken), s, &tm.ImportOptions{BatchSize: tt.batch})
		if !errors.Is(err, tm.ErrMalformedTMX) {
			t.Fatalf("BatchSize %d: ImportTMX = %v, want a malformed error", tt.batch, err)
		}
		if got := len(all(t, s)); n != tt.want || got != tt.want {
			t.Errorf("BatchSize %d: ImportTMX = %d and %d entries stored, want %d", tt.batch, n, got, tt.want)
		}
	}
}

func TestImportTMXFile(t *testing.T) {
	s := tm.NewMemory(nil)
	n, err := tm.ImportTMXFile(context.Background(), "testdata/omegat.tmx", s, &tm.ImportOptions{SourceLang: "zh", TargetLang: "en", KeyFunc: testKey})
	if err != nil || n == 0 {
		t.Fatalf("ImportTMXFile = %d, %v", n, err)
	}
	for _, e := range all(t, s) {
		if e.Origin != "import:omegat.tmx" || e.State != tm.Reviewed {
			t.Errorf("imported entry origin %q, state %q; want import:omegat.tmx, reviewed", e.Origin, e.State)
		}
	}
	if _, err := tm.ImportTMXFile(context.Background(), "testdata/missing.tmx", s, nil); err == nil {
		t.Error("ImportTMXFile of a missing file succeeded")
	}
}

func TestExportErrors(t *testing.T) {
	s := tm.NewMemory(nil)
	bad := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "k", Source: "bad \xff utf-8", State: tm.Machine}
	if err := s.Put(context.Background(), []tm.Entry{bad}); err != nil {
		t.Fatal(err)
	}
	_, err := tm.ExportTMX(context.Background(), &bytes.Buffer{}, s, nil)
	if !errors.Is(err, tm.ErrUnencodable) {
		t.Errorf("ExportTMX of invalid UTF-8 = %v, want ErrUnencodable", err)
	}
	if _, err := tm.ExportTMX(context.Background(), &bytes.Buffer{}, s, &tm.ExportOptions{SourceLang: "!!"}); err == nil {
		t.Error("ExportTMX with a bad language succeeded")
	}
}

func TestStatsText(t *testing.T) {
	s := fixtureStore(t, tm.NewMemory(nil)).(tm.StatsReporter)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := st.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "stats.txt", b.Bytes())
	golden(t, "stats.json", marshal(t, st))
}

// marshal encodes v as indented JSON without HTML escaping, for golden files
// people read.
func marshal(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
