package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

// moreScriptCommands are the custom commands of the end-to-end scripts
// beyond exitcode and cmpdir (main_test.go); each is documented on its
// function.
func moreScriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"fakechat":   cmdFakeChat,
		"fakegoogle": cmdFakeGoogle,
		"jsonq":      cmdJSONQ,
		"jsonget":    cmdJSONGet,
		"encode":     cmdEncode,
		"genmd":      cmdGenMD,
		"partition":  cmdPartition,
		"chtime":     cmdChtime,
		"nosecret":   cmdNoSecret,
		"replace":    cmdReplace,
	}
}

// fakesKey keys the per-script fake servers in testscript's Env.Values.
type fakesKey struct{}

// fakes are the fake servers one script started.
type fakes struct {
	chat   *openaitest.Server
	google *googletest.V2
}

func scriptFakes(ts *testscript.TestScript) *fakes {
	f, _ := ts.Value(fakesKey{}).(*fakes)
	if f == nil {
		ts.Fatalf("no fakes state: Setup must set Values[fakesKey{}]")
	}
	return f
}

// cmdFakeChat drives an in-process fake OpenAI-compatible server
// (openaitest), shared by every diglot the script runs afterwards:
//
//	fakechat start [latency=D] [rpm=N] [retry-after=D] [key=K]
//	    starts it and sets OPENAI_BASE_URL; closed when the script ends
//	fakechat script FAULT...    the next requests get these faults, then none
//	                            ("-" is no fault; faults as openaitest names them: 429, 401, ...)
//	fakechat always FAULT       every request from now on gets FAULT
//	fakechat mix SEED FAULT=RATE...
//	                            each fault in that share of first attempts (openaitest.Mix)
//	fakechat stats FIELD OP N   asserts a counter: requests, ok, faulted,
//	                            ratelimited, segments, prompt_tokens, completion_tokens
//	fakechat sawkey KEY         asserts the server received KEY as the bearer token
func cmdFakeChat(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakechat start|script|always|stats|sawkey ...")
	}
	f := scriptFakes(ts)
	if args[0] != "start" && f.chat == nil {
		ts.Fatalf("fakechat %s: not started", args[0])
	}
	switch args[0] {
	case "start":
		if f.chat != nil {
			ts.Fatalf("fakechat: already started")
		}
		opts := &openaitest.Options{}
		for _, kv := range args[1:] {
			k, v, _ := strings.Cut(kv, "=")
			var err error
			switch k {
			case "latency":
				opts.Latency, err = time.ParseDuration(v)
			case "retry-after":
				opts.RetryAfter, err = time.ParseDuration(v)
			case "rpm":
				opts.RequestsPerMinute, err = strconv.ParseFloat(v, 64)
			case "key":
				opts.RequireKey = v
			default:
				err = fmt.Errorf("unknown option %q", k)
			}
			ts.Check(err)
		}
		f.chat = openaitest.NewServer(opts)
		ts.Defer(f.chat.Close)
		ts.Setenv("OPENAI_BASE_URL", f.chat.URL)
	case "script":
		faults := make([]openaitest.Fault, len(args)-1)
		for i, a := range args[1:] {
			if a != "-" {
				faults[i] = openaitest.Fault(a)
			}
		}
		seq := openaitest.Sequence(faults...)
		base := int(f.chat.Stats().Requests)
		f.chat.SetScript(func(n int, p *openaichat.Payload) openaitest.Fault { return seq(n-base, p) })
	case "mix":
		if len(args) < 3 {
			ts.Fatalf("usage: fakechat mix SEED FAULT=RATE...")
		}
		seed, err := strconv.ParseUint(args[1], 10, 64)
		ts.Check(err)
		rates := map[openaitest.Fault]float64{}
		for _, fr := range args[2:] {
			f, r, _ := strings.Cut(fr, "=")
			rate, err := strconv.ParseFloat(r, 64)
			ts.Check(err)
			rates[openaitest.Fault(f)] = rate
		}
		f.chat.SetScript(openaitest.Mix(seed, rates))
	case "always":
		if len(args) != 2 {
			ts.Fatalf("usage: fakechat always FAULT")
		}
		f.chat.SetScript(openaitest.Always(openaitest.Fault(args[1])))
	case "stats":
		if len(args) != 4 {
			ts.Fatalf("usage: fakechat stats FIELD OP N")
		}
		st := f.chat.Stats()
		fields := map[string]int64{
			"requests": st.Requests, "ok": st.OK, "faulted": st.Faulted, "ratelimited": st.RateLimited,
			"segments": st.Segments, "prompt_tokens": st.PromptTokens, "completion_tokens": st.CompletionTokens,
		}
		got, ok := fields[args[1]]
		if !ok {
			ts.Fatalf("fakechat stats: unknown field %q", args[1])
		}
		compareNum(ts, neg, "fakechat "+args[1], float64(got), args[2], args[3])
	case "sawkey":
		if len(args) != 2 {
			ts.Fatalf("usage: fakechat sawkey KEY")
		}
		keys := f.chat.Keys()
		found := false
		for _, k := range keys {
			found = found || k == args[1]
		}
		if found == neg {
			ts.Fatalf("fakechat received keys %d (want %q present: %v)", len(keys), args[1], !neg)
		}
	default:
		ts.Fatalf("fakechat: unknown subcommand %q", args[0])
	}
}

// cmdFakeGoogle drives an in-process fake of Google's v2 REST API
// (googletest.NewV2):
//
//	fakegoogle start KEY CONFIG   starts it requiring KEY and appends a
//	                              [providers.google-basic] table with its
//	                              endpoint to the file CONFIG
//	fakegoogle requests OP N      asserts the number of requests
//	fakegoogle chars OP N         asserts the characters received
//	fakegoogle keyinurl           asserts some request carried the key in its URL
func cmdFakeGoogle(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakegoogle start|requests|chars ...")
	}
	f := scriptFakes(ts)
	if args[0] != "start" && f.google == nil {
		ts.Fatalf("fakegoogle %s: not started", args[0])
	}
	switch args[0] {
	case "start":
		if len(args) != 3 || f.google != nil {
			ts.Fatalf("usage: fakegoogle start KEY CONFIG (once)")
		}
		f.google = googletest.NewV2(args[1])
		ts.Defer(f.google.Close)
		path := ts.MkAbs(args[2])
		old, _ := os.ReadFile(path)
		table := fmt.Sprintf("\n[providers.google-basic]\nendpoint = %q\n", f.google.Endpoint())
		ts.Check(os.WriteFile(path, append(old, table...), 0o644))
	case "requests", "chars":
		if len(args) != 3 {
			ts.Fatalf("usage: fakegoogle %s OP N", args[0])
		}
		got := f.google.Requests()
		if args[0] == "chars" {
			got = f.google.Chars()
		}
		compareNum(ts, neg, "fakegoogle "+args[0], float64(got), args[1], args[2])
	case "keyinurl":
		in := false
		for _, c := range f.google.Calls() {
			in = in || c.KeyInURL
		}
		if in != !neg {
			ts.Fatalf("fakegoogle: key in a request URL: %v", in)
		}
	default:
		ts.Fatalf("fakegoogle: unknown subcommand %q", args[0])
	}
}

// cmdJSONQ asserts a value in a JSON file: jsonq FILE PATH OP VALUE.
// PATH is dotted (totals.requests, files.0.encoding; "@len" is an array's or
// object's length: files.@len). OP is ==, !=, <, <=, >, >= (numbers or, for ==
// and !=, strings and bools), ~N% (a number within N% of VALUE) or contains
// (strings).
func cmdJSONQ(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: jsonq FILE PATH OP VALUE")
	}
	v := jsonPath(ts, args[0], args[1])
	name := args[0] + ":" + args[1]
	switch x := v.(type) {
	case float64:
		compareNum(ts, neg, name, x, args[2], args[3])
	case string:
		var ok bool
		switch args[2] {
		case "==":
			ok = x == args[3]
		case "!=":
			ok = x != args[3]
		case "contains":
			ok = strings.Contains(x, args[3])
		default:
			ts.Fatalf("jsonq: %s is a string %q: op %s does not apply", name, x, args[2])
		}
		if ok == neg {
			ts.Fatalf("%s = %q; want %s %q (negated: %v)", name, x, args[2], args[3], neg)
		}
	case bool:
		if args[2] != "==" && args[2] != "!=" {
			ts.Fatalf("jsonq: %s is a bool: op %s does not apply", name, args[2])
		}
		if (strconv.FormatBool(x) == args[3]) == (args[2] == "!=") != neg {
			ts.Fatalf("%s = %v; want %s %s (negated: %v)", name, x, args[2], args[3], neg)
		}
	default:
		ts.Fatalf("jsonq: %s is %T (%v), not a number, string or bool", name, v, v)
	}
}

// cmdJSONGet sets an environment variable to a value in a JSON file:
// jsonget VAR FILE PATH.
func cmdJSONGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: jsonget VAR FILE PATH")
	}
	switch x := jsonPath(ts, args[1], args[2]).(type) {
	case float64:
		ts.Setenv(args[0], strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		ts.Setenv(args[0], x)
	case bool:
		ts.Setenv(args[0], strconv.FormatBool(x))
	default:
		ts.Fatalf("jsonget: %s:%s is %T", args[1], args[2], x)
	}
}

func jsonPath(ts *testscript.TestScript, file, path string) any {
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile(file)), &v); err != nil {
		ts.Fatalf("%s: %v", file, err)
	}
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			if p == "@len" {
				v = float64(len(x))
				continue
			}
			var ok bool
			if v, ok = x[p]; !ok {
				ts.Fatalf("%s: %s: no key %q", file, path, p)
			}
		case []any:
			if p == "@len" {
				v = float64(len(x))
				continue
			}
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("%s: %s: no index %q in an array of %d", file, path, p, len(x))
			}
			v = x[i]
		case nil:
			if p == "@len" { // a null array is empty
				v = 0.0
				continue
			}
			ts.Fatalf("%s: %s: %q of null", file, path, p)
		default:
			ts.Fatalf("%s: %s: %q of a %T", file, path, p, v)
		}
	}
	return v
}

// compareNum fails the script unless got OP want holds (or, negated, fails).
func compareNum(ts *testscript.TestScript, neg bool, name string, got float64, op, wantStr string) {
	want, err := strconv.ParseFloat(wantStr, 64)
	if err != nil {
		ts.Fatalf("%s: want a number, got %q", name, wantStr)
	}
	var ok bool
	switch {
	case op == "==":
		ok = got == want
	case op == "!=":
		ok = got != want
	case op == "<":
		ok = got < want
	case op == "<=":
		ok = got <= want
	case op == ">":
		ok = got > want
	case op == ">=":
		ok = got >= want
	case strings.HasPrefix(op, "~") && strings.HasSuffix(op, "%"):
		pct, err := strconv.ParseFloat(op[1:len(op)-1], 64)
		if err != nil {
			ts.Fatalf("%s: bad op %q", name, op)
		}
		ok = math.Abs(got-want) <= math.Abs(want)*pct/100
	default:
		ts.Fatalf("%s: unknown op %q", name, op)
	}
	if ok == neg {
		ts.Fatalf("%s = %v; want %s %v (negated: %v)", name, got, op, want, neg)
	}
	ts.Logf("%s = %v (%s %v)", name, got, op, want)
}

// cmdEncode writes a UTF-8 file in a legacy encoding: encode gb18030|big5
// SRC DST. Every character must be encodable.
func cmdEncode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: encode gb18030|big5 SRC DST")
	}
	var enc encoding.Encoding
	switch args[0] {
	case "gb18030":
		enc = simplifiedchinese.GB18030
	case "big5":
		enc = traditionalchinese.Big5
	default:
		ts.Fatalf("encode: unknown encoding %q", args[0])
	}
	b, err := enc.NewEncoder().Bytes([]byte(ts.ReadFile(args[1])))
	ts.Check(err)
	dst := ts.MkAbs(args[2])
	ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
	ts.Check(os.WriteFile(dst, b, 0o644))
}

// cmdGenMD writes N small articles of P unique paragraphs each (plus a
// heading) as DIR/a000.md…: genmd DIR N P. Every paragraph is unique
// across files, so nothing is reused within a run.
func cmdGenMD(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: genmd DIR N PARAS")
	}
	n, err1 := strconv.Atoi(args[1])
	p, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil {
		ts.Fatalf("genmd: N and PARAS are numbers")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "# 第%d篇文章\n", i)
		for j := 0; j < p; j++ {
			fmt.Fprintf(&b, "\n这是第%d篇文章的第%d段，内容各不相同，讲的是第%d件事。\n", i, j, i*p+j)
		}
		ts.Check(os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%03d.md", i)), []byte(b.String()), 0o644))
	}
}

// cmdPartition checks that the JSON reports together name every Markdown
// file under DIR exactly once: partition DIR REPORT...
func cmdPartition(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || neg {
		ts.Fatalf("usage: partition DIR REPORT...")
	}
	dir := ts.MkAbs(args[0])
	want := map[string]bool{}
	ts.Check(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (filepath.Ext(p) == ".md" || filepath.Ext(p) == ".markdown") {
			rel, _ := filepath.Rel(dir, p)
			want[filepath.ToSlash(rel)] = true
		}
		return err
	}))
	seen := map[string]string{} // file -> report
	var problems []string
	for _, r := range args[1:] {
		var rep struct {
			Files []struct{ Path string } `json:"files"`
		}
		ts.Check(json.Unmarshal([]byte(ts.ReadFile(r)), &rep))
		if len(rep.Files) == 0 {
			problems = append(problems, r+" has no files")
		}
		for _, f := range rep.Files {
			rel, err := filepath.Rel(dir, ts.MkAbs(f.Path))
			ts.Check(err)
			rel = filepath.ToSlash(rel)
			if !want[rel] {
				problems = append(problems, fmt.Sprintf("%s: %s is not a file of %s", r, f.Path, args[0]))
			}
			if prev, ok := seen[rel]; ok {
				problems = append(problems, fmt.Sprintf("%s in both %s and %s", rel, prev, r))
			}
			seen[rel] = r
		}
	}
	var missing []string
	for f := range want {
		if _, ok := seen[f]; !ok {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d files in no report: %v", len(missing), missing))
	}
	if len(problems) > 0 {
		ts.Fatalf("partition:\n%s", strings.Join(problems, "\n"))
	}
	ts.Logf("partition: %d files, each in exactly one of %d reports", len(want), len(args)-1)
}

// cmdChtime sets a file's modification time relative to now:
// chtime FILE DURATION (e.g. -1h, 1h).
func cmdChtime(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: chtime FILE DURATION")
	}
	d, err := time.ParseDuration(args[1])
	ts.Check(err)
	t := time.Now().Add(d)
	ts.Check(os.Chtimes(ts.MkAbs(args[0]), t, t))
}

// cmdNoSecret fails if any file under the work directory (outputs,
// reports, the translation memory, logs redirected to files) contains
// SECRET, or if the path of a file or directory does (a connection string
// taken for a file name): nosecret SECRET.
func cmdNoSecret(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg || len(args[0]) < 8 {
		ts.Fatalf("usage: nosecret SECRET (at least 8 bytes)")
	}
	root := ts.Getenv("WORK")
	n := 0
	ts.Check(filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if strings.Contains(rel, args[0]) {
			return fmt.Errorf("%q: the name holds the secret", rel)
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(data, []byte(args[0])) {
			return fmt.Errorf("%s contains the secret", rel)
		}
		return nil
	}))
	ts.Logf("nosecret: %d files clean", n)
}

// cmdReplace replaces the only occurrence of OLD in FILE by NEW, as a
// reviewer editing a file would: replace FILE OLD NEW.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	data := ts.ReadFile(args[0])
	if n := strings.Count(data, args[1]); n != 1 {
		ts.Fatalf("replace: %q occurs %d times in %s, want once", args[1], n, args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Replace(data, args[1], args[2], 1)), 0o644))
}
