package markdown

import (
	"strings"
	"testing"
)

// TestEscapes: a translation that Markdown would read as other syntax is
// written with escapes (or a space), and reads back with its tags.
func TestEscapes(t *testing.T) {
	tests := []struct{ name, src, target, want string }{
		{"list at line start", "一\n二\n", "one\n- two", "one\n    - two\n"},
		{"ordered list at start", "一九八六年。\n", "1986. That year.", "1986\\. That year.\n"},
		{"fence at start", "一九八六年。\n", "```go", "\\`\\`\\`go\n"},
		{"list in a list item", "- 一\n  二\n", "one\n- two", "- one\n      - two\n"},
		{"heading at start", "标签\n", "# tag", "\\# tag\n"},
		{"quote at line start", "> 一\n> 二\n", "one\n> two", "> one\n>     > two\n"},
		{"thematic break line", "一\n二\n", "one\n***", "one\n    ***\n"},
		{"setext underline", "一\n二\n", "one\n===", "one\n    ===\n"},
		{"fence", "一\n二\n", "one\n```go", "one\n    ```go\n"},
		{"indentation dropped", "一\n二\n", "one\n      two", "one\ntwo\n"},
		{"html", "见<点此>\n", "See <b>here</b>", "See \\<b>here\\</b>\n"},
		{"autolink", "见\n", "See <https://x.org>", "See \\<https\\://x.org>\n"},
		{"shortcode", "01:04:55名字:\n", "01:04:55name:", "01:04\\:55name:\n"},
		{"shortcode chain", "新京报:中央:毫\n", "xinhua:cent:ral:x", "xinhua\\:cent\\:ral:x\n"},
		{"scheme", "网址\n", "see http://x.org", "see http\\://x.org\n"},
		{"www", "网址\n", "see www.x.org", "see www\\.x.org\n"},
		{"literal stars pair", "注*。和*注。\n", "a *note* b", "a \\*note\\* b\n"},
		{"lone star", "甲3*5\n", "a3*5", "a3*5\n"},
		{"lone tilde", "3~5天\n", "3~5 days", "3~5 days\n"},
		{"backticks", "用`。\n", "use ` and `", "use \\` and \\`\n"},
		{"link brackets", "见【1】（2）\n", "see [1](2) x", "see [1\\](2) x\n"},
		{"footnote look-alike", "见\n", "see [^1]", "see \\[^1]\n"},
		{"trailing backslash before tag", "a\\\\**b**\n", "x\\<g1>y</g1>", "x\\\\**y**\n"},
		{"backslash before break", "一\n二\n", "one\\\ntwo", "one\\\\\ntwo\n"},
		{"space before soft break", "**前进：** \n下一行\n", "<g1>Forward:</g1> \nNext line", "**Forward:** \nNext line\n"},
		{"space moved out of strong", "**前进：**\n下一行\n", "<g1>Forward: </g1>\nNext", "**Forward:**\nNext\n"},
		{"after an ideographic space", "\u3000\u3000一九八六年。\n", "1986. That year.", "\u3000\u30001986. That year.\n"},
		{"empty line", "一\n二\n", "one\n\n\ntwo", "one\ntwo\n"},
		{"leading line break", "一\n二\n", "\none\ntwo", "one\ntwo\n"},
		{"table delimiter row", "一\n二\n", "a | b\n--- | ---", "a | b\n    --- | ---\n"},
		{"reference label", "见[注]。\n\n[注]: http://a.org\n", "See <x1/>, [注] and [note].", "See [注], \\[注] and \\[note].\n\n[注]: http://a.org\n"},
		{"cell pipe", "| 甲 |\n|---|\n| 乙 |\n", "a|b", "| a\\|b |\n|---|\n| 乙 |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, nil)
			targets := d.Texts()
			targets[0] = tt.target
			out, back := readBack(t, d, targets, nil)
			if out != tt.want {
				t.Errorf("Assemble(%q) = %q, want %q", tt.target, out, tt.want)
			}
			if strings.ReplaceAll(back[0], "\\", "") != strings.ReplaceAll(tt.target, "\\", "") &&
				strings.Join(strings.Fields(back[0]), " ") != strings.Join(strings.Fields(strings.ReplaceAll(tt.target, "\\", "")), " ") {
				t.Logf("read back as %q", back[0]) // text may differ by escapes and white space, never by tags
			}
		})
	}
}

// TestBareURLs: where a bare URL ends, in the source and next to a
// translation.
func TestBareURLs(t *testing.T) {
	tests := []struct{ name, src, url, target, want string }{
		{"filename", "文件https://ipfs.io/ipfs/Q1?filename=病毒溯源.mp4 下载\n", "https://ipfs.io/ipfs/Q1?filename=病毒溯源.mp4",
			"File<x1/> download", "File https://ipfs.io/ipfs/Q1?filename=病毒溯源.mp4 download\n"},
		{"filename with punctuation", "见 https://c.com/ipfs/Q?filename=习：别看，拉清单.mp4 。\n", "https://c.com/ipfs/Q?filename=习：别看，拉清单.mp4",
			"See <x1/> .", "See https://c.com/ipfs/Q?filename=习：别看，拉清单.mp4 .\n"},
		{"tag path", "见https://gnews.org/zh-hans/tag/文贵先生/）。\n", "https://gnews.org/zh-hans/tag/文贵先生/",
			"See <x1/>).", "See https://gnews.org/zh-hans/tag/文贵先生/).\n"},
		{"prose after", "见https://x.org/a是一个网站。\n", "https://x.org/a",
			"See <x1/>is a site.", "See https://x.org/a is a site.\n"},
		{"date in name", "见https://i.io/a?filename=7月18日.mp4。\n", "https://i.io/a?filename=7月18日.mp4",
			"See <x1/>.", "See https://i.io/a?filename=7月18日.mp4.\n"},
		{"escapes", "推特 https://x.com/Focus\\_777/status/1 好\n", "https://x.com/Focus\\_777/status/1",
			"Twitter <x1/> good", "Twitter https://x.com/Focus\\_777/status/1 good\n"},
		{"www grows", "见 www.x.com是\n", "www.x.com", "See <x1/>is", "See www.x.com is\n"},
		{"no-break space", "网站http://GUOMEDIA7.NET\u00a0所谓\n", "http://GUOMEDIA7.NET",
			"site<x1/>\u00a0so-called", "site http://GUOMEDIA7.NET\u00a0so-called\n"},
		{"underscore after", "见https://x.org/a。\n", "https://x.org/a", "See <x1/>_x_", "See https://x.org/a \\_x\\_\n"},
		// Glued to "。", the source's URL is not linkified and ends where
		// emphasis, a code span or a link starts; after a space, linkify
		// would take their delimiters into the URL.
		{"emphasis after", "见。https://x.org/a?f=(4)_NAME_[1]_b\n", "https://x.org/a?f=(4)",
			"See <x1/><g2>NAME</g2>[1]_b", "See https://x.org/a?f=(4) _NAME_[1]_b\n"},
		{"code span after", "见。https://x.org/a`b`c\n", "https://x.org/a", "See <x1/><x2/>c", "See https://x.org/a `b`c\n"},
		{"link after", "见。https://x.org/a[链接](b)\n", "https://x.org/a", "See <x1/><g2>link</g2>", "See https://x.org/a [link](b)\n"},
		{"escape then strong closer", "**视频链接**：**https://youtu.be/PJW\\_zshCPQE**\n", "https://youtu.be/PJW\\_zshCPQE",
			"<g1>Video link</g1>: <g2><x3/></g2>", "**Video link**: **https://youtu.be/PJW\\_zshCPQE**\n"},
		// An e-mail address glued to Chinese is not linkified; after the
		// space a translation puts before it, it is: both are one autolink.
		{"e-mail glued", "这个信箱LiuGangNY@gmail.com，乍一看\n", "LiuGangNY@gmail.com",
			"This mailbox <x1/>, at first glance", "This mailbox LiuGangNY@gmail.com, at first glance\n"},
		{"e-mail in a URL", "见https://x.org/u/a@b.com/c。\n", "https://x.org/u/a@b.com/c", "See <x1/>.", "See https://x.org/u/a@b.com/c.\n"},
		{"emphasis after, corpus", "阴影[[zh:导弹]]的杰作。https://ipfs.gnews.org/ipfs/Qmdd?filename=(4)_NOELREPORTS_[e-1f1ea][e-1f1fa]_[e-1f1fa][e-1f1e6]_在_Twitter___The_missile_hit_on_Chonhar_bridge_https___t.co_qVZTqG8bmG____Twitter.mp4\n",
			"https://ipfs.gnews.org/ipfs/Qmdd?filename=(4)",
			"Shadow <g1>Kexa</g1> Wuzhamao. <x2/><g3>NOELREPORTS</g3>[e-1f1ea][e-1f1fa]_[e-1f1fa][e-1f1e6]_Ni_Twitter___The_missile_hit_on_Chonhar_bridge_https___t.co_qVZTqG8bmG____Twitter.mp4",
			"Shadow [[zh:导弹|Kexa]] Wuzhamao. https://ipfs.gnews.org/ipfs/Qmdd?filename=(4) _NOELREPORTS_[e-1f1ea][e-1f1fa]_[e-1f1fa][e-1f1e6]_Ni_Twitter___The_missile_hit_on_Chonhar_bridge_https___t.co_qVZTqG8bmG____Twitter.mp4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, nil)
			var urls []string
			for _, tg := range d.Segments[0].Tags {
				if tg.Kind == AutolinkTag {
					urls = append(urls, tg.Open)
				}
			}
			if len(urls) != 1 || urls[0] != tt.url {
				t.Fatalf("Parse(%q) URLs = %q, want %q (text %q)", tt.src, urls, tt.url, d.Segments[0].Text)
			}
			out, _ := readBack(t, d, []string{tt.target}, nil)
			if out != tt.want {
				t.Errorf("Assemble(%q) = %q, want %q", tt.target, out, tt.want)
			}
		})
	}
}

// TestImagesAndTitles: alt text and titles are translated in place, URLs
// stay byte for byte.
func TestImagesAndTitles(t *testing.T) {
	tests := []struct{ name, src, text, target, want string }{
		{"image alone", "![图片说明](https://e.org/a.png)\n", "<g1>图片说明</g1>",
			"<g1>Caption</g1>", "![Caption](https://e.org/a.png)\n"},
		{"titles", "见![图](a.png \"标题\")和[链接](b '链接标题')。\n", "见<g1>图</g1><g2>标题</g2>和<g3>链接</g3><g4>链接标题</g4>。",
			"See <g1>pic</g1><g2>A \"title\"</g2> and <g3>link</g3><g4>It's</g4>.",
			"See ![pic](a.png \"A \\\"title\\\"\") and [link](b 'It\\'s').\n"},
		{"title moved", "见[链接](b \"标题\")。\n", "见<g1>链接</g1><g2>标题</g2>。",
			"<g2>Title</g2>See <g1>link</g1>.", "See [link](b \"Title\").\n"},
		{"title dropped", "见[链接](b \"标题\")。\n", "见<g1>链接</g1><g2>标题</g2>。",
			"See <g1>link</g1>.", "See [link](b).\n"},
		{"title in parentheses", "见[链接](b (标题))。\n", "见<g1>链接</g1><g2>标题</g2>。",
			"See <g1>link</g1><g2>a (b) c</g2>.", "See [link](b (a \\(b\\) c)).\n"},
		{"title unchanged", "见[链接](b \"标题\")。\n", "见<g1>链接</g1><g2>标题</g2>。",
			"See <g1>link</g1><g2>标题</g2>.", "See [link](b \"标题\").\n"},
		{"reference image", "见![图][r]。\n\n[r]: a.png\n", "见<g1>图</g1>。",
			"See <g1>pic</g1>.", "See ![pic][r].\n\n[r]: a.png\n"},
		{"badge", "[![构建](b.svg)](https://ci)状态\n", "<g1><g2>构建</g2></g1>状态",
			"<g1><g2>build</g2></g1> status", "[![build](b.svg)](https://ci) status\n"},
		{"alt with brackets", "![图](a.png)\n", "<g1>图</g1>", "<g1>Fig [1]</g1>", "![Fig [1]](a.png)\n"},
		{"alt with a lone bracket", "![图](a.png)\n", "<g1>图</g1>", "<g1>Fig [1</g1>", "![Fig \\[1](a.png)\n"},
		{"text making a link", "见【图】（一）\n", "见【图】（一）", "See [fig](one)", "See [fig\\](one)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, nil)
			if got := d.Segments[0].Text; got != tt.text {
				t.Fatalf("Parse text = %q, want %q", got, tt.text)
			}
			targets := d.Texts()
			targets[0] = tt.target
			out, back := readBack(t, d, targets, nil)
			if out != tt.want {
				t.Errorf("Assemble(%q) = %q, want %q", tt.target, out, tt.want)
			}
			if again, err := d.Assemble(back); err != nil || string(again) != out {
				t.Errorf("Assemble(read back %q) = %q, %v; want %q", back, again, err, out)
			}
		})
	}
}

// TestImagesSkeleton: images with nothing to translate stay skeleton.
func TestImagesSkeleton(t *testing.T) {
	for _, src := range []string{"![](https://e.org/a.png)\n", "![123](a.png)\n", "![img][]\n\n[img]: a.png\n"} {
		if d := parseWith(t, src, nil); len(d.Segments) != 0 {
			t.Errorf("Parse(%q) segments %q, want none", src, d.Texts())
		}
	}
}

// TestAlignImages: a reviewer may change alt text and titles, not URLs.
func TestAlignImages(t *testing.T) {
	d := parseWith(t, "见![图](a.png \"标题\")。\n", nil)
	tests := []struct {
		edited, want string
		ok           bool
	}{
		{"See ![pic](a.png \"Title\").\n", "See <g1>pic</g1><g2>Title</g2>.", true},
		{"See ![](a.png \"Title\").\n", "See <g1></g1>.", true},
		{"See ![pic](a.png).\n", "See <g1>pic</g1>.", true},
		{"See ![pic](b.png \"Title\").\n", "", false},
	}
	for _, tt := range tests {
		like, err := ParseFragment([]byte(tt.edited), d, nil)
		if err != nil || len(like.Segments) != 1 {
			t.Fatalf("ParseFragment(%q): %v", tt.edited, err)
		}
		got, err := AlignTags(d.Segments[0], like.Segments[0])
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("AlignTags(%q) = %q, %v; want %q, ok %v", tt.edited, got, err, tt.want, tt.ok)
		}
	}
}

// TestUppercaseURL: a URL in capitals is a URL too, also in link text.
func TestUppercaseURL(t *testing.T) {
	d := parseWith(t, "盖特：[HTTPS://GETTR.COM/USER/X](https://gettr.com/USER/X)和HTTP://A.ORG/B。\n", nil)
	if got, want := d.Segments[0].Text, "盖特：<g1><x2/></g1>和<x3/>。"; got != want {
		t.Fatalf("text = %q, want %q", got, want)
	}
	out, _ := readBack(t, d, []string{"Gettr: <g1><x2/></g1> and<x3/>."}, nil)
	if want := "Gettr: [HTTPS://GETTR.COM/USER/X](https://gettr.com/USER/X) and HTTP://A.ORG/B.\n"; out != want {
		t.Errorf("Assemble = %q, want %q", out, want)
	}
}
