package providers_test

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diglot/diglot/providers"
)

const key = "sk-test-CANARY-0123456789abcdef"

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"whole key", "Incorrect API key provided: " + key + ".", "Incorrect API key provided: [REDACTED]."},
		{"twice", key + " and " + key, "[REDACTED] and [REDACTED]"},
		{"prefix of 12", "key sk-test-CANA… refused", "key [REDACTED]… refused"},
		{"middle of 12", "…CANARY-01234…", "…[REDACTED]…"},
		{"suffix", "ends in 456789abcdef", "ends in [REDACTED]"},
		{"masked middle", "sk-test-CANARY****3456789abcdef", "[REDACTED]****[REDACTED]"},
		{"11 bytes stay", "sk-test-CAN is a prefix", "sk-test-CAN is a prefix"},
		{"last four stay", "key ending in cdef", "key ending in cdef"},
		{"nothing", "server error", "server error"},
		{"empty", "", ""},
		{"in a URL", "https://h/v2?key=" + key + "&q=x", "https://h/v2?key=[REDACTED]&q=x"},
	}
	for _, tt := range tests {
		if got := providers.Redact(tt.in, key); got != tt.want {
			t.Errorf("%s: Redact(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// A key shorter than 12 bytes is hidden where it occurs whole.
	if got := providers.Redact("key abc123xyz refused", "abc123xyz"); got != "key [REDACTED] refused" {
		t.Errorf("short key: %q", got)
	}
	// No key, or a trivially short one, hides nothing.
	for _, secret := range []string{"", "abc"} {
		if got := providers.Redact("abc abc", secret); got != "abc abc" {
			t.Errorf("Redact with secret %q = %q", secret, got)
		}
	}
}

func TestRedactError(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/v1?key=" + key,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	err := providers.RedactError(fmt.Errorf("openaichat: %w", dial), key)
	if strings.Contains(err.Error(), "CANARY") {
		t.Errorf("RedactError kept the key: %v", err)
	}
	if !providers.IsUnreachable(err) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("RedactError(%v) lost the chain", err)
	}
	plain := errors.New("no secret here")
	if got := providers.RedactError(plain, key); got != plain {
		t.Errorf("RedactError changed an error with nothing to hide: %v", got)
	}
	if providers.RedactError(nil, key) != nil {
		t.Error("RedactError(nil) != nil")
	}
}

// FuzzRedact checks that no 12-byte window of a redacted message is a piece
// of the (alphanumeric) secret, and that text without the secret is left
// alone.
func FuzzRedact(f *testing.F) {
	f.Add("Incorrect API key provided: sk-test-CANARY-0123456789abcdef.", "sktestCANARY0123456789abcdef")
	f.Add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa")
	f.Add("xyz", "abcdefghijklmnop")
	f.Fuzz(func(t *testing.T, s, secret string) {
		for _, r := range secret {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
				return
			}
		}
		got := providers.Redact(s, secret)
		if len(secret) < 4 {
			if got != s {
				t.Fatalf("Redact(%q, %q) = %q; short secrets hide nothing", s, secret, got)
			}
			return
		}
		least := min(providers.RedactMin, len(secret))
		for i := 0; i+least <= len(got); i++ {
			if strings.Contains(secret, got[i:i+least]) {
				t.Fatalf("Redact(%q, %q) = %q still holds %q", s, secret, got, got[i:i+least])
			}
		}
		if !strings.Contains(got, providers.Redacted) && got != s {
			t.Fatalf("Redact(%q, %q) = %q changed text without redacting", s, secret, got)
		}
	})
}

func TestIsLocalURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:11434/v1", true},
		{"127.0.0.1:8080/v1", true},
		{"http://localhost:8000/v1", true},
		{"http://[::1]:8080/v1", true},
		{"http://10.0.3.7:8000/v1", true},
		{"http://192.168.1.20/v1", true},
		{"http://172.16.0.5/v1", true},
		{"http://[fd00::5]/v1", true},
		{"http://169.254.1.1/v1", true},
		{"http://0.0.0.0:8080/v1", true},
		{"http://ollama:11434/v1", true},
		{"http://host.docker.internal:11434/v1", true},
		{"http://gpu-box.local:8000/v1", true},
		{"http://app.localhost/v1", true},
		{"https://api.openai.com/v1", false},
		{"https://api.deepseek.com/v1", false},
		{"https://my-resource.openai.azure.com", false},
		{"http://8.8.8.8/v1", false},
		{"https://localhost.example.com/v1", false},
		{"", false},
		{"http://", false},
		{"::not a url", false},
	}
	for _, tt := range tests {
		if got := providers.IsLocalURL(tt.url); got != tt.want {
			t.Errorf("IsLocalURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestKeyError(t *testing.T) {
	err := fmt.Errorf("openaichat: %w", &providers.KeyError{Env: "OPENAI_API_KEY", Hint: "export it"})
	if !errors.Is(err, providers.ErrNoKey) {
		t.Errorf("errors.Is(%v, ErrNoKey) = false", err)
	}
	var ke *providers.KeyError
	if !errors.As(err, &ke) || ke.Env != "OPENAI_API_KEY" {
		t.Errorf("errors.As(%v) = %+v", err, ke)
	}
	if want := "openaichat: OPENAI_API_KEY is not set: export it"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

func TestDuration(t *testing.T) {
	var d providers.Duration
	if err := d.UnmarshalText([]byte(" 90s ")); err != nil || d.Std() != 90*time.Second {
		t.Errorf("UnmarshalText(90s) = %v, %v", d.Std(), err)
	}
	if b, _ := d.MarshalText(); string(b) != "1m30s" {
		t.Errorf("MarshalText = %s", b)
	}
	if err := d.UnmarshalText([]byte("soon")); err == nil {
		t.Error("UnmarshalText(soon) succeeded")
	}
}
