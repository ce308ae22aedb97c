package xliff_test

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
)

// TestExportGolden: the fixture's bilingual file and its XLIFF, with units
// in every state, every kind of inline code, front matter, a list, a table,
// a quote and a footnote.
func TestExportGolden(t *testing.T) {
	bi := article(t)
	golden(t, "article.bi.md", bi)
	doc := export(t, "out/en/summit.md", string(bi))
	golden(t, "article.xlf", doc)
	// Exporting again gives the same ids and bytes.
	if again := export(t, "out/en/summit.md", string(bi)); !bytes.Equal(doc, again) {
		t.Errorf("a second export differs:\n%s", cmp.Diff(string(doc), string(again)))
	}
}

// setTarget replaces the content of the <target> of segment seg (1-based)
// of the unit whose marker id is unit in an exported XLIFF; with no
// <target> there, it adds one after the <source>.
func setTarget(t testing.TB, doc []byte, unit, seg int, content string) []byte {
	t.Helper()
	s := string(doc)
	u := strings.Index(s, fmt.Sprintf(`name="%d">`, unit))
	if u < 0 {
		t.Fatalf("no unit named %d", unit)
	}
	si := strings.Index(s[u:], fmt.Sprintf(`<segment id="s%d"`, seg))
	if si < 0 {
		t.Fatalf("unit %d has no segment s%d", unit, seg)
	}
	si += u
	end := si + strings.Index(s[si:], "</segment>")
	if ti := strings.Index(s[si:end], "<target>"); ti >= 0 {
		ti += si + len("<target>")
		te := ti + strings.Index(s[ti:], "</target>")
		return []byte(s[:ti] + content + s[te:])
	}
	se := si + strings.Index(s[si:], "</source>") + len("</source>")
	return []byte(s[:se] + "\n        <target>" + content + "</target>" + s[se:])
}

// setState sets the state of every segment of the unit whose marker id
// is unit.
func setState(t testing.TB, doc []byte, unit int, state xliff.State) []byte {
	t.Helper()
	s := string(doc)
	u := strings.Index(s, fmt.Sprintf(`name="%d">`, unit))
	if u < 0 {
		t.Fatalf("no unit named %d", unit)
	}
	end := u + strings.Index(s[u:], "</unit>")
	body := regexp.MustCompile(`state="[a-z]+"`).ReplaceAllString(s[u:end], `state="`+string(state)+`"`)
	return []byte(s[:u] + body + s[end:])
}

// The three edits of the round trip: the paragraph (a link with a title,
// strikethrough, a hard break, code, an autolink and a footnote), written
// as a tool that keeps only ids writes it; an image's alt text; a table
// cell.
const (
	editPara = `President <pc id="1">Biden</pc><pc id="2">Joe Biden</pc> and Putin held a <pc id="3">US–Russia</pc> summit in Geneva on 16 June.<ph id="4"/>
It lasted <ph id="5"/> hours; see <ph id="6"/> and note <ph id="7"/>.`
	editImage = `<pc id="1">The summit</pc>`
	editCell  = `Joe Biden`
)

func roundTripEdit(t testing.TB, doc []byte) []byte {
	doc = setTarget(t, doc, unitPara, 1, editPara)
	doc = setTarget(t, doc, unitImage, 1, editImage)
	return setTarget(t, doc, unitTable, 4, editCell)
}

// TestRoundTrip: export, edit three targets, import: only those units'
// markers and target blocks change; they become reviewed; the targets read
// back as edited, a link's title and an image's alt text included.
// Importing the unedited export changes nothing.
func TestRoundTrip(t *testing.T) {
	bi := article(t)
	doc := export(t, "summit.bi.md", string(bi))

	same, res, err := apply(t, bi, doc)
	if err != nil {
		t.Fatalf("Apply of the unedited export: %v", err)
	}
	if !bytes.Equal(same, bi) || len(res.Changed)+len(res.Approved)+len(res.Skipped) != 0 {
		t.Errorf("Apply of the unedited export changed the file (%+v):\n%s", res, cmp.Diff(string(bi), string(same)))
	}

	next, res, err := apply(t, bi, roundTripEdit(t, doc))
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	golden(t, "article.edited.bi.md", next)
	edited := []int{unitPara, unitImage, unitTable}
	want := &xliff.Applied{Changed: edited, Approved: edited}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Applied (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(string(outside(t, bi, edited...)), string(outside(t, next, edited...))); diff != "" {
		t.Errorf("bytes outside the edited units changed (-before +after):\n%s", diff)
	}
	f, err := out.ReadBilingual("next", next, out.Format{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range edited {
		if u := f.Units[id-1]; !u.Approved() || u.State != out.StateReviewed {
			t.Errorf("edited unit %d: %s/%v, want reviewed", id, u.State, u.Approved())
		}
	}
	para, image, table := f.Units[unitPara-1], f.Units[unitImage-1], f.Units[unitTable-1]
	wantPara := "President <g1>Biden</g1><g2>Joe Biden</g2> and Putin held a <g3>US–Russia</g3> summit in Geneva on 16 June.<x4/>It lasted <x5/> hours; see <x6/> and note <x7/>."
	if para.Targets[0] != wantPara || image.Targets[0] != "<g1>The summit</g1>" || table.Targets[3] != editCell {
		t.Errorf("targets read back as %q, %q and %q", para.Targets[0], image.Targets[0], table.Targets[3])
	}
	for _, md := range []string{`[Biden](https://zh.wikipedia.org/wiki/拜登 "Joe Biden") and Putin`, "![The summit](https://example.org/summit.jpg)\n"} {
		if !strings.Contains(string(next), md) {
			t.Errorf("the new file lacks %q", md)
		}
	}
	// The new file exports to an XLIFF with the edits, now final.
	again := string(export(t, "summit.bi.md", string(next)))
	for _, frag := range []string{">Biden</pc><pc", ">Joe Biden</pc> and Putin held a <pc", ">The summit</pc></target>", "<target>Joe Biden</target>", `state="final" subState="diglot:reviewed"`} {
		if !strings.Contains(again, frag) {
			t.Errorf("re-export lacks %q", frag)
		}
	}
}

// TestApplyStates: what each XLIFF state and edit does to each kind of
// unit.
func TestApplyStates(t *testing.T) {
	bi := article(t)
	doc := export(t, "summit.bi.md", string(bi))
	tests := []struct {
		name     string
		edit     func([]byte) []byte
		changed  []int
		approved []int
		check    func(t *testing.T, f *out.File, data string)
	}{
		{
			name:     "final approves a machine unit as it is",
			edit:     func(d []byte) []byte { return setState(t, d, unitList, xliff.StateFinal) },
			approved: []int{unitList},
			check: func(t *testing.T, f *out.File, data string) {
				if u := f.Units[unitList-1]; u.State != out.StateReviewed || u.Edited {
					t.Errorf("list unit: state %s, edited %v; want reviewed, not edited", u.State, u.Edited)
				}
			},
		},
		{
			name:     "a failed unit translated in full",
			edit:     func(d []byte) []byte { return setTarget(t, d, unitFailed, 1, "Paragraph seven failed to translate.") },
			changed:  []int{unitFailed},
			approved: []int{unitFailed},
			check: func(t *testing.T, f *out.File, data string) {
				u := f.Units[unitFailed-1]
				if u.State != out.StateReviewed || len(u.Flags) != 0 || u.Targets[0] != "Paragraph seven failed to translate." {
					t.Errorf("failed unit: %s %v %q", u.State, u.Flags, u.Targets)
				}
			},
		},
		{
			name:     "a stale unit edited keeps the previous target for the next run to drop",
			edit:     func(d []byte) []byte { return setTarget(t, d, unitQuote, 1, "This is a quote,\nnow on two lines.") },
			changed:  []int{unitQuote},
			approved: []int{unitQuote},
			check: func(t *testing.T, f *out.File, data string) {
				u := f.Units[unitQuote-1]
				if u.State != out.StateReviewed || string(u.TargetBytes) != "> This is a quote,\n> now on two lines.\n" || u.Previous == nil {
					t.Errorf("stale unit: %s %q previous %q", u.State, u.TargetBytes, u.Previous)
				}
			},
		},
		{
			name: "white space alone is no change",
			edit: func(d []byte) []byte {
				return setTarget(t, d, unitNew, 1, "\n   第六段还没有翻译。  \n")
			},
		},
		{
			name: "a new unit translated and final",
			edit: func(d []byte) []byte {
				return setState(t, setTarget(t, d, unitNew, 1, "Paragraph six."), unitNew, xliff.StateFinal)
			},
			changed:  []int{unitNew},
			approved: []int{unitNew},
		},
		{
			name: "a machine unit's target unchanged, state translated: nothing",
			edit: func(d []byte) []byte { return setState(t, d, unitNote, xliff.StateTranslated) },
		},
		{
			name: "block syntax in a target is escaped, not refused",
			edit: func(d []byte) []byte {
				return setTarget(t, d, unitNew, 1, "# Paragraph six, not a heading")
			},
			changed:  []int{unitNew},
			approved: []int{unitNew},
			check: func(t *testing.T, f *out.File, data string) {
				// The text read back keeps the escape, as Markdown source
				// text does (see package markdown).
				if u := f.Units[unitNew-1]; string(u.TargetBytes) != "\\# Paragraph six, not a heading\n" {
					t.Errorf("new unit's target = %q, want the # escaped", u.TargetBytes)
				}
			},
		},
		{
			// A title may be left out (markdown.Tag.Optional): the link
			// is written without one.
			name: "a link title deleted",
			edit: func(d []byte) []byte {
				return setTarget(t, d, unitPara, 1, `President <pc id="1">Biden</pc> and Putin held a <pc id="3">summit</pc>.<ph id="4"/>
It lasted <ph id="5"/> hours; see <ph id="6"/> and note <ph id="7"/>.`)
			},
			changed:  []int{unitPara},
			approved: []int{unitPara},
			check: func(t *testing.T, f *out.File, data string) {
				want := "President [Biden](https://zh.wikipedia.org/wiki/拜登) and Putin held a ~~summit~~.  \nIt lasted `4` hours"
				if u := f.Units[unitPara-1]; !strings.HasPrefix(string(u.TargetBytes), want) {
					t.Errorf("paragraph unit's target = %q, want it to start %q", u.TargetBytes, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, res, err := apply(t, bi, tt.edit(doc))
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			want := &xliff.Applied{Changed: tt.changed, Approved: tt.approved}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("Applied (-want +got):\n%s", diff)
			}
			touched := append(append([]int{}, tt.changed...), tt.approved...)
			ids := uniqueSorted(touched)
			if diff := cmp.Diff(string(outside(t, bi, ids...)), string(outside(t, next, ids...))); diff != "" {
				t.Errorf("bytes outside units %v changed (-before +after):\n%s", ids, diff)
			}
			f, err := out.ReadBilingual("next", next, out.Format{})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.approved {
				if !f.Units[id-1].Approved() {
					t.Errorf("unit %d is not approved", id)
				}
			}
			if tt.check != nil {
				tt.check(t, f, string(next))
			}
		})
	}
}

func uniqueSorted(ids []int) []int {
	seen := map[int]bool{}
	var u []int
	for i := 1; i <= 100; i++ {
		for _, id := range ids {
			if id == i && !seen[i] {
				seen[i] = true
				u = append(u, i)
			}
		}
	}
	return u
}

// TestApplySkips: a unit whose source block is gone, and one whose target
// a reviewer edited in the file after the export, are left alone and
// reported; the rest of the file is applied.
func TestApplySkips(t *testing.T) {
	bi := article(t)
	doc := export(t, "summit.bi.md", string(bi))
	doc = setTarget(t, doc, unitList, 2, "Second: cyber security")
	doc = setTarget(t, doc, unitNote, 1, "The footnote's text &amp; 1 &lt; 2 characters.")
	doc = setTarget(t, doc, unitTable, 4, editCell)
	// The source of the list changed since the export; a reviewer edited
	// the footnote's target in the file.
	edited := strings.Replace(string(bi), "- 第二项：网络安全\n\n<!--", "- 第二项：网络与安全\n\n<!--", 1)
	edited = regexp.MustCompile(`src=[0-9a-f]{8}( mt=[0-9a-f]{8} state=machine by=openai:gpt-4o-mini -->\n- en：<b>en</b>en)`).
		ReplaceAllString(edited, "src="+out.Hash([]byte("- 第一项：<b>战略</b>稳定\n- 第二项：网络与安全\n"))+"$1")
	edited = strings.Replace(edited, "[^1]: en & 1 < 2 en。", "[^1]: The note, edited & 1 < 2 chars.", 1)
	if _, err := out.ReadBilingual("edited", []byte(edited), out.Format{}); err != nil {
		t.Fatalf("the edited fixture does not read: %v", err)
	}
	next, res, err := apply(t, []byte(edited), doc)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if diff := cmp.Diff([]int{unitTable}, res.Changed); diff != "" {
		t.Errorf("Changed (-want +got):\n%s", diff)
	}
	if len(res.Skipped) != 2 || !strings.Contains(res.Skipped[0], "its source block changed") ||
		!strings.Contains(res.Skipped[1], "edited in the bilingual file since the export") {
		t.Errorf("Skipped = %q", res.Skipped)
	}
	if !strings.Contains(string(next), "The note, edited & 1 < 2 chars.") {
		t.Error("the reviewer's edit of the footnote was overwritten")
	}
}

// TestApplyRefuses: what an import cannot apply fails the whole file,
// naming the bilingual file's line and the XLIFF's.
func TestApplyRefuses(t *testing.T) {
	bi := article(t)
	doc := export(t, "summit.bi.md", string(bi))
	tests := []struct {
		name   string
		edit   func([]byte) []byte
		want   string
		noLine bool // the problem is the file's, not a line's
	}{
		{"a code lost", func(d []byte) []byte {
			return setTarget(t, d, unitPara, 1, `President <pc id="1">Biden</pc><pc id="2">Biden</pc> met Putin.<ph id="4"/> <pc id="3">x</pc> <ph id="6"/> <ph id="7"/>`)
		}, "summit.bi.md:22: unit u5dcebf2c (test.xlf:", false},
		{"the lost code named by its Markdown", func(d []byte) []byte {
			return setTarget(t, d, unitPara, 1, `President <pc id="1">Biden</pc><pc id="2">Biden</pc> met Putin.<ph id="4"/> <pc id="3">x</pc> <ph id="6"/> <ph id="7"/>`)
		}, "lost code \"`4`\"", false},
		{"an unknown code id", func(d []byte) []byte {
			return setTarget(t, d, unitList, 1, `First: <ph id="1"/>strategic<ph id="99"/> stability`)
		}, `inline code id="99" is not one of the source's`, false},
		{"a placeholder for a paired code", func(d []byte) []byte {
			return setTarget(t, d, unitHeading, 1, `en<ph id="1"/>en<pc id="2">x</pc>`)
		}, `stands for "**"…"**", not a placeholder`, false},
		{"a placeholder for a link title", func(d []byte) []byte {
			return setTarget(t, d, unitPara, 1, `<pc id="1">Biden</pc><ph id="2"/> <pc id="3">x</pc><ph id="4"/><ph id="5"/> <ph id="6"/> <ph id="7"/>`)
		}, `inline code id="2" stands for a link or image title, not a placeholder`, false},
		{"half a link title", func(d []byte) []byte {
			return setTarget(t, d, unitPara, 1, `<pc id="1">Biden</pc><sc id="2"/>Joe Biden <pc id="3">x</pc><ph id="4"/><ph id="5"/> <ph id="6"/> <ph id="7"/>`)
		}, "lost code a link or image title", false},
		{"an image's alt text lost", func(d []byte) []byte {
			return setTarget(t, d, unitImage, 1, `The summit`)
		}, `lost code "!["…"](https://example.org/summit.jpg)"`, false},
		{"a code of another segment", func(d []byte) []byte {
			return setTarget(t, d, unitList, 2, `Second <ph id="1"/>`)
		}, "belongs to segment 1", false},
		{"text that looks like a tag", func(d []byte) []byte {
			return setTarget(t, d, unitNote, 1, `The note &lt;x1/&gt;`)
		}, "looks like a diglot tag", false},
		{"a resegmented unit", func(d []byte) []byte {
			return []byte(regexp.MustCompile(fmt.Sprintf(`(?s)(name="%d">.*?)<segment id="s4".*?</segment>`, unitTable)).ReplaceAllString(string(d), "$1"))
		}, "3 segments where the source block has 4", false},
		// Block syntax in a target is escaped (see TestApplyStates); an
		// emptied cell is no cell, so the table reads back with one
		// segment less.
		{"a target that breaks the structure", func(d []byte) []byte {
			return setTarget(t, d, unitTable, 4, "")
		}, "summit.bi.md:42: unit 6: the new target does not read back: unit 6: target has 3 segments, its source 4", false},
		{"a failed unit approved without a translation", func(d []byte) []byte { return setState(t, d, unitFailed, xliff.StateFinal) },
			"1 of 1 segments have no target", false},
		{"a unit twice", func(d []byte) []byte {
			return regexp.MustCompile(`(?s)(<unit id="ue3cbb6be".*?</unit>)`).ReplaceAll(d, []byte("$1\n$1"))
		}, "summit.bi.md:74: unit ue3cbb6be (test.xlf:201): the unit is in the XLIFF twice (also at line 187)", false},
		{"another target language", func(d []byte) []byte {
			return bytes.Replace(d, []byte(`trgLang="en"`), []byte(`trgLang="de"`), 1)
		}, "is zh→de, the file zh→en", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, _, err := apply(t, bi, tt.edit(doc))
			if !errors.Is(err, xliff.ErrApply) {
				t.Fatalf("Apply = %v, want ErrApply", err)
			}
			if next != nil {
				t.Error("Apply returned data with an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Apply error:\n%v\nwant it to contain %q", err, tt.want)
			}
			if !tt.noLine && !regexp.MustCompile(`summit\.bi\.md:\d+`).MatchString(err.Error()) {
				t.Errorf("Apply error %q names no line of the bilingual file", err)
			}
		})
	}
}
