package glossary

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseGood(t *testing.T) {
	want := []Entry{
		{Source: "北京", Target: "Beijing", Mode: Translate, Forbidden: []string{"Peking"}},
		{Source: "习近平", Target: "Xi Jinping", Note: "a name", Mode: Translate, Aliases: []string{"習近平"}},
		{Source: "GTV", Target: "GTV", Mode: Keep, CaseSensitive: true},
	}
	tests := []struct {
		name, data string
	}{
		{"g.tsv", "\uFEFF# comment\r\nsource\ttarget\tnote\tcase\tmode\taliases\tforbidden\r\n" +
			"北京\tBeijing\t\t\t\t\tPeking\r\n\r\n习近平\t Xi Jinping \ta name\tinsensitive\ttranslate\t習近平|\n" +
			"GTV\t\t\tsensitive\tkeep\n"},
		{"g.csv", "source,target,note,case,mode,aliases,forbidden\n" +
			"北京,Beijing,,,,,Peking\n习近平,Xi Jinping,\"a name\",,,習近平\nGTV,GTV,,Sensitive,KEEP,,\n"},
		{"g.toml", `# glossary
[[term]]
source = "北京"
target = "Beijing"
forbidden = ["Peking"]

[[term]]
source = "习近平"
target = "Xi Jinping"
note = "a name"
aliases = "習近平"

[[term]]
source = "GTV"
mode = "keep"
case = "sensitive"
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Parse(tt.name, strings.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(want, g.Terms()); diff != "" {
				t.Errorf("Parse(%s) entries (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestParseBad(t *testing.T) {
	const hdr = "source\ttarget\tnote\tcase\tmode\taliases\tforbidden\n"
	tests := []struct {
		name, data, want string
	}{
		{"dup.tsv", hdr + "北京\tBeijing\n上海\tShanghai\n北京\tPeking\n", `dup.tsv:4: duplicate term "北京" with target "Peking": line 2 gives "Beijing"`},
		{"dupalias.tsv", hdr + "川普\tTrump\n特朗普\tDonald\t\t\t\t川普\n", `dupalias.tsv:3: duplicate term "川普" with target "Donald": line 2 gives "Trump"`},
		{"empty.tsv", hdr + "北京\t\n", `empty.tsv:2: empty target for "北京" (use mode keep to leave a term untranslated)`},
		{"emptysrc.tsv", hdr + "\tBeijing\n", `emptysrc.tsv:2: empty source term`},
		{"space.tsv", hdr + "北京\tBeijing\n \u3000\tX\n", `space.tsv:3: source term is only whitespace`},
		{"spacetarget.tsv", hdr + "北京\t  \n", `spacetarget.tsv:2: target of "北京" is only whitespace`},
		{"spacealias.tsv", hdr + "北京\tBeijing\t\t\t\ta| \n", `spacealias.tsv:2: an alias of "北京" is only whitespace`},
		{"utf8.tsv", hdr + "北京\tBeijing\n\xff\xfe\tx\n", `utf8.tsv:3: invalid utf-8 encoding`},
		{"utf16.tsv", "\xff\xfes\x00", `utf16.tsv:1: utf-16 is not supported: save the glossary as utf-8`},
		{"col.tsv", "source\ttarget\tcolour\n", `col.tsv:1: unknown column "colour" (want source, target, note, case, mode, aliases, forbidden)`},
		{"nosrc.tsv", "target\tnote\n", `nosrc.tsv:1: the header has no "source" column`},
		{"dupcol.tsv", "source\ttarget\tsource\n", `dupcol.tsv:1: column "source" appears twice`},
		{"case.tsv", hdr + "北京\tBeijing\t\tmaybe\n", `case.tsv:2: unknown case "maybe" (want sensitive or insensitive)`},
		{"mode.tsv", hdr + "北京\tBeijing\t\t\tskip\n", `mode.tsv:2: unknown mode "skip" (want translate or keep)`},
		{"fields.tsv", "source\ttarget\n北京\tBeijing\textra\n", `fields.tsv:2: 3 fields, but the header has 2 columns`},
		{"keep.tsv", hdr + "GTV\tG TV\t\t\tkeep\n", `keep.tsv:2: term "GTV" has mode keep but a different target "G TV"`},
		{"forb.tsv", hdr + "北京\tBeijing\t\t\t\t\tbeijing\n", `forb.tsv:2: forbidden variant "beijing" is the target of "北京" itself`},
		{"tag.tsv", hdr + "a<x1/>b\tB\n", `tag.tsv:2: source term "a<x1/>b" contains a tag`},
		{"noheader.tsv", "# only a comment\n", `noheader.tsv: no header line (want source, target, …)`},
		{"ext.txt", hdr, `ext.txt: unknown glossary format ".txt" (want .tsv, .csv or .toml)`},
		{"dup.csv", "source,target\n北京,Beijing\n\"北京\",Peking\n", `dup.csv:3: duplicate term "北京" with target "Peking": line 2 gives "Beijing"`},
		{"quote.csv", "source,target\n北京,\"Beijing\n", `quote.csv:2: extraneous or missing " in quoted-field`},
		{"utf8.csv", "source,target\n北京,Beijing\n上海,Shang\xc3hai\n", `utf8.csv:3: invalid utf-8 encoding`},
		{"empty.csv", "source,target\n\n北京,\n", `empty.csv:3: empty target for "北京" (use mode keep to leave a term untranslated)`},
		{"unknown.toml", "[[term]]\nsource = \"北京\"\ntarget = \"Beijing\"\ncolour = \"red\"\n", `unknown.toml:4: unknown key "term.colour"`},
		{"dup.toml", "[[term]]\nsource = \"北京\"\ntarget = \"Beijing\"\n\n[[term]]\nsource = \"北京\"\ntarget = \"Peking\"\n", `dup.toml:5: duplicate term "北京" with target "Peking": line 1 gives "Beijing"`},
		{"empty.toml", "[[term]]\nsource = \"北京\"\ntarget = \"Beijing\"\n[[term]]\nsource = \"上海\"\n", `empty.toml:4: empty target for "上海" (use mode keep to leave a term untranslated)`},
		{"space.toml", "[[term]]\nsource = \"  \"\ntarget = \"x\"\n", `space.toml:1: source term is only whitespace`},
		{"list.toml", "[[term]]\nsource = \"a\"\ntarget = \"b\"\naliases = [1]\n", `list.toml:1: aliases: want strings, found int64`},
		{"utf8.toml", "[[term]]\nsource = \"a\"\ntarget = \"\xff\"\n", `utf8.toml:3: invalid utf-8 encoding`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.name, strings.NewReader(tt.data))
			if err == nil {
				t.Fatalf("Parse(%s) = nil error, want %q", tt.name, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%s) error\n got %q\nwant %q", tt.name, err, tt.want)
			}
			var le *LoadError
			if !errors.As(err, &le) || !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%s) error %T is not a *LoadError matching ErrInvalid", tt.name, err)
			}
		})
	}
}

func TestParseTOMLBadSyntax(t *testing.T) {
	_, err := Parse("syntax.toml", strings.NewReader("[[term]]\nsource = \"a\"\ntarget = \n"))
	var le *LoadError
	if !errors.As(err, &le) || le.File != "syntax.toml" || le.Line != 3 {
		t.Errorf("Parse(syntax.toml) = %v, want a *LoadError at syntax.toml:3", err)
	}
}

func TestDuplicateSameTargetMerges(t *testing.T) {
	g, err := Parse("g.tsv", strings.NewReader("source\ttarget\taliases\tforbidden\n川普\tTrump\t\tTrumpf\n特朗普\tTrump\t川普\tDrumpf\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Source: "川普", Target: "Trump", Mode: Translate, Aliases: []string{"特朗普"}, Forbidden: []string{"Trumpf", "Drumpf"}}}
	if diff := cmp.Diff(want, g.Terms()); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestLoadMerge(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.tsv")
	b := filepath.Join(dir, "b.toml")
	os.WriteFile(a, []byte("source\ttarget\taliases\n北京\tBeijing\n川普\tTrump\t特朗普\n上海\tShanghai\n"), 0o644)
	os.WriteFile(b, []byte("[[term]]\nsource = \"北京\"\ntarget = \"Peking\"\n\n[[term]]\nsource = \"上海\"\ntarget = \"Shanghai\"\n\n[[term]]\nsource = \"特朗普\"\ntarget = \"Donald Trump\"\n"), 0o644)
	g, conflicts, err := Load(a, b)
	if err != nil {
		t.Fatal(err)
	}
	wantEntries := []Entry{
		{Source: "川普", Target: "Trump", Mode: Translate},
		{Source: "北京", Target: "Peking", Mode: Translate},
		{Source: "上海", Target: "Shanghai", Mode: Translate},
		{Source: "特朗普", Target: "Donald Trump", Mode: Translate},
	}
	if diff := cmp.Diff(wantEntries, g.Terms()); diff != "" {
		t.Errorf("merged entries (-want +got):\n%s", diff)
	}
	var got []string
	for _, c := range conflicts {
		got = append(got, strings.ReplaceAll(c.String(), dir+string(filepath.Separator), ""))
	}
	want := []string{
		`b.toml:1: term "北京" overrides a.tsv:2 ("Beijing" -> "Peking")`,
		`b.toml:9: term "特朗普" overrides a.tsv:3 ("Trump" -> "Donald Trump")`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	if p := g.Position(1); p.Line != 1 || filepath.Base(p.File) != "b.toml" {
		t.Errorf("Position(1) = %v, want b.toml:1", p)
	}
	if _, _, err := Load(filepath.Join(dir, "missing.tsv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want os.ErrNotExist", err)
	}
}

func TestLoadExample(t *testing.T) {
	g, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() < 45 {
		t.Errorf("example glossary has %d entries, want about 50", g.Len())
	}
}

func TestNew(t *testing.T) {
	_, err := New([]Entry{{Source: "a", Target: "b"}, {Source: "c"}})
	if err == nil || err.Error() != `entries:2: empty target for "c" (use mode keep to leave a term untranslated)` {
		t.Errorf("New = %v", err)
	}
	g, err := New([]Entry{{Source: "GTV", Mode: Keep}})
	if err != nil || g.Terms()[0].Target != "GTV" {
		t.Errorf("New(keep) = %v, %v", g.Terms(), err)
	}
}
