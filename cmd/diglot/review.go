package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/diglot/diglot/review"
)

// reviewOptions are the flags of "diglot review".
type reviewOptions struct {
	addr        string
	open        bool
	allowRemote bool
	glossaries  []string
	tm          string
	noTM        bool
}

func newReviewCmd(a *app) *cobra.Command {
	o := &reviewOptions{}
	cmd := &cobra.Command{
		Use:   "review [flags] DIR...",
		Short: "Review bilingual files in the browser: side by side, filters, editing",
		Long: `Review serves a web workbench over the bilingual files under each DIR, on
127.0.0.1 and a random free port unless --addr says otherwise, and prints its
URL. Units are shown side by side with their QA flags and glossary terms, can be
filtered and searched, edited and accepted. A save goes through the same reader
rules as the CLI, is written atomically into the bilingual file, never
overwrites a file changed on disk since the page was loaded, and is recorded
in the translation memory as reviewed. Stop it with Ctrl-C.`,
		Example: `  diglot review out/en
  diglot review --open --glossary names.tsv out/en out/fr`,
		Args: atLeastOne,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, a, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:0", "listen on `HOST:PORT` (port 0: a free one)")
	f.BoolVar(&o.open, "open", false, "open the workbench in a browser")
	f.BoolVar(&o.allowRemote, "allow-remote", false, "allow --addr to be a non-loopback address: anyone who reaches it can read and edit the files")
	f.StringArrayVar(&o.glossaries, "glossary", nil, "glossary `FILE` to highlight and check (repeatable; after those in config.toml)")
	f.StringVar(&o.tm, "tm", "", "translation memory file or postgres:// URL (default .diglot/tm.db beside the config)")
	f.BoolVar(&o.noTM, "no-tm", false, "record nothing in a translation memory and show no other translations")
	return cmd
}

func (o *reviewOptions) run(cmd *cobra.Command, a *app, dirs []string) error {
	remote, err := nonLoopback(o.addr)
	if err != nil {
		return usagef("--addr %q: %v", o.addr, err)
	}
	if remote && !o.allowRemote {
		return usagef("--addr %q is not a loopback address: add --allow-remote to serve other machines (anyone who reaches it can read and edit the files)", o.addr)
	}
	c, err := a.config()
	if err != nil {
		return err
	}
	log, err := a.logger()
	if err != nil {
		return err
	}
	g, err := a.glossary(o.glossaries)
	if err != nil {
		return err
	}
	q, err := a.qaConfig(g, false, false)
	if err != nil {
		return err
	}
	mem, err := a.openTM(cmd.Context(), o.tm, o.noTM)
	if err != nil {
		return err
	}
	defer mem.Close()
	opts := &review.Options{Memory: mem, Glossary: g, Markdown: a.markdownOptions(c), QA: q, Logger: log}
	if o.noTM {
		opts.Memory = nil
	}
	if remote {
		opts.Hosts = []string{"*"}
	}
	srv, err := review.New(dirs, opts)
	if err != nil {
		return usageError{err}
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	if remote {
		a.warn("serving %s on a non-loopback address: anyone who can reach it can read and edit these files", strings.Join(dirs, ", "))
	}
	fmt.Fprintln(a.io.Out, url)
	if o.open {
		if err := openBrowser(url); err != nil {
			a.warn("open a browser: %v", err)
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("review: %w", err)
	case <-cmd.Context().Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		hs.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("review: %w", err)
	}
	// Ctrl-C is how a server stops: exit 130, with nothing more to say.
	return errInterrupted
}

// nonLoopback reports whether addr would listen beyond this machine: an
// address that is not loopback, or an empty host (every interface).
func nonLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if strings.EqualFold(host, "localhost") {
		return false, nil
	}
	ip := net.ParseIP(host)
	if ip == nil {
		// A name may resolve anywhere.
		return true, nil
	}
	return !ip.IsLoopback(), nil
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	var c *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		c = exec.Command("open", url)
	case "windows":
		c = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		c = exec.Command("xdg-open", url)
	}
	if err := c.Start(); err != nil {
		return err
	}
	go func() { _ = c.Wait() }()
	return nil
}
