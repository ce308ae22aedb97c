package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStrict(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // the error's lines, or none
		is        error
	}{
		{"ok", "source = \"zh\"\ntarget = \"en\"\n[qa]\nstrict = true\n", nil, nil},
		{"unknown top", "source = \"zh\"\ncolour = \"red\"\n", []string{`config.toml:2: unknown key "colour"`}, ErrUnknownKey},
		{"unknown nested", "[tm]\npath = \"x\"\nsize = 3\n", []string{`config.toml:3: unknown key "tm.size"`}, ErrUnknownKey},
		{"unknown table", "source = \"zh\"\n\n[markdwon]\nmax_depth = 3\n", []string{`config.toml:3: unknown table [markdwon]`}, ErrUnknownKey},
		{"two unknown", "colour = 1\n[tm]\nsize = 3\n", []string{`config.toml:1: unknown key "colour"`, `config.toml:3: unknown key "tm.size"`}, ErrUnknownKey},
		{"string for integer", "source = \"zh\"\nconcurrency = \"four\"\n", []string{`config.toml:2: concurrency: want an integer, got a string`}, ErrType},
		{"float for integer", "concurrency = 1.5\n", []string{`config.toml:1: concurrency: want an integer, got a number`}, ErrType},
		{"boolean for integer, nested", "\n[markdown]\n\nmax_depth = true\n", []string{`config.toml:4: markdown.max_depth: want an integer, got a boolean`}, ErrType},
		{"string for list", "glossary = \"g.tsv\"\n", []string{`config.toml:1: glossary: want a list of strings, got a string`}, ErrType},
		{"integers for strings", "[markdown]\nfront_matter_fields = [1, 2]\n", []string{`config.toml:2: markdown.front_matter_fields: want a list of strings, got a list of integers`}, ErrType},
		{"value for table", "tm = 3\n", []string{`config.toml:1: tm: want a table, got an integer`}, ErrType},
		{"dotted key", "qa.strict = \"yes\"\n", []string{`config.toml:1: qa.strict: want true or false, got a string`}, ErrType},
		{"syntax", "source = \n", []string{"config.toml:1: unexpected character"}, nil},
		{"markdown options", "[markdown]\nwiki_links = \"unwrap\"\nindented_code = \"prose\"\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("config.toml", []byte(tt.doc))
			checkErr(t, err, tt.want, tt.is)
		})
	}
}

// checkErr checks that err has one line per want, each starting with it,
// and matches is.
func checkErr(t *testing.T, err error, want []string, is error) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("err = %q, want %d lines %q", err, len(want), want)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error line %d = %q, want it to start with %q", i+1, lines[i], w)
		}
	}
	for _, l := range lines {
		for _, goName := range []string{"struct {", "struct field", "config.Config", "int64", "[]string", "float64"} {
			if strings.Contains(l, goName) {
				t.Errorf("error %q names Go (%q)", l, goName)
			}
		}
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("err = %v, want errors.Is %v", err, is)
	}
}

func TestValidate(t *testing.T) {
	engines := []string{"copy", "google", "google-basic", "openai", "pseudo"}
	tests := []struct {
		name, doc string
		want      []string
		is        error
	}{
		{"ok", "provider = \"openai\"\nsource = \"zh-Hant\"\n[providers.openai]\nmodel = \"m\"\n[providers.google-basic]\nmodel = \"nmt\"\n", nil, nil},
		{"misspelled table", "provider = \"openai\"\n\n[providers.opnai]\nbase_url = \"http://127.0.0.1:1\"\n",
			[]string{"config.toml:3: unknown engine table [providers.opnai]; did you mean [providers.openai]? (engines: copy, google, google-basic, openai, pseudo)"}, ErrUnknownEngine},
		{"quoted table", "[providers.\"gogle\"]\nx = 1\n", []string{"config.toml:1: unknown engine table [providers.gogle]; did you mean [providers.google]?"}, ErrUnknownEngine},
		{"unknown table, nothing close", "[providers.deepl]\n", []string{"config.toml:1: unknown engine table [providers.deepl] (engines:"}, ErrUnknownEngine},
		{"unknown provider", "source = \"zh\"\nprovider = \"pseudoo\"\n", []string{`config.toml:2: provider: unknown engine "pseudoo"; did you mean "pseudo"?`}, ErrUnknownEngine},
		{"bad language", "source = \"zh_CN!\"\ntarget = \"english please\"\n", []string{`config.toml:1: source: "zh_CN!" is not a BCP 47 language tag`, `config.toml:2: target: "english please" is not a BCP 47`}, ErrValue},
		{"negative", "concurrency = -1\nmax_file_size = -5\n[markdown]\nmax_depth = -2\n", []string{"config.toml:1: concurrency: -1", "config.toml:2: max_file_size: -5", "config.toml:4: markdown.max_depth: -2"}, ErrValue},
		{"field with comma", "[markdown]\nfront_matter_fields = [\"a,b\"]\n", []string{`config.toml:2: markdown.front_matter_fields: "a,b"`}, ErrValue},
		{"markdown values", "[markdown]\nmax_depth = 3\nwiki_links = \"drop\"\nindented_code = \"never\"\n", []string{`config.toml:3: markdown.wiki_links: "drop": want "label", "unwrap" or "keep"`, `config.toml:4: markdown.indented_code: "never": want "auto", "code" or "prose"`}, ErrValue},
		{"qa", "[qa]\nstrict = true\ndisable = [\"lenght\"]\n", []string{`config.toml:3: qa.disable: disable "lenght"`}, ErrValue},
		{"tm url", "[tm]\nurl = \"postgres://diglot@db.example.org/diglot?sslmode=verify-full\"\npath = \"C:\\\\tm.db\"\n", nil, nil},
		{"tm url password", "source = \"zh\"\n[tm]\nurl = \"postgres://diglot:hunter2pass@db/diglot\"\n", []string{`config.toml:3: tm.url: holds a password: secrets never go in the configuration`}, ErrValue},
		{"tm url query password", "[tm]\n\nurl = \"postgres://postgres@/diglot?host=/tmp/pg&password=hunter2pass\"\n", []string{`config.toml:3: tm.url: holds a password`}, ErrValue},
		{"tm url sslpassword", "tm.url = \"postgres://u@h/d?sslpassword=hunter2pass\"\n", []string{`config.toml:1: tm.url: holds a password`}, ErrValue},
		{"tm url encoded key", "[tm]\nurl = \"postgres://u@h/d?pass%77ord=hunter2pass\"\n", []string{`config.toml:2: tm.url: holds a password`}, ErrValue},
		{"tm url keyword/value", "[tm]\nurl = \"host=/tmp/x password=hunter2pass dbname=d\"\n", []string{`config.toml:2: tm.url: a libpq keyword/value string: want a postgres:// URL`}, ErrValue},
		{"tm url scheme", "[tm]\nurl = \"pg://postgres:hunter2pass@/diglot_test\"\n", []string{`config.toml:2: tm.url: "pg://postgres:xxxxx@/diglot_test": want a postgres:// URL`}, ErrValue},
		{"tm url file", "[tm]\nurl = \"tm.db\"\n", []string{`config.toml:2: tm.url: "tm.db": want a postgres:// URL (tm.path names a file)`}, ErrValue},
		{"tm url stray @", "[tm]\nurl = \"postgres://u@h/d?application_name=a@b\"\n", []string{`config.toml:2: tm.url: "postgres://u@h/d?application_name=a@b": invalid memory location: an "@" after the user name`}, ErrValue},
		{"tm path URL", "[tm]\npath = \"postgres://u:hunter2pass@h/d\"\n", []string{`config.toml:2: tm.path: a URL: want a file`}, ErrValue},
		{"tm path scheme", "[tm]\npath = \"mysql://x@y/z\"\n", []string{`config.toml:2: tm.path: "mysql://x@y/z": invalid memory location: scheme "mysql"`}, ErrValue},
		{"tm path keyword/value", "[tm]\npath = \"host=/tmp/x user=postgres password=hunter2pass\"\n", []string{`config.toml:2: tm.path: a libpq keyword/value string`}, ErrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("config.toml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(engines)
			checkErr(t, err, tt.want, tt.is)
			if err != nil && strings.Contains(err.Error(), "hunter2pass") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestProviderDecoder(t *testing.T) {
	doc := "provider = \"openai\"\n\n[providers.openai]\nmodel = \"gpt-4o-mini\"\ntemprature = 0.2\n"
	c, err := Parse("config.toml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var opts struct {
		Model       string        `toml:"model"`
		Temperature float64       `toml:"temperature"`
		Timeout     time.Duration `toml:"timeout"`
		Stop        []string      `toml:"stop"`
	}
	err = c.ProviderDecoder("openai")(&opts)
	checkErr(t, err, []string{`config.toml:5: [providers.openai]: unknown key "temprature"`}, ErrUnknownKey)
	if err := c.ProviderDecoder("absent")(&opts); err != nil {
		t.Errorf("absent table: %v", err)
	}
	for _, tt := range []struct{ doc, want string }{
		{"[providers.openai]\nmodel = \"m\"\n\ntemperature = \"hot\"\n", `config.toml:4: [providers.openai] temperature: want a number, got a string`},
		{"[providers.openai]\nstop = [1]\n", `config.toml:2: [providers.openai] stop: want a list of strings, got a list of integers`},
	} {
		c, err := Parse("config.toml", []byte(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		checkErr(t, c.ProviderDecoder("openai")(&opts), []string{tt.want}, ErrType)
	}
}

// TestExampleConfig keeps the repository's config.toml valid.
func TestExampleConfig(t *testing.T) {
	c, err := Load("../config.toml")
	if os.IsNotExist(err) {
		t.Skip("no config.toml")
	}
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider == "" || c.Source == "" || c.Target == "" {
		t.Errorf("config.toml lacks provider/source/target: %+v", c)
	}
	if err := c.Validate([]string{"copy", "google", "google-basic", "openai", "pseudo"}); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"openai", "opnai", 1}, {"google", "gogle", 1}, {"kitten", "sitting", 3}, {"abc", "", 3}} {
		if d := editDistance(tt.a, tt.b); d != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, d, tt.d)
		}
	}
}
