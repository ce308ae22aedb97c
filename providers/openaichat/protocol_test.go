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
		{"leaked think at the end", "内容。", "Content. <thinking>check tags</thinking>", zh, en, ErrLeak},
		{"think in the source kept", "标签<think>不变。", "The tag <think> stays.", zh, en, nil},
		// Preambles inside a segment are rejected, never cut away.
		{"preamble", "美国总统拜登。", "Here is the translation: US President Biden.", zh, en, ErrPreamble},
		{"preamble english", "美国总统拜登。", "Here's the English translation:\n\nUS President Biden.", zh, en, ErrPreamble},
		{"preamble sure", "美国总统拜登。", "Sure! Here is the translated text: US President Biden.", zh, en, ErrPreamble},
		{"preamble label", "美国总统拜登。", "Translation: US President Biden.", zh, en, ErrPreamble},
		{"preamble chinese", "Biden met Putin.", "以下是翻译：拜登会见了普京。", en, zh, ErrPreamble},
		{"preamble after a tag", "<x1/>美国总统。", "<x1/>Here is the translation: the US president.", zh, en, ErrPreamble},
		{"source speaks of translating", "翻译：张三", "Translation: Zhang San", zh, en, nil},
		{"ok here is the plan", "好的，计划如下。", "OK, here is the plan.", zh, en, nil},
		{"here are the facts", "以下是事实。", "Here are the facts.", zh, en, nil},
		// Notes after the translation likewise.
		{"note", "美国总统拜登。", "US President Biden.\n\nNote: \"总统\" means president.", zh, en, ErrNote},
		{"note in brackets", "美国总统拜登。", "US President Biden. (Note: literally \"beautiful country\".)", zh, en, ErrNote},
		{"translator's note", "美国总统拜登。", "US President Biden. Translator's note: a title.", zh, en, ErrNote},
		{"source has a note", "注：数据来自官方。", "Note: the data are official.", zh, en, nil},
		{"source note at the end", "数据如下。备注：单位为万元。", "The data follow. Note: in units of 10,000 yuan.", zh, en, nil},
		{"please note", "请注意安全。", "Please note safety.", zh, en, nil},
		{"notebook", "笔记本电脑。", "A notebook computer. Notes: none.", zh, en, nil},
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
		status         int
		code, typ, msg string
		want           providers.Class
	}{
		{429, "rate_limit_exceeded", "requests", "", providers.Retryable},
		{429, "insufficient_quota", "insufficient_quota", "", providers.Permanent},
		{429, "", "insufficient_quota", "", providers.Permanent},
		{429, "", "", "You exceeded your current quota, please check your plan", providers.Permanent},
		{400, "context_length_exceeded", "invalid_request_error", "", providers.TooLarge},
		{400, "string_above_max_length", "invalid_request_error", "", providers.TooLarge},
		// vLLM and llama.cpp say so in words or their own type.
		{400, "", "BadRequestError", "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens", providers.TooLarge},
		{400, "", "exceed_context_size_error", "the request exceeds the available context size", providers.TooLarge},
		{413, "", "", "", providers.TooLarge},
		{400, "", "invalid_request_error", "Unsupported parameter: 'temperature'", providers.Permanent},
		{401, "invalid_api_key", "", "", providers.Permanent},
		{403, "", "", "", providers.Permanent},
		{404, "model_not_found", "", "", providers.Permanent},
		{500, "", "server_error", "", providers.Retryable},
		{503, "", "", "", providers.Retryable},
		{408, "", "", "", providers.Retryable},
		{0, "", "", "an error object in a 200", providers.BadReply},
	}
	for _, tt := range tests {
		if got := classForAPIError(tt.status, tt.code, tt.typ, tt.msg); got != tt.want {
			t.Errorf("classForAPIError(%d, %q, %q, %q) = %v, want %v", tt.status, tt.code, tt.typ, tt.msg, got, tt.want)
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
