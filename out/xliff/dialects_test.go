package xliff_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/unicode"

	"github.com/diglot/diglot/out/xliff"
)

// The ways CAT tools plausibly write diglot's XLIFF back, each applied to
// the edited export of TestRoundTrip. They are modelled on what the tools
// are documented or known to do, not recorded from them.
var dialects = []struct {
	name    string
	rewrite func(string) string
}{
	// Trados Studio: a byte-order mark, CRLF and tabs, its own namespace
	// with elements and attributes, attributes reordered, subState gone.
	{"trados", func(s string) string {
		s = strings.Replace(s, `<xliff `, `<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" `, 1)
		s = regexp.MustCompile(`(<file [^>]*>)`).ReplaceAllString(s, "$1\n<sdl:ref-files><sdl:ref-file uid=\"0\" name=\"summit.md\"/></sdl:ref-files>")
		s = regexp.MustCompile(`<unit id="([^"]*)" name="([^"]*)">`).ReplaceAllString(s, `<unit sdl:conf="Translated" name="$2" id="$1">`)
		s = regexp.MustCompile(`<segment id="(s\d+)" state="([a-z]+)" subState="[^"]*">`).ReplaceAllString(s, `<segment state="$2" id="$1">`)
		s = regexp.MustCompile(`(?m)^( +)`).ReplaceAllStringFunc(s, func(sp string) string { return strings.Repeat("\t", len(sp)/2) })
		return "\ufeff" + strings.ReplaceAll(s, "\n", "\r\n")
	}},
	// memoQ: the core namespace under a prefix, original data and data
	// references dropped, its own attributes.
	{"memoq", func(s string) string {
		s = strings.Replace(s, `xmlns="urn:oasis:names:tc:xliff:document:2.0"`, `xmlns:xlf="urn:oasis:names:tc:xliff:document:2.0" xmlns:mq="MQXliff"`, 1)
		s = regexp.MustCompile(`<(/?)(xliff|file|unit|segment|source|target|notes|note|originalData|data|pc|ph|sc|ec|group|mrk|cp|ignorable)\b`).ReplaceAllString(s, "<${1}xlf:$2")
		s = regexp.MustCompile(`(?s)\s*<xlf:originalData>.*?</xlf:originalData>`).ReplaceAllString(s, "")
		s = regexp.MustCompile(` dataRef(Start|End)?="[^"]*"`).ReplaceAllString(s, "")
		return regexp.MustCompile(`<xlf:unit `).ReplaceAllString(s, `<xlf:unit mq:status="ManuallyConfirmed" `)
	}},
	// OmegaT (through Okapi): paired codes as <sc/> and <ec/>, display
	// attributes and metadata dropped, segment ids dropped, units in a
	// group.
	{"omegat", func(s string) string {
		var stack []string
		s = regexp.MustCompile(`<pc id="([^"]*)"[^>]*>|</pc>`).ReplaceAllStringFunc(s, func(m string) string {
			if m == "</pc>" {
				id := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				return `<ec startRef="` + id + `"/>`
			}
			id := regexp.MustCompile(`id="([^"]*)"`).FindStringSubmatch(m)[1]
			stack = append(stack, id)
			return `<sc id="` + id + `"/>`
		})
		s = regexp.MustCompile(` disp(Start|End)?="[^"]*"`).ReplaceAllString(s, "")
		s = regexp.MustCompile(`(?s)\s*<mda:metadata>.*?</mda:metadata>`).ReplaceAllString(s, "")
		s = regexp.MustCompile(`<segment id="s\d+"`).ReplaceAllString(s, "<segment")
		s = regexp.MustCompile(`(<file [^>]*>)`).ReplaceAllString(s, `$1<group id="g1" name="summit">`)
		return strings.Replace(s, "</file>", "</group></file>", 1)
	}},
	// Weblate and review tools: comments and terms marked in the target,
	// an ignorable between segments, wider indentation.
	{"weblate", func(s string) string {
		s = strings.Replace(s, "<target>Joe Biden</target>", `<target><mrk id="m1" type="comment" value="check the name">Joe</mrk> Biden</target>`, 1)
		s = strings.Replace(s, "and Putin held", `and <sm id="m2" type="term"/>Putin<em startRef="m2"/> held`, 1)
		s = regexp.MustCompile(`(?s)(name="6">.*?<segment id="s1".*?</segment>)`).ReplaceAllString(s, "$1\n<ignorable><source> </source></ignorable>")
		return regexp.MustCompile(`(?m)^( +)`).ReplaceAllStringFunc(s, func(sp string) string { return sp + sp })
	}},
	// A tool that writes UTF-16 with a byte-order mark.
	{"utf16", func(s string) string {
		s = strings.Replace(s, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		if err != nil {
			panic(err)
		}
		return b
	}},
	// A generic XML library that re-serialises every token, declaring
	// namespaces its own way.
	{"reserialised", func(s string) string {
		d := xml.NewDecoder(strings.NewReader(s))
		var b bytes.Buffer
		e := xml.NewEncoder(&b)
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				panic(err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				// encoding/xml writes xml:space as an unknown prefix;
				// tools drop attributes they do not need.
				var attrs []xml.Attr
				for _, a := range se.Attr {
					if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && a.Name.Space != "http://www.w3.org/XML/1998/namespace" {
						attrs = append(attrs, a)
					}
				}
				se.Attr = attrs
				tok = se
			}
			if err := e.EncodeToken(xml.CopyToken(tok)); err != nil {
				panic(err)
			}
		}
		e.Flush()
		return b.String()
	}},
}

// TestApplyDialects: the edited export, as each tool writes it back, applies
// exactly as the export itself does.
func TestApplyDialects(t *testing.T) {
	bi := article(t)
	edited := roundTripEdit(t, export(t, "summit.bi.md", string(bi)))
	want, wantRes, err := apply(t, bi, edited)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			doc := []byte(d.rewrite(string(edited)))
			if bytes.Equal(doc, edited) {
				t.Fatal("the rewrite changed nothing")
			}
			got, res, err := apply(t, bi, doc)
			if err != nil {
				t.Fatalf("Apply: %v\n%s", err, doc)
			}
			if diff := cmp.Diff(wantRes, res); diff != "" {
				t.Errorf("Applied (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("bilingual file (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrors: documents diglot cannot read fail with their position
// and, for XLIFF 1.2, ErrVersion.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
		version         bool
	}{
		{"xliff 1.2", `<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="zh" datatype="plaintext"><body/></file></xliff>`,
			"test.xlf:2:1: xliff: unsupported version: XLIFF 1.2", true},
		{"not xml", "<xliff version=\"2.1\"\n<file>", "test.xlf:2:", false},
		{"another root", `<tmx version="1.4"/>`, "root element is <tmx>", false},
		{"no namespace", `<xliff version="2.1" srcLang="zh"><file id="f"/></xliff>`, "not in the XLIFF 2 namespace", false},
		{"no file", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh"></xliff>`, "has no <file>", false},
		{"bad state", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh"><file id="f"><unit id="u">
<segment state="done"><source>a</source></segment></unit></file></xliff>`, "test.xlf:2:", false},
		{"bad code point", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh"><file id="f"><unit id="u">
<segment><source>a</source><target>b<cp hex="D800"/></target></segment></unit></file></xliff>`, `<cp hex="D800"> is not a code point`, false},
		{"no source", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh"><file id="f"><unit id="u">
<segment><target>b</target></segment></unit></file></xliff>`, "<segment> has no <source>", false},
		{"truncated", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh"><file id="f"><unit id="u">`, "unexpected", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := xliff.Parse("test.xlf", strings.NewReader(tt.doc))
			var pe *xliff.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, xliff.ErrMalformed) {
				t.Fatalf("Parse = %v, want a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error %q, want it to contain %q", err, tt.want)
			}
			if errors.Is(err, xliff.ErrVersion) != tt.version {
				t.Errorf("errors.Is(%v, ErrVersion) = %v, want %v", err, !tt.version, tt.version)
			}
		})
	}
}

// TestParseContent: what the reader makes of inline content.
func TestParseContent(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" xmlns:o="urn:other" version="2.0" srcLang="zh" trgLang="en">
<x:file id="f" original="a.md"><o:thing x:id="ignored"><x:unit id="nested-in-other"/></o:thing>
<x:group id="g"><x:group id="g2"><x:unit id="u1" name="1"><x:segment id="s1" state="reviewed"><x:source>a</x:source>
<x:target>caf` + "\xe9" + ` <x:pc id="1">x<x:mrk id="m" translate="no"><x:ph id="2"/>y</x:mrk></x:pc><x:sc id="3"/>z<x:ec startRef="3"/>
<x:cp hex="000C"/><x:ec id="9" isolated="yes"/><o:custom>kept</o:custom>&#xD;</x:target></x:segment></x:unit></x:group></x:group>
</x:file></x:xliff>`
	d, err := xliff.Parse("t", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []xliff.Inline{
		{Kind: xliff.Text, Text: "café "},
		{Kind: xliff.Start, ID: "1"},
		{Kind: xliff.Text, Text: "x"},
		{Kind: xliff.Placeholder, ID: "2"},
		{Kind: xliff.Text, Text: "y"},
		{Kind: xliff.End, ID: "1"},
		{Kind: xliff.Start, ID: "3"},
		{Kind: xliff.Text, Text: "z"},
		{Kind: xliff.End, ID: "3"},
		{Kind: xliff.Text, Text: "\n\f"},
		{Kind: xliff.End, ID: "9"},
		{Kind: xliff.Text, Text: "kept\r"},
	}
	if len(d.Files) != 1 || len(d.Files[0].Units) != 1 || len(d.Files[0].Units[0].Segments) != 1 {
		t.Fatalf("Parse = %+v, want one file, unit and segment", d)
	}
	s := d.Files[0].Units[0].Segments[0]
	if diff := cmp.Diff(want, s.Target); diff != "" {
		t.Errorf("target (-want +got):\n%s", diff)
	}
	if s.State != xliff.StateReviewed || s.ID != "s1" || !s.HasTarget || d.Files[0].Original != "a.md" || d.Version != "2.0" {
		t.Errorf("segment %+v of file %+v", s, d.Files[0])
	}
}
