package providers

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// RedactMin is the length of the shortest piece of a secret that [Redact]
// hides. Servers echo keys whole ("Incorrect API key provided: sk-…"), cut
// ("sk-proj-abc…xyz") or masked in the middle; any 12 bytes of a key are
// enough to narrow a search for it, shorter runs (a "sk-" prefix, the last
// four characters OpenAI prints) are not.
const RedactMin = 12

// Redacted replaces what [Redact] hides.
const Redacted = "[REDACTED]"

// Redact returns s with every run of at least [RedactMin] bytes that also
// occurs in secret replaced by [Redacted]. A secret shorter than RedactMin
// is hidden where it occurs whole; one shorter than four bytes is not a
// secret worth the name and s is returned as it is.
func Redact(s, secret string) string {
	if len(secret) < 4 || s == "" {
		return s
	}
	least := min(RedactMin, len(secret))
	if len(s) < least {
		return s
	}
	// hidden[i] marks byte i of s as part of a run found in secret. For
	// each start in s, the longest run shared with any start in secret is
	// found by direct comparison: messages and keys are short.
	var hidden []bool
	for i := 0; i+least <= len(s); i++ {
		best := 0
		for p := 0; p+least <= len(secret) && best < len(secret)-p; p++ {
			n := 0
			for i+n < len(s) && p+n < len(secret) && s[i+n] == secret[p+n] {
				n++
			}
			best = max(best, n)
		}
		if best < least {
			continue
		}
		if hidden == nil {
			hidden = make([]bool, len(s))
		}
		for k := i; k < i+best; k++ {
			hidden[k] = true
		}
	}
	if hidden == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !hidden[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Redacted)
		for i < len(s) && hidden[i] {
			i++
		}
	}
	return b.String()
}

// RedactError returns err with [Redact] applied to its message. The
// result keeps err's chain for errors.Is and errors.As (a refused
// connection stays recognisable to [IsUnreachable]); only its message
// changes. It returns err itself when nothing needed hiding.
func RedactError(err error, secret string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	red := Redact(msg, secret)
	if red == msg {
		return err
	}
	return &redactedError{err: err, msg: red}
}

type redactedError struct {
	err error
	msg string
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }

// ErrNoKey is matched (with errors.Is) by every [*KeyError].
var ErrNoKey = errors.New("providers: API key not set")

// KeyError is the construction error of an engine whose API key variable is
// unset. The CLI reports it as a configuration error (exit 2) before any
// request is sent.
type KeyError struct {
	Env  string // the variable that should hold the key
	Hint string // how to fix it, or ""
}

func (e *KeyError) Error() string {
	if e.Hint == "" {
		return e.Env + " is not set"
	}
	return e.Env + " is not set: " + e.Hint
}

// Is reports whether target is [ErrNoKey].
func (e *KeyError) Is(target error) bool { return target == ErrNoKey }

// IsLocalURL reports whether rawURL names a server that plausibly needs no
// API key because it runs on this machine or a private network: a loopback,
// private (RFC 1918, fc00::/7), link-local or unspecified IP address;
// localhost or a name under .localhost, .local, .internal, .lan or
// .home.arpa; or a single-label host name such as "ollama" or "vllm" (a
// container or cluster service). Any other host, and anything that does not
// parse, is not local. It looks at the text only: nothing is resolved.
func IsLocalURL(rawURL string) bool {
	s := strings.TrimSpace(rawURL)
	if s == "" {
		return false
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s // "127.0.0.1:8080/v1", as users write it
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()
	}
	if host == "localhost" || !strings.Contains(host, ".") {
		return true
	}
	for _, suffix := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}
