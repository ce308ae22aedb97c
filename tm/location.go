package tm

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// This file decides what a memory location is (a postgres:// URL or a file
// path) and how to show one without its secrets. A location that is
// neither must be refused rather than opened: anything that is not a
// PostgreSQL URL becomes an SQLite file name, so a mistyped URL would
// silently start an empty memory (and a keyword/value string would write
// its password into a file name).

// ErrLocation is wrapped by the errors of [CheckLocation]: the location is
// neither a postgres:// URL nor a file path.
var ErrLocation = errors.New("invalid memory location")

// mask replaces a secret in what Redact shows.
const mask = "xxxxx"

// secretKeys are the connection parameters that carry a secret, in lower
// case: libpq's password and sslpassword (the key of the client
// certificate), which pgx reads too, and libpq 18's oauth_client_secret,
// which pgx would pass to the server as a setting.
var secretKeys = map[string]bool{"password": true, "sslpassword": true, "oauth_client_secret": true}

// libpqKeys are libpq's connection keywords (and pgx's servicefile): a
// string that sets one of them is a keyword/value connection string.
var libpqKeys = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "require_auth": true, "channel_binding": true, "connect_timeout": true,
	"client_encoding": true, "options": true, "application_name": true, "fallback_application_name": true,
	"keepalives": true, "keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "replication": true, "gssencmode": true, "sslmode": true,
	"sslnegotiation": true, "sslcompression": true, "sslcert": true, "sslkey": true, "sslpassword": true,
	"sslcertmode": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"min_protocol_version": true, "max_protocol_version": true, "krbsrvname": true, "gsslib": true,
	"gssdelegation": true, "service": true, "servicefile": true, "target_session_attrs": true,
	"load_balance_hosts": true, "oauth_issuer": true, "oauth_client_id": true,
	"oauth_client_secret": true, "oauth_scope": true,
}

// schemeRE matches a URI scheme and its colon (RFC 3986).
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// keywordRE matches "keyword=" (spaces allowed around "=") at the start of
// the string or after a space: a pair of a keyword/value string.
var keywordRE = regexp.MustCompile(`(?:^|\s)([A-Za-z_]+)\s*=`)

// scheme returns the URI scheme s starts with ("mysql" in "mysql://…"), or
// "" when it has none. One letter and a colon is a Windows drive ("C:\x"),
// not a scheme.
func scheme(s string) string {
	m := schemeRE.FindString(s)
	if len(m) <= 2 {
		return ""
	}
	return m[:len(m)-1]
}

// IsKeywordValue reports whether s looks like a libpq keyword/value
// connection string ("host=/tmp user=diglot dbname=tm"): a space-separated
// part of it sets a libpq keyword, or it has two "keyword=" parts. One
// unknown "name=" ("v=2.db") is a file name.
func IsKeywordValue(s string) bool {
	ms := keywordRE.FindAllStringSubmatchIndex(s, -1)
	for _, m := range ms {
		if libpqKeys[strings.ToLower(s[m[2]:m[3]])] {
			return true
		}
	}
	return len(ms) >= 2
}

// CheckLocation returns an error wrapping [ErrLocation] unless location is
// a postgres:// URL that libpq reads one way only, or a file path. It
// refuses a URL of another scheme ("pg://…", "mysql://…", and
// "postgres:/db", whose missing slash makes it another string), a
// keyword/value string (its password would become part of a file name),
// and a postgres:// URL with an "@" after the user name (a password with
// an unencoded "/" reads as host, port and database, and its tail could
// show in messages). A single letter and a colon is a Windows drive; a
// file whose name has a colon is written "./name". The message never
// holds the location: callers show it with [Redact].
func CheckLocation(location string) error {
	switch {
	case IsPostgresURL(location):
		if strandedAt(location) {
			return fmt.Errorf(`%w: an "@" after the user name: percent-encode "@" in values (%%40), and "@", "/" and "?" in a password, or set PGPASSWORD`, ErrLocation)
		}
		return nil
	case scheme(location) != "":
		return fmt.Errorf("%w: scheme %q: want postgres:// or postgresql:// for a database (a file whose name has a colon: ./NAME)", ErrLocation, scheme(location))
	case IsKeywordValue(location):
		return fmt.Errorf("%w: a libpq keyword/value string: write it as a postgres://USER@HOST/DB URL, with the password in PGPASSWORD", ErrLocation)
	}
	return nil
}

// strandedAt reports whether the postgres:// URL u has an "@" that libpq
// (and pgx) do not read as the end of the user name: they end it at the
// first "@" before any "/", so any other "@" lands in the host, the
// database or a parameter.
func strandedAt(u string) bool {
	_, p, _ := strings.Cut(u, "://")
	if i := strings.IndexAny(p, "@/"); i >= 0 && p[i] == '@' {
		p = p[i+1:]
	}
	return strings.Contains(p, "@")
}

// HasSecret reports whether location holds a secret (a password) that
// [Redact] would hide.
func HasSecret(location string) bool {
	return Redact(location) != location
}

// Redact returns location fit for messages, logs and reports: a URL (of
// any scheme) without the password of its user name, nor the values of
// its password, sslpassword and oauth_client_secret parameters; a
// keyword/value string with those values masked; a file path as it is.
// It errs on the side of hiding: in a URL, everything from the first colon
// after the scheme to the last "@" is masked, whatever libpq would make of
// it, so a password with an unencoded "/" or "@" is hidden too.
func Redact(location string) string {
	var r redactor
	return r.redact(location)
}

// redactor masks secrets and records each one it masked, as written, so
// that they can also be scrubbed from text that quotes them some other way
// (an error of the driver).
type redactor struct {
	secrets []string
}

// hide records secret and returns the mask that stands for it.
func (r *redactor) hide(secret string) string {
	if secret != "" {
		r.secrets = append(r.secrets, secret)
	}
	return mask
}

func (r *redactor) redact(location string) string {
	switch {
	case scheme(location) != "":
		return r.redactURL(location)
	case IsKeywordValue(location):
		return r.redactKeywordValue(location)
	}
	return location
}

// redactURL masks the userinfo password and the secret parameters of a
// string that starts with a scheme.
func (r *redactor) redactURL(s string) string {
	head := schemeRE.FindString(s)
	rest := s[len(head):]
	if strings.HasPrefix(rest, "//") {
		head, rest = head+"//", rest[2:]
	}
	var b strings.Builder
	b.WriteString(head)
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
			b.WriteString(rest[:colon+1] + r.hide(rest[colon+1:at]))
			rest = rest[at:]
		}
	}
	b.WriteString(r.redactParams(rest))
	return b.String()
}

// redactParams masks the value of every "key=value" that follows a "?" or
// an "&" in s and whose key is secret. Every "?", not only the first, may
// start the query as libpq reads it (a "?" in a user name does not), so
// each one is tried.
func (r *redactor) redactParams(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "?&")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
		k := strings.IndexAny(s, "=?&")
		if k < 0 || s[k] != '=' || !secretParam(s[:k]) {
			continue
		}
		end := strings.IndexByte(s[k:], '&')
		if end < 0 {
			end = len(s) - k
		}
		b.WriteString(s[:k+1] + r.hide(s[k+1:k+end]))
		s = s[k+end:]
	}
}

// secretParam reports whether a raw (percent-encoded) URL parameter key
// names a secret, as libpq decodes it: "%XX" escapes, surrounding spaces
// ignored, in any case (pgx matches in lower case only; the upper case is
// hidden too, to be safe). A key that does not decode counts as secret.
func secretParam(raw string) bool {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] != '%' {
			b.WriteByte(raw[i])
			continue
		}
		if i+2 >= len(raw) || unhex(raw[i+1]) < 0 || unhex(raw[i+2]) < 0 {
			return true
		}
		b.WriteByte(byte(unhex(raw[i+1])<<4 | unhex(raw[i+2])))
		i += 2
	}
	return secretKeys[strings.ToLower(strings.TrimSpace(b.String()))]
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unreadableKV stands for a keyword/value string that Redact cannot cut
// into pairs: showing any of it could show a password.
const unreadableKV = "(a keyword/value connection string)"

// redactKeywordValue masks the secret values of a keyword/value string,
// cutting it into pairs as libpq does (values unquoted up to a space, or
// quoted in single quotes, with backslash escapes). A string that does not
// cut cleanly is shown as unreadableKV.
func (r *redactor) redactKeywordValue(s string) string {
	var b strings.Builder
	for {
		start := len(s) - len(strings.TrimLeft(s, " \t\n\r\v\f"))
		b.WriteString(s[:start])
		s = s[start:]
		if s == "" {
			return b.String()
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return unreadableKV
		}
		key := strings.TrimSpace(s[:eq])
		n := eq + 1 + kvValueLen(s[eq+1:])
		if n <= eq || key == "" || strings.ContainsAny(key, " \t\n\r\v\f") {
			return unreadableKV
		}
		if secretKeys[strings.ToLower(key)] {
			v := strings.TrimSpace(s[eq+1 : n])
			r.hide(strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'"))
			b.WriteString(s[:eq+1] + r.hide(v))
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
}

// kvValueLen returns the length of the value at the start of s (spaces
// before it included), or -1 when a quoted value does not end.
func kvValueLen(s string) int {
	lead := len(s) - len(strings.TrimLeft(s, " \t\n\r\v\f"))
	v := s[lead:]
	if v == "" {
		return lead
	}
	quoted := v[0] == '\''
	i := 0
	if quoted {
		i = 1
	}
	for ; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\':
			i++
		case quoted && c == '\'':
			return lead + i + 1
		case !quoted && strings.IndexByte(" \t\n\r\v\f", c) >= 0:
			return lead + i
		}
	}
	if quoted {
		return -1
	}
	return lead + len(v)
}
