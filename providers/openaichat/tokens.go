package openaichat

import (
	"strings"
	"sync"
	"unicode"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// segmentOverhead is the tokens a segment costs beyond its text: its id and
// the JSON around it, in the request and again in the reply.
const segmentOverhead = 8

// encodings caches tiktoken encoders by name. tiktoken-go keeps its BPE
// loader in a package variable; it is set once, to the offline loader,
// before the first encoder is built, so no BPE file is ever downloaded.
var encodings = struct {
	once sync.Once
	mu   sync.Mutex
	m    map[string]*tiktoken.Tiktoken
}{m: map[string]*tiktoken.Tiktoken{}}

func encoder(name string) *tiktoken.Tiktoken {
	encodings.once.Do(func() { tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader()) })
	encodings.mu.Lock()
	defer encodings.mu.Unlock()
	if e, ok := encodings.m[name]; ok {
		return e
	}
	e, err := tiktoken.GetEncoding(name)
	if err != nil {
		e = nil // fall back to the character estimate
	}
	encodings.m[name] = e
	return e
}

// encodingFor returns the tiktoken encoding of an OpenAI model family, or ""
// for models tiktoken does not describe (DeepSeek, Qwen, Llama, ...).
func encodingFor(model string) string {
	m := strings.ToLower(model)
	if i := strings.LastIndexByte(m, '/'); i >= 0 { // "openai/gpt-4o" on routers
		m = m[i+1:]
	}
	switch {
	case strings.HasPrefix(m, "gpt-4o"), strings.HasPrefix(m, "gpt-4.1"), strings.HasPrefix(m, "gpt-4.5"),
		strings.HasPrefix(m, "gpt-5"), strings.HasPrefix(m, "chatgpt-"), strings.HasPrefix(m, "gpt-oss"),
		strings.HasPrefix(m, "o1"), strings.HasPrefix(m, "o3"), strings.HasPrefix(m, "o4"):
		return "o200k_base"
	case strings.HasPrefix(m, "gpt-4"), strings.HasPrefix(m, "gpt-3.5"):
		return "cl100k_base"
	}
	return ""
}

// counter counts tokens the way the configured model does, as well as can
// be known offline.
type counter struct {
	encoding string // "" means the character estimate
}

func newCounter(model string) counter { return counter{encoding: encodingFor(model)} }

func (c counter) count(s string) int {
	if s == "" {
		return 0
	}
	if c.encoding != "" {
		if e := encoder(c.encoding); e != nil {
			return len(e.EncodeOrdinary(s))
		}
	}
	return estimateTokens(s)
}

// estimateTokens is the character estimate for models without a known
// tokenizer. It errs high, since it decides batch sizes: a CJK character
// is about one token in most open models' vocabularies, other text about
// one token per four bytes.
func estimateTokens(s string) int {
	var cjk, other int
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			cjk++
		case r < 0x80:
			other++
		default:
			other += 2
		}
	}
	return cjk + (other+3)/4
}
