package markdown

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const nestedFrontMatter = `---
title: 标题
cover:
  image: a.jpg
  alt: 封面图片
  caption: "带引号的说明"
tags:
  - 中国
  - "美国: 政治"
  - 2021
categories: [新闻, '评论', "a, b"]   # flow
nested:
  deeper:
    text: 深层文字
  other: 不选
description: |
  多行
  文字
list:
- 紧凑的列表
summary: 摘要
---
正文
`

func TestFrontMatterPaths(t *testing.T) {
	opts := &Options{FrontMatterFields: []string{"title", "cover.alt", "cover.caption", "tags", "categories",
		"nested.deeper.text", "description", "list", "summary", "other"}}
	d := parseWith(t, nestedFrontMatter, opts)
	want := []string{"标题", "封面图片", "带引号的说明", "中国", "美国: 政治", "新闻", "评论", "a, b", "深层文字", "紧凑的列表", "摘要", "正文"}
	if diff := cmp.Diff(want, d.Texts()); diff != "" {
		t.Fatalf("texts (-want +got):\n%s", diff)
	}
	targets := []string{"Title", "Cover: picture", "A \"quoted\" caption", "China", "US: politics", "News, more", "It's a review",
		"a, b", "Deep text", "- compact", "Summary", "Body"}
	out, err := d.Assemble(targets)
	if err != nil {
		t.Fatal(err)
	}
	wantOut := `---
title: Title
cover:
  image: a.jpg
  alt: "Cover: picture"
  caption: "A \"quoted\" caption"
tags:
  - China
  - "US: politics"
  - 2021
categories: ["News, more", 'It''s a review', "a, b"]   # flow
nested:
  deeper:
    text: Deep text
  other: 不选
description: |
  多行
  文字
list:
- "- compact"
summary: Summary
---
Body
`
	if diff := cmp.Diff(wantOut, string(out)); diff != "" {
		t.Errorf("Assemble (-want +got):\n%s", diff)
	}
	// The written front matter reads back as the translations.
	back, err := Parse(out, opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(targets, back.Texts()); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

func TestFrontMatterDefaults(t *testing.T) {
	d := parseWith(t, nestedFrontMatter, nil)
	if diff := cmp.Diff([]string{"标题", "摘要", "正文"}, d.Texts()); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}
