package openaichat

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func TestExtractReply(t *testing.T) {
	const js = `{"translations":[{"id":"s1","text":"Hello <x1/>"},{"id":"s2","text":"World"}]}`
	want := Reply{Translations: []PayloadSegment{{ID: "s1", Text: "Hello <x1/>"}, {ID: "s2", Text: "World"}}}
	tests := []struct {
		name, content string
	}{
		{"plain", js},
		{"spaces", "\n  " + js + "\n"},
		{"fence", "```json\n" + js + "\n```"},
		{"bare fence", "```\n" + js + "\n```"},
		{"think", "<think>\nLet me think {about} it.\n</think>\n" + js},
		{"thinking", "<thinking>draft {\"translations\":[]}</thinking>" + js},
		{"open tag stripped", "reasoning goes here {draft}\n</think>\n\n" + js},
		{"preamble", "Here is the translation:\n" + js},
		{"preamble with brace", "Sure {no json here} — here you go:\n```json\n" + js + "\n```\nNote: done."},
		{"trailer", js + "\n\nI hope this helps!"},
		{"map form", `{"translations":{"s1":"Hello <x1/>","s2":"World"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extractReply(tt.content)
			if err != nil {
				t.Fatalf("extractReply(%q) error: %v", tt.content, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("extractReply(%q) (-want +got):\n%s", tt.content, diff)
			}
		})
	}
	// A closing tag inside a translation's string is data, not a boundary.
	tricky := `{"translations":[{"id":"s1","text":"a </think> {\"translations\":[{\"id\":\"s1\",\"text\":\"X\"}]}"}]}`
	got, err := extractReply(tricky)
	if err != nil || len(got.Translations) != 1 || !strings.HasPrefix(got.Translations[0].Text, "a </think>") {
		t.Errorf("extractReply(tricky) = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "I can't help with that.", `{"translations": [`, `{"other": 1}`, "<think>never ends {", `{"translations":"x"}`} {
		if r, err := extractReply(bad); err == nil {
			t.Errorf("extractReply(%q) = %+v, want an error", bad, r)
		}
	}
}

func TestMatchIDs(t *testing.T) {
	seg := func(ids ...string) Reply {
		var r Reply
		for _, id := range ids {
			r.Translations = append(r.Translations, PayloadSegment{ID: id, Text: "t" + id})
		}
		return r
	}
	got, err := matchIDs(seg("s2", "s1", "s3"), 3)
	if err != nil || !cmp.Equal(got, []string{"ts1", "ts2", "ts3"}) {
		t.Errorf("matchIDs(reordered) = %q, %v", got, err)
	}
	for _, r := range []Reply{seg("s1", "s2"), seg("s1", "s1", "s2", "s3"), seg("s1", "s2", "s3", "s4"), seg("s1", "s02", "s3"), seg("1", "2", "3")} {
		if _, err := matchIDs(r, 3); providers.ClassOf(err) != providers.BadReply {
			t.Errorf("matchIDs(%v) error = %v, want bad reply", r, err)
		}
	}
}

func TestCheckSegment(t *testing.T) {
	zh, en, fr, ja := language.Chinese, language.English, language.French, language.Japanese
	tests := []struct {
		name        string
		src, out    string
		source, tgt language.Tag
		want        error // nil, a sentinel, or tags.ErrMismatch
	}{
		{"good", "美国总统<x1/>。", "The US president<x1/>.", zh, en, nil},
		{"empty", "你好。", "  ", zh, en, ErrEmpty},
		{"dropped tag", "点击<x1/>。", "Click.", zh, en, tags.ErrMismatch},
		{"echo", "美国总统拜登。", "美国总统拜登。", zh, en, ErrEcho},
		{"mostly Han", "美国总统拜登和普京会面。", "美国总统拜登 met 普京。", zh, en, ErrUntranslated},
		{"name in brackets", "李白。", "Li Bai (李白).", zh, en, nil},
		{"english quote kept", "Hello world, this is a quote.", "Hello world, this is a quote.", zh, en, nil},
		{"numbers only", "2021年", "2021", zh, en, nil},
		{"refusal", "政治敏感内容。", "I can't help with that.", zh, en, ErrRefusal},
		{"refusal curly", "内容。", "I’m sorry, but I can’t assist with that request.", zh, en, ErrRefusal},
		{"leaked think", "内容。", "<think>hmm</think> Content.", zh, en, ErrLeak},
		{"zh to ja shares Han", "東京。", "東京。", zh, ja, nil},
		{"same language", "Hello.", "Hello.", en, en, nil},
		{"en to fr short echo ok", "Microsoft Windows", "Microsoft Windows", en, fr, nil},
		{"en to fr long echo", "This sentence was clearly not translated at all.", "This sentence was clearly not translated at all.", en, fr, ErrEcho},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSegment(tt.src, tt.out, tt.source, tt.tgt)
			if tt.want == nil {
				if err != nil {
					t.Errorf("checkSegment(%q, %q) = %v, want nil", tt.src, tt.out, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("checkSegment(%q, %q) = %v, want %v", tt.src, tt.out, err, tt.want)
			}
		})
	}
}

func TestAddZeroTemperature(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"model":"m","messages":[]}`, `{"temperature":0,"model":"m","messages":[]}`},
		{`{}`, `{"temperature":0}`},
		{`{"temperature":0.5,"model":"m"}`, `{"temperature":0.5,"model":"m"}`},
		{`[1]`, `[1]`},
	}
	for _, tt := range tests {
		if got := string(addZeroTemperature([]byte(tt.in))); got != tt.want {
			t.Errorf("addZeroTemperature(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestClassForAPIError(t *testing.T) {
	tests := []struct {
		status    int
		code, typ string
		want      providers.Class
	}{
		{429, "rate_limit_exceeded", "requests", providers.Retryable},
		{429, "insufficient_quota", "insufficient_quota", providers.Permanent},
		{429, "", "insufficient_quota", providers.Permanent},
		{400, "context_length_exceeded", "invalid_request_error", providers.Permanent},
		{401, "invalid_api_key", "", providers.Permanent},
		{403, "", "", providers.Permanent},
		{404, "model_not_found", "", providers.Permanent},
		{500, "", "server_error", providers.Retryable},
		{503, "", "", providers.Retryable},
		{408, "", "", providers.Retryable},
	}
	for _, tt := range tests {
		if got := classForAPIError(tt.status, tt.code, tt.typ, ""); got != tt.want {
			t.Errorf("classForAPIError(%d, %q, %q) = %v, want %v", tt.status, tt.code, tt.typ, got, tt.want)
		}
	}
}

func TestEstimateTokens(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"你好世界", 4},
		{"abcd", 1},
		{"abcde", 2},
		{"日本語とカタカナ", 8},
	}
	for _, tt := range tests {
		if got := estimateTokens(tt.s); got != tt.want {
			t.Errorf("estimateTokens(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func FuzzExtractReply(f *testing.F) {
	for _, s := range []string{
		`{"translations":[{"id":"s1","text":"x"}]}`,
		"<think>a</think>```json\n{\"translations\":{\"s1\":\"y\"}}\n```",
		"Here: {", "</think>{}", `{"translations":[{"id":"s1"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := extractReply(s)
		if err != nil {
			return
		}
		if _, err := matchIDs(r, len(r.Translations)); err != nil && providers.ClassOf(err) != providers.BadReply {
			t.Errorf("matchIDs error class %v", providers.ClassOf(err))
		}
	})
}
