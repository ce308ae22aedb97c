package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

// makeInputs writes n small articles with unique paragraphs.
func makeInputs(t *testing.T, dir string, n, paras int) int {
	t.Helper()
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "# 第%d篇文章\n", i)
		for p := 0; p < paras; p++ {
			fmt.Fprintf(&b, "\n这是第%d篇文章的第%d段，内容各不相同。\n", i, p)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%03d.md", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return n * (paras + 1)
}

// checkOutputs asserts that every output parses as a complete bilingual
// file and returns how many there are.
func checkOutputs(t *testing.T, dir string) int {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := out.ReadBilingual(n, data, out.Format{}); err != nil {
			t.Errorf("output %s does not parse: %v", n, err)
		}
	}
	return len(names)
}

func diglotCmd(t *testing.T, dir string, env []string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command("diglot", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

func exitStatus(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestInterrupt: the first SIGINT stops new batches, lets those in flight
// finish, writes only complete files, prints the summary and exits 130; a
// rerun finishes the job.
func TestInterrupt(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	makeInputs(t, in, 30, 3)
	cfg := "provider = \"pseudo\"\nsource = \"zh\"\ntarget = \"en\"\nconcurrency = 1\n[providers.pseudo]\ndelay = \"150ms\"\nmax_segments = 4\n"
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644)
	cmd, stdout, stderr := diglotCmd(t, dir, nil, "translate", "-o", "bi", "in")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the first outputs are there.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if names, _ := filepath.Glob(filepath.Join(dir, "bi", "*.md")); len(names) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if code := exitStatus(err); code != 130 {
			t.Fatalf("exit status %d, want 130; stderr:\n%s", code, stderr)
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("did not stop within 15s of SIGINT")
	}
	if !strings.Contains(stdout.String(), "stopped early: interrupted") {
		t.Errorf("no summary saying it was interrupted:\n%s", stdout)
	}
	n := checkOutputs(t, filepath.Join(dir, "bi"))
	if n == 0 || n == 30 {
		t.Errorf("%d of 30 outputs written before the interrupt; want some but not all", n)
	}
	cmd, _, stderr = diglotCmd(t, dir, nil, "translate", "-o", "bi", "in")
	if err := cmd.Run(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, stderr)
	}
	if n := checkOutputs(t, filepath.Join(dir, "bi")); n != 30 {
		t.Errorf("rerun left %d of 30 outputs", n)
	}
}

// TestKillResume kills the CLI with SIGKILL at random moments 20 times,
// then lets it finish: no finished batch is paid for twice beyond those in
// flight at each kill, and every output is complete.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	srv := openaitest.NewServer(&openaitest.Options{Latency: 40 * time.Millisecond})
	defer srv.Close()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	unique := makeInputs(t, in, 40, 4)
	const batch, conc = 4, 2
	cfg := fmt.Sprintf("provider = \"openai\"\nsource = \"zh\"\ntarget = \"en\"\n[providers.openai]\nmodel = \"test-model\"\nmax_batch_segments = %d\nconcurrency = %d\n", batch, conc)
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644)
	env := []string{"OPENAI_BASE_URL=" + srv.URL, "OPENAI_API_KEY=sk-test-CANARY-0000"}
	rng := rand.New(rand.NewPCG(1, 2))
	const kills = 20
	for i := 0; i < kills; i++ {
		cmd, _, _ := diglotCmd(t, dir, env, "translate", "-o", "bi", "in")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		checkOutputs(t, filepath.Join(dir, "bi"))
	}
	cmd, stdout, stderr := diglotCmd(t, dir, env, "translate", "-o", "bi", "in")
	if err := cmd.Run(); err != nil {
		t.Fatalf("final run: %v\n%s%s", err, stdout, stderr)
	}
	if n := checkOutputs(t, filepath.Join(dir, "bi")); n != 40 {
		t.Errorf("%d of 40 outputs after the final run", n)
	}
	sent := int(srv.Stats().Segments)
	bound := unique + batch*conc*kills
	t.Logf("segments sent %d for %d unique, bound %d", sent, unique, bound)
	if sent > bound {
		t.Errorf("segments sent %d > unique %d + in flight %d × kills %d", sent, unique, batch*conc, kills)
	}
	if sent < unique {
		t.Errorf("segments sent %d < unique %d: something was not translated", sent, unique)
	}
	if strings.Contains(stdout.String()+stderr.String(), "CANARY") {
		t.Error("the API key appears in the output")
	}
}

// corpusArticles copies the first n corpus articles into dir, or skips.
func corpusArticles(t *testing.T, dir string, n int) {
	t.Helper()
	names, _ := filepath.Glob("../../../shared/corpus/*.md")
	if len(names) == 0 {
		t.Skip("corpus absent")
	}
	os.MkdirAll(dir, 0o755)
	for _, name := range names[:min(n, len(names))] {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(name)), data, 0o644)
	}
}

// TestWorkersPayOnce is issue 16's: four processes over the same corpus
// articles, sharing one memory, send about the requests one process sends,
// and when one of them is killed the others finish its share.
func TestWorkersPayOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	const articles = 150 // issue 16's test
	srv := openaitest.NewServer(&openaitest.Options{Latency: 20 * time.Millisecond})
	defer srv.Close()
	dir := t.TempDir()
	corpusArticles(t, filepath.Join(dir, "in"), articles)
	cfg := "provider = \"openai\"\nsource = \"zh\"\ntarget = \"en\"\n[providers.openai]\nconcurrency = 4\n"
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644)
	env := []string{"OPENAI_BASE_URL=" + srv.URL, "OPENAI_API_KEY=sk-test-CANARY-0000"}

	run := func(name string, args ...string) *exec.Cmd {
		cmd, _, _ := diglotCmd(t, dir, env, append([]string{"translate", "--log-level", "error"}, args...)...)
		return cmd
	}
	// One process alone, with its own memory.
	start := time.Now()
	if err := run("alone", "--tm", filepath.Join(dir, "alone.db"), "-o", "alone", "in").Run(); err != nil {
		t.Fatalf("one process: %v", err)
	}
	alone, aloneSegs := srv.Stats().Requests, srv.Stats().Segments
	t.Logf("one process: %v", time.Since(start))
	start = time.Now()

	// Four at once on one memory, each writing its own outputs.
	shared := sharedMemory(t, dir)
	var cmds []*exec.Cmd
	for i := range 4 {
		cmd := run("worker", "--tm", shared, "-o", fmt.Sprintf("out%d", i), "in")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("worker %d: %v\n%s", i, err, tail(cmdOutput(cmd), 3000))
		}
	}
	four, fourSegs := srv.Stats().Requests-alone, srv.Stats().Segments-aloneSegs
	t.Logf("four processes: %v", time.Since(start))
	t.Logf("one process: %d requests; four processes sharing a memory: %d (%.3fx)", alone, four, float64(four)/float64(alone))
	if float64(four) > 1.05*float64(alone) {
		t.Errorf("four workers sent %d requests, one sends %d: want at most 1.05x", four, alone)
	}
	// The shared memory starts empty: every segment is paid for once.
	if fourSegs < aloneSegs {
		t.Errorf("four workers had %d segments translated, one has %d: a memory that was not empty?", fourSegs, aloneSegs)
	}
	for i := range 4 {
		if n := checkOutputs(t, filepath.Join(dir, fmt.Sprintf("out%d", i))); n != articles {
			t.Errorf("worker %d wrote %d of %d outputs", i, n, articles)
		}
	}
}

// sharedMemory returns the memory that workers share: an empty schema of
// the PostgreSQL test server when there is one (always in CI), else an
// SQLite file in dir.
func sharedMemory(t *testing.T, dir string) string {
	base, why := pgServer(t)
	if base == "" {
		t.Logf("no PostgreSQL (%s): the workers share an SQLite file", why)
		return filepath.Join(dir, "shared.db")
	}
	u, drop, err := pgEmptySchema(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}

// cmdOutput returns what a finished command printed on stdout (its
// summary) and its stderr lines of its own ("diglot: …"), not the QA
// findings, when its streams are buffers.
func cmdOutput(cmd *exec.Cmd) string {
	var s strings.Builder
	if b, ok := cmd.Stdout.(*bytes.Buffer); ok {
		s.WriteString(b.String())
	}
	if b, ok := cmd.Stderr.(*bytes.Buffer); ok {
		for line := range strings.Lines(b.String()) {
			if strings.HasPrefix(line, "diglot: ") {
				s.WriteString(line)
			}
		}
	}
	return s.String()
}

// tail returns about the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestKilledWorkerShareFinished: kill -9 one of three workers on a fresh
// shared memory (PostgreSQL in CI) mid-run; the others finish every file,
// its leases coming back to them.
func TestKilledWorkerShareFinished(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	srv := openaitest.NewServer(&openaitest.Options{Latency: 40 * time.Millisecond})
	defer srv.Close()
	dir := t.TempDir()
	corpusArticles(t, filepath.Join(dir, "in"), 60)
	cfg := "provider = \"openai\"\nsource = \"zh\"\ntarget = \"en\"\n[providers.openai]\nconcurrency = 2\n"
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644)
	env := []string{"OPENAI_BASE_URL=" + srv.URL, "OPENAI_API_KEY=sk-test-CANARY-0000"}
	shared := sharedMemory(t, dir)
	var cmds []*exec.Cmd
	for i := range 3 {
		cmd, _, _ := diglotCmd(t, dir, env, "translate", "--log-level", "error", "--tm", shared, "-o", fmt.Sprintf("out%d", i), "in")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	time.Sleep(500 * time.Millisecond)
	cmds[0].Process.Kill()
	cmds[0].Wait()
	done := make(chan error, 2)
	for _, cmd := range cmds[1:] {
		go func() { done <- cmd.Wait() }()
	}
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("surviving worker: %v", err)
			}
		case <-time.After(90 * time.Second):
			t.Fatal("the surviving workers did not finish within 90s")
		}
	}
	for i := 1; i < 3; i++ {
		if n := checkOutputs(t, filepath.Join(dir, fmt.Sprintf("out%d", i))); n != 60 {
			t.Errorf("worker %d wrote %d of 60 outputs", i, n)
		}
	}
}
