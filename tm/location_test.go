package tm_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diglot/diglot/tm"
)

// TestCheckLocation: a postgres:// URL and a file path are locations;
// another scheme, a keyword/value string and a URL libpq would read
// another way are refused, never opened as a file name.
func TestCheckLocation(t *testing.T) {
	for _, tt := range []struct {
		location string
		ok       bool
	}{
		{"postgres://diglot@db.example.org/diglot", true},
		{"postgresql://diglot@/diglot?host=/tmp/pg&sslmode=disable", true},
		{"postgres://diglot:pw@db/diglot?application_name=a%40b", true},
		{".diglot/tm.db", true},
		{"/var/lib/diglot/tm.db", true},
		{`C:\diglot\tm.db`, true}, // a Windows drive, not a scheme
		{"c:/diglot/tm.db", true},
		{"./notes:v2.db", true},
		{"v=2.db", true}, // one unknown name=: a file name
		{"dir/host=x.db", true},
		{"pg://postgres@/diglot_test", false},
		{"postgres:/diglot_test", false},
		{"postgres:diglot_test", false},
		{"POSTGRES://x@y/z", false}, // libpq's prefix is lower case
		{"mysql://x@y/z", false},
		{"file:tm.db", false},
		{"notes:v2.db", false},
		{"host=/tmp/x user=postgres password=hunter2pass", false},
		{"dbname=diglot", false},
		{"  host = /tmp/x", false},
		{"a=1 b=2", false},
		{"postgres://diglot:pa/ss@db/diglot", false},    // "/" in a password
		{"postgres://diglot@db/diglot?x=a@b", false},    // "@" in a value
		{"postgres://diglot:p@ss@db/diglot", false},     // "@" in a password
		{"postgres://db/diglot?password=x@y", false},    // "@" in a password parameter
		{"postgresql://u:1234/ss@db/diglot", false},     // "/" in a password: port 1234, database ss@db/…
		{"postgres://diglot@db/di@glot", false},         // "@" in the database
		{"postgres://diglot@db:5432/diglot#frag", true}, // libpq has no fragment; "#" is data
	} {
		err := tm.CheckLocation(tt.location)
		if (err == nil) != tt.ok {
			t.Errorf("CheckLocation(%q) = %v, want ok %v", tt.location, err, tt.ok)
		}
		if err != nil && !errors.Is(err, tm.ErrLocation) {
			t.Errorf("CheckLocation(%q) = %v, want ErrLocation", tt.location, err)
		}
		if err != nil && strings.Contains(err.Error(), tt.location) {
			t.Errorf("CheckLocation(%q) = %v: the message quotes the location", tt.location, err)
		}
	}
}

// TestRedact: every place a URL or a keyword/value string can carry a
// secret is masked, whatever libpq would make of a malformed one; the rest
// is kept, so that the message still says which database.
func TestRedact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgres://diglot@db.example.org/diglot", "postgres://diglot@db.example.org/diglot"},
		{"postgres://diglot:hunter2pass@db/diglot", "postgres://diglot:xxxxx@db/diglot"},
		{"postgres://postgres@/diglot_test?host=/tmp/pg&password=hunter2pass", "postgres://postgres@/diglot_test?host=/tmp/pg&password=xxxxx"},
		{"postgres://u@h/d?password=hunter2pass&sslmode=disable", "postgres://u@h/d?password=xxxxx&sslmode=disable"},
		{"postgres://u@h/d?sslpassword=hunter2pass", "postgres://u@h/d?sslpassword=xxxxx"},
		{"postgres://u@h/d?oauth_client_secret=hunter2pass", "postgres://u@h/d?oauth_client_secret=xxxxx"},
		{"postgres://u@h/d?pass%77ord=hunter2pass", "postgres://u@h/d?pass%77ord=xxxxx"},
		{"postgres://u@h/d?PASSWORD=hunter2pass", "postgres://u@h/d?PASSWORD=xxxxx"},
		{"postgres://u@h/d?%20password%20=hunter2pass", "postgres://u@h/d?%20password%20=xxxxx"},
		{"postgres://u@h/d?pass%zzword=hunter2pass", "postgres://u@h/d?pass%zzword=xxxxx"}, // undecodable key: hidden
		{"postgres://u@h/d?password=hunter2pass&password=hunter3pass", "postgres://u@h/d?password=xxxxx&password=xxxxx"},
		{"postgres://u@h/d?password=hunter2?pass&x=1", "postgres://u@h/d?password=xxxxx&x=1"},
		{"postgres://u?x@h/d?password=hunter2pass", "postgres://u?x@h/d?password=xxxxx"},
		{"postgres://u@h/d?x=a@b&password=hunter2pass", "postgres://u@h/d?x=a@b&password=xxxxx"},
		{"postgres://diglot:pa/ss@db/diglot", "postgres://diglot:xxxxx@db/diglot"},
		{"postgres://diglot:pa@ss@db/diglot", "postgres://diglot:xxxxx@db/diglot"},
		{"postgres://diglot:hunter2pass@db/diglot?password=hunter3pass", "postgres://diglot:xxxxx@db/diglot?password=xxxxx"},
		{"mysql://x:hunter2pass@y/z", "mysql://x:xxxxx@y/z"},
		{"pg://postgres@/diglot_test", "pg://postgres@/diglot_test"},
		{"postgres:/diglot_test?password=hunter2pass", "postgres:/diglot_test?password=xxxxx"},
		{"host=/tmp/x user=postgres password=hunter2pass dbname=d", "host=/tmp/x user=postgres password=xxxxx dbname=d"},
		{"host=/tmp/x password = 'hunter2 pass' dbname=d", "host=/tmp/x password =xxxxx dbname=d"},
		{`password='hunter2\'pass' sslpassword=hunter3pass`, "password=xxxxx sslpassword=xxxxx"},
		{"host=/tmp/x password='hunter2pass", "(a keyword/value connection string)"},
		{"host=/tmp/x junk password=hunter2pass", "(a keyword/value connection string)"},
		{".diglot/tm.db", ".diglot/tm.db"},
		{`C:\tm.db`, `C:\tm.db`},
	} {
		got := tm.Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "hunter") || strings.Contains(got, "pa/ss") || strings.Contains(got, "pa@ss") {
			t.Errorf("Redact(%q) = %q shows a secret", tt.in, got)
		}
		if hasSecret := got != tt.in; tm.HasSecret(tt.in) != hasSecret {
			t.Errorf("HasSecret(%q) = %v, want %v", tt.in, !hasSecret, hasSecret)
		}
	}
}

// TestOpenURLRefuses: a location that is neither a URL nor a path creates
// nothing: no directory, no SQLite file (whose name would hold the
// password).
func TestOpenURLRefuses(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, loc := range []string{
		"pg://postgres@/diglot_test", "postgres:/diglot_test", "mysql://x@y/z",
		"host=/tmp/x user=postgres password=hunter2pass",
	} {
		s, err := tm.OpenURL(context.Background(), loc, nil)
		if err == nil {
			s.Close()
			t.Errorf("OpenURL(%q) opened a store", loc)
			continue
		}
		if !errors.Is(err, tm.ErrLocation) || strings.Contains(err.Error(), "hunter2pass") {
			t.Errorf("OpenURL(%q) = %v, want ErrLocation without the password", loc, err)
		}
	}
	made, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(made) > 0 {
		t.Errorf("OpenURL created %q", made)
	}
}

// TestOpenPostgresHidesPassword: whatever fails, parsing or connecting, the
// error holds no password, wherever the URL carried it: a socket directory
// with no server fails at once, as a server that is down would.
func TestOpenPostgresHidesPassword(t *testing.T) {
	nowhere := filepath.Join(t.TempDir(), "no-server")
	if err := os.Mkdir(nowhere, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSWORD", "")
	t.Setenv("PGPASSFILE", filepath.Join(nowhere, "none"))
	for _, u := range []string{
		"postgres://postgres:hunter2pass@/diglot_test?host=" + nowhere,
		"postgres://postgres@/diglot_test?host=" + nowhere + "&password=hunter2pass",
		"postgresql://postgres@/diglot_test?password=hunter2pass&host=" + nowhere + "&sslmode=disable",
		"postgres://postgres@/diglot_test?host=" + nowhere + "&pass%77ord=hunter2pass",
		"postgres://postgres@/diglot_test?host=" + nowhere + "&password=hunter2%40pass",
		"postgres://postgres@/diglot_test?host=" + nowhere + "&sslpassword=hunter2pass",
		"postgres://postgres:hunter2pass@/hunter2pass?host=" + nowhere, // the password is also the database name
		"postgres://postgres:hunter2/pass@/diglot_test?host=" + nowhere,
		"postgres://postgres:hunter2pass@[::1:bad/none",
		"postgres://postgres@/diglot_test?host=" + nowhere + "&password=hunter2pass&port=x",
		"host=" + nowhere + " user=postgres password=hunter2pass dbname=diglot_test",
		"host=" + nowhere + " user=postgres password='hunter2pass",
	} {
		s, err := tm.OpenPostgres(context.Background(), u, nil)
		if err == nil {
			s.Close()
			t.Fatalf("OpenPostgres(%s) succeeded", u)
		}
		if msg := err.Error(); strings.Contains(msg, "hunter2") || strings.Contains(msg, "hunter2@pass") {
			t.Errorf("OpenPostgres error shows the password: %v", err)
		}
	}
}
