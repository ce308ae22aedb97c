package out

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
)

// hugoEnglish translates the segments of testdata/hugo/src, so that the
// golden pages read as a site would.
var hugoEnglish = map[string]string{
	"<g1>小传</g1><g2>普京</g2>": "<g1>Profile</g1><g2>Putin</g2>",
	"拜登谈峰会":                  "Biden on the summit",
	"拜登在出发前谈到峰会。":            "Biden spoke about the summit before leaving.",
	"拜登说，他将在<g1>日内瓦峰会</g1>上会见<g2>普京</g2>。":           "Biden said he would meet <g2>Putin</g2> at the <g1>Geneva summit</g1>.",
	"背景见<g1>路透社报道</g1>和<g2>前文</g2>，另见<g3>普京小传</g3>。": "For background see <g1>Reuters</g1> and <g2>above</g2>; see also <g3>Putin's profile</g3>.",
	"在代码里，<x1/>不是链接。":                                "In code, <x1/> is not a link.",
	"背景":                                             "Background",
	"本文不属于本站的<g1>说明</g1>。":                           "The <g1>notes</g1> are not part of this site.",
	"<g1>返回</g1>":                                    "<g1>Back</g1>",
	"普京小传":                                           "Putin: a profile",
	"普京是俄罗斯总统，见<g1>拜登的谈话</g1>。":                      "Putin is Russia's president; see <g1>Biden's remarks</g1>.",
	"他曾会见<g1>拜登</g1>。":                               "He has met <g1>Biden</g1>.",
	"他去过<g1>日内瓦</g1>。":                               "He has been to <g1>Geneva</g1>.",
	"引文中的<g1>峰会</g1>。":                               "The <g1>summit</g1> in a quote.",
	"日内瓦笔记，回到<g1>峰会</g1>。":                           "Notes from Geneva; back to the <g1>summit</g1>.",
	"日内瓦峰会":                                          "The Geneva summit",
	"人物":                                             "Person",
	"文章":                                             "Article",
	"拜登":                                             "Biden",
	"<g1>谈峰会</g1>":                                   "<g1>On the summit</g1>",
	"普京":                                             "Putin",
	"<g1>小传</g1>":                                    "<g1>Profile</g1>",
	"峰会笔记见<g1>这里</g1>。<x2/>":                         "Notes from the summit are <g1>here</g1>.<x2/>",
	"注释里也有<g1>链接</g1>。":                              "A note has a <g1>link</g1> too.",
	"<g1>峰会会场</g1>":                                  "<g1>The summit venue</g1>",
}

// hugoSources reads the articles under testdata/hugo/src, by their path
// there.
func hugoSources(t *testing.T) map[string][]byte {
	t.Helper()
	srcs := map[string][]byte{}
	root := filepath.Join("testdata", "hugo", "src")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		srcs[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

// TestHugoGolden publishes the small site under testdata/hugo/src (front
// matter with and without a translationKey, articles without front
// matter, links between articles relative and from the root, with
// anchors, titles and angle brackets, percent-encoded, in lists, quotes,
// tables and footnotes, reference definitions, links to files outside the
// site, external links, images, code) in both layouts, target and source
// pages, and compares every page with testdata/hugo/files and
// testdata/hugo/tree; -update rewrites them. Every page must also be a
// valid Hugo page (see checkHugoFile).
func TestHugoGolden(t *testing.T) {
	srcs := hugoSources(t)
	files := map[string]*File{}
	for name, src := range srcs {
		files[name] = bilingualFile(t, name, src, func(doc *markdown.Document) []string {
			targets := make([]string, len(doc.Segments))
			for i, s := range doc.Segments {
				en, ok := hugoEnglish[s.Text]
				if !ok {
					t.Fatalf("%s: no English for %q", name, s.Text)
				}
				targets[i] = en
			}
			return targets
		})
	}
	for _, layout := range []struct {
		dir  string
		tree bool
	}{{"files", false}, {"tree", true}} {
		t.Run(layout.dir, func(t *testing.T) {
			site := NewHugoSite(&HugoOptions{Tree: layout.tree})
			paths := map[string]HugoPaths{}
			for name := range files {
				p, err := site.Add(name, files[name].Header, files[name].SourceKey())
				if err != nil {
					t.Fatal(err)
				}
				paths[name] = p
			}
			got := map[string][]byte{}
			for name, f := range files {
				target, err := site.TargetPage(name, f)
				if err != nil {
					t.Fatalf("TargetPage(%s): %v", name, err)
				}
				source, err := site.SourcePage(name, f)
				if err != nil {
					t.Fatalf("SourcePage(%s): %v", name, err)
				}
				got[paths[name].Target], got[paths[name].Source] = target, source
				tk, sk := checkHugoFile(t, paths[name].Target, target), checkHugoFile(t, paths[name].Source, source)
				want := paths[name].Key
				if own := f.SourceKey(); own != "" && want != own {
					t.Errorf("%s: key %q, want the source's own %q", name, want, own)
				}
				if tk != want || sk != want {
					t.Errorf("%s: translationKey %q (target), %q (source), want %q", name, tk, sk, want)
				}
			}
			compareTree(t, filepath.Join("testdata", "hugo", layout.dir), got)
		})
	}
}

// bilingualFile writes src (from the path from) as a bilingual file with
// the given targets and reads it back.
func bilingualFile(t *testing.T, from string, src []byte, targets func(*markdown.Document) []string) *File {
	t.Helper()
	doc, err := markdown.Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBilingual(&buf, &Bilingual{From: from, Doc: doc, Targets: targets(doc)}, testFormat); err != nil {
		t.Fatalf("%s: WriteBilingual: %v", from, err)
	}
	f, err := ReadBilingual(from, buf.Bytes(), testFormat)
	if err != nil {
		t.Fatalf("%s: ReadBilingual: %v", from, err)
	}
	return f
}

// compareTree compares the files under dir with got (by slash-separated
// path under dir), or with -update writes got there, removing any other
// file.
func compareTree(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for rel, data := range got {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var want []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want = append(want, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatalf("%v (run go test ./out -run TestHugoGolden -update)", err)
	}
	var names []string
	for rel := range got {
		names = append(names, rel)
	}
	sort.Strings(names)
	sort.Strings(want)
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("pages:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	for _, rel := range names {
		w, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			continue // reported above
		}
		if !bytes.Equal(got[rel], w) {
			t.Errorf("%s differs from the golden file: %s", rel, firstDiff(w, got[rel]))
		}
	}
}
