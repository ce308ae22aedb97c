package openaichat_test

import (
	"context"
	"fmt"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

// BenchmarkTranslate measures the engine's own cost per 40-segment batch
// (building the payload, reading and validating the reply) beside a bare
// go-openai call carrying the same payload to the same fake server, in the
// same run: compare the two ns/op.
func BenchmarkTranslate(b *testing.B) {
	srv := openaitest.NewServer(nil)
	defer srv.Close()
	segs := make([]string, 40)
	for i := range segs {
		segs[i] = fmt.Sprintf("美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了第%d次<g1>峰会</g1>。<x2/>", i)
	}
	req := zhEn(segs...)

	b.Run("bare-go-openai", func(b *testing.B) {
		cfg := openai.DefaultConfig("sk-test-CANARY-0000")
		cfg.BaseURL = srv.URL
		client := openai.NewClientWithConfig(cfg)
		p := openaichat.Payload{SourceLanguage: "zh", TargetLanguage: "en"}
		for i, s := range segs {
			p.Segments = append(p.Segments, openaichat.PayloadSegment{ID: openaichat.SegmentID(i), Text: s})
		}
		body := mustJSON(b, p)
		for b.Loop() {
			_, err := client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
				Model:    "gpt-4o-mini",
				Messages: []openai.ChatCompletionMessage{{Role: "system", Content: openaichat.DefaultSystemPrompt}, {Role: "user", Content: body}},
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine", func(b *testing.B) {
		tr, err := openaichat.NewTranslator(&openaichat.Options{Getenv: env{"OPENAI_API_KEY": canary, "OPENAI_BASE_URL": srv.URL}.get})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := tr.Translate(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mustJSON(b *testing.B, v any) string {
	b.Helper()
	s, err := jsonString(v)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
