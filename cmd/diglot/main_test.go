package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the diglot command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"diglot": func() { os.Exit(run(os.Args[1:])) },
	})
}

// TestScripts runs the end-to-end CLI tests in testdata/script, offline.
func TestScripts(t *testing.T) {
	examples, _ := filepath.Abs("../../examples")
	corpus, _ := filepath.Abs("../../../shared/corpus")
	// A corpus reached through a symlink is used by its real path: the
	// scripts' file walks (cmpdir, partition) do not follow a symlinked root.
	if real, err := filepath.EvalSymlinks(corpus); err == nil {
		corpus = real
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			env.Values[fakesKey{}] = &fakes{}
			if _, err := os.Stat(corpus); err == nil && !testing.Short() {
				env.Setenv("CORPUS", corpus)
			}
			return nil
		},
		Cmds:          scriptCommands(),
		UpdateScripts: *updateScripts,
		Condition: func(cond string) (bool, error) {
			if cond == "corpus" {
				_, err := os.Stat(corpus)
				return err == nil && !testing.Short(), nil
			}
			return false, errors.New("unknown condition " + cond)
		},
	})
}

var updateScripts = flag.Bool("update", false, "rewrite the scripts' cmp files from the actual output")

// scriptCommands are the custom commands the scripts may use.
func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"exitcode": cmdExitCode,
		"cmpdir":   cmdCmpDir,
	}
	for name, f := range moreScriptCommands() {
		cmds[name] = f
	}
	return cmds
}

// cmdExitCode runs a command and checks its exit status:
// exitcode N prog args...
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || neg {
		ts.Fatalf("usage: exitcode N prog args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdCmpDir checks that every *.md file under the first directory has a
// byte-identical twin at the same relative path under the second:
// cmpdir WANT GOT
func cmdCmpDir(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpdir WANT GOT")
	}
	want, got := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	n := 0
	err := filepath.WalkDir(want, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(got, rel))
		if err != nil {
			return err
		}
		if string(a) != string(b) {
			return errors.New(rel + " differs")
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		ts.Fatalf("cmpdir: %d files equal, then: %v", n, err)
	}
	ts.Logf("cmpdir: %d files identical", n)
}
