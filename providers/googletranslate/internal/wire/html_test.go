package wire

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeHTML(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"纯文本。", "纯文本。"},
		{"a < b && c > d", "a &lt; b &amp;&amp; c > d"},
		{`引号 "x" 'y'`, `引号 "x" 'y'`},
		{"点击<x1/>查看", `点击<span translate="no" id="x1"></span>查看`},
		{"<g1>链接</g1>文字", `<span id="g1">链接</span>文字`},
		{"<g1>外<g2>内</g2><x3/></g1>", `<span id="g1">外<span id="g2">内</span><span translate="no" id="x3"></span></span>`},
		// Not well nested (a piece of a split segment): every tag protected.
		{"<g1>开头。", `<span translate="no" id="g1"></span>开头。`},
		{"结尾</g1>。", `结尾<span translate="no" id="e1"></span>。`},
		{"<x01/> is text", "&lt;x01/> is text"},
		{"crlf\r\nline", "crlf&#13;\nline"},
	}
	for _, tt := range tests {
		if got := Encode(tt.in); got != tt.want {
			t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"entities", "It&#39;s &quot;quoted&quot; &amp; a &lt; b &gt; c", `It's "quoted" & a < b > c`},
		{"nbsp and numeric", "a&nbsp;b &#x4E2D;", "a\u00a0b 中"},
		{"standalone", `Click <span translate="no" id="x1"></span> here`, "Click <x1/> here"},
		{"attribute order and style", `<span id="x1" style="direction:rtl" translate="no"></span>`, "<x1/>"},
		{"single quotes and case", `<SPAN ID='g2'>Link</SPAN>`, "<g2>Link</g2>"},
		{"bare attribute values", `<span translate=no id=x4></span>`, "<x4/>"},
		{"self-closing", `a<span translate="no" id="x1"/>b`, "a<x1/>b"},
		{"moved", `<span translate="no" id="x2"></span>B <span id="g1">A</span>`, "<x2/>B <g1>A</g1>"},
		{"nested", `<span id="g1">a<span id="g2">b</span></span>`, "<g1>a<g2>b</g2></g1>"},
		{"unbalanced pieces", `<span translate="no" id="g1"></span>x<span translate="no" id="e1"></span>`, "<g1>x</g1>"},
		{"stray lt", "a < b", "a < b"},
		{"text in protected span kept", `<span translate="no" id="x1">kept</span>`, "<x1/>kept"},
		{"carriage return", "a&#13;\nb", "a\r\nb"},
		{"style added for RTL", `<span id="g1" style="direction: rtl">مرحبا</span>`, "<g1>مرحبا</g1>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err != nil {
				t.Fatalf("Decode(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Decode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeHTMLErrors(t *testing.T) {
	for _, in := range []string{
		`<b>bold</b>`,                           // an element we never send
		`<span>no id</span>`,                    // span without id
		`<span id="q1">x</span>`,                // unknown id
		`<span id="x1">x</span>`,                // standalone without translate=no
		`<span id="g1">open`,                    // left open
		`close</span>`,                          // closed with nothing open
		`<span translate="no" id="x0"></span>`,  // id with leading zero
		`<span translate="no" id="x+1"></span>`, // id with a sign
		`a<!-- comment -->b`,                    // markup never sent
		`a</3 b>c`,                              // a bogus comment
		`<span id="g1">x</b></span>`,            // a stray end tag
	} {
		if got, err := Decode(in); !errors.Is(err, ErrReply) {
			t.Errorf("Decode(%q) = %q, %v; want an ErrReply", in, got, err)
		}
	}
}

func TestHTMLRoundTrip(t *testing.T) {
	for _, s := range []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了<g1>峰会</g1>。<x2/>",
		"<g1><g2><g3>三层</g3></g2></g1>",
		"&amp; stays &amp; <not a tag> </g> <x/> <g0>",
		"行内\u2028分隔符\ufeff",
		"CRLF\r\nline\rand\x00NUL",
		"<script>x</script> <title>t</title> &lt;",
		"<g1>unbalanced",
		"",
	} {
		if got, err := Decode(Encode(s)); err != nil || got != s {
			t.Errorf("Decode(Encode(%q)) = %q, %v", s, got, err)
		}
	}
}

// FuzzHTMLRoundTrip checks that decoding what we encode gives the neutral
// text back, and that decoding arbitrary replies never panics.
func FuzzHTMLRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a<x1/>b", "<g1>x</g1>", "&lt;", "<g1>", "</g2><g1>", `<span id="g1">`, "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Decode(s) // must not panic
		if !utf8.ValidString(s) {
			return
		}
		got, err := Decode(Encode(s))
		if err != nil {
			t.Fatalf("Decode(Encode(%q)) error: %v", s, err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Fatalf("round trip of %q (-want +got):\n%s", s, diff)
		}
		if strings.Contains(Encode(s), "<x") {
			t.Fatalf("Encode(%q) leaked a neutral tag", s)
		}
	})
}
