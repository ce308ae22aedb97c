package review

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tm"
)

// Options configure a Server. A nil *Options means the defaults: no
// translation memory, no glossary, the default Markdown and QA settings,
// loopback host names only.
type Options struct {
	// Memory receives a reviewed entry for every segment of each unit saved
	// or accepted, and, when it implements tm.VariantLister, supplies the
	// other translations of a unit's segments. Nil records nothing.
	Memory tm.Store
	// Glossary is highlighted in both columns and checked in the QA
	// findings; it also keys the memory entries (pipeline.KeyFor), so it
	// must be the glossary the runs use. Nil means none.
	Glossary *glossary.Glossary
	// Markdown are the segmentation settings the files were written with.
	Markdown *markdown.Options
	// QA configures the findings shown for each unit and the flags a save
	// writes into its marker. Nil means the defaults.
	QA *qa.Config
	// Hosts are the host names (without port) that requests may name in
	// their Host header besides loopback addresses and localhost, which
	// keeps DNS-rebinding pages out. "*" accepts any host: only for a
	// server bound to a non-loopback address on purpose.
	Hosts []string
	// Logger receives one line per save and the errors the pages show.
	// Nil discards.
	Logger *slog.Logger
}

// Server serves the review workbench over the bilingual files of some
// directories. It is an http.Handler; it is safe for concurrent use.
type Server struct {
	roots []root
	opts  Options
	token string
	keyOf pipeline.KeyFunc
	log   *slog.Logger
	mux   *http.ServeMux
	tmpl  *template.Template
	csrf  *http.CrossOriginProtection

	mu     sync.Mutex // guards files, index and states
	files  []fileRef
	index  map[fileRef]int
	states map[fileRef]*fileState

	lruMu     sync.Mutex
	lru       []*fileState
	maxParsed int
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// ErrNoDirs is returned by New when it is given no directory.
var ErrNoDirs = errors.New("review: no directory to serve")

// New returns a server over the bilingual files (*.md, *.markdown) found
// under dirs. Each directory is opened as an os.Root: no path outside them
// is ever read or written, through ".." or a symlink. Files are listed now
// and read lazily, when a page needs them.
func New(dirs []string, opts *Options) (*Server, error) {
	if len(dirs) == 0 {
		return nil, ErrNoDirs
	}
	s := &Server{states: map[fileRef]*fileState{}, maxParsed: 128}
	if opts != nil {
		s.opts = *opts
	}
	s.log = s.opts.Logger
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.keyOf = pipeline.KeyFor(s.opts.Glossary)
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("review: %w", err)
		}
		if !fi.IsDir() {
			s.Close()
			return nil, fmt.Errorf("review: %s: not a directory", d)
		}
		r, err := os.OpenRoot(d)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("review: %w", err)
		}
		s.roots = append(s.roots, root{dir: filepath.Clean(d), r: r})
	}
	var tok [32]byte
	if _, err := rand.Read(tok[:]); err != nil {
		s.Close()
		return nil, fmt.Errorf("review: session token: %w", err)
	}
	s.token = base64.RawURLEncoding.EncodeToString(tok[:])
	tmpl, err := template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("review: templates: %w", err)
	}
	s.tmpl = tmpl
	s.csrf = http.NewCrossOriginProtection()
	s.routes()
	s.refresh()
	return s, nil
}

// Close releases the directories. The server must not be used after.
func (s *Server) Close() error {
	var errs []error
	for _, r := range s.roots {
		errs = append(errs, r.r.Close())
	}
	return errors.Join(errs...)
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.handleFiles)
	s.mux.HandleFunc("GET /units", s.handleUnits)
	s.mux.HandleFunc("GET /unit", s.handleUnit)
	s.mux.HandleFunc("POST /save", s.handleSave)
	s.mux.HandleFunc("POST /accept", s.handleAccept)
}

// contentSecurityPolicy allows the page's own scripts, styles and images
// only: no inline script, no external asset, no framing, forms posted
// only back here.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP checks the Host header, sets the security headers, checks the
// session token and origin of every state-changing request, and serves
// the workbench.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer a browser sends
	// "Origin: null" on a form post, which checkPost refuses.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.hostAllowed(r.Host) {
		http.Error(w, "review: host not allowed", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := s.checkPost(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// Errors of a refused state-changing request.
var (
	ErrToken  = errors.New("review: missing or wrong session token (reload the page)")
	ErrOrigin = errors.New("review: cross-origin request refused")
)

// checkPost refuses a state-changing request from another origin or
// without the session token.
func (s *Server) checkPost(r *http.Request) error {
	if err := s.csrf.Check(r); err != nil {
		return ErrOrigin
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if o != "http://"+r.Host && o != "https://"+r.Host {
			return ErrOrigin
		}
	} else if o == "null" {
		return ErrOrigin
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return ErrToken
	}
	// A script may send the token in a header (with the version in
	// If-Match) instead of the form fields the pages post.
	tok := r.Header.Get("X-Diglot-Token")
	if tok == "" {
		tok = r.PostForm.Get("token")
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
		return ErrToken
	}
	return nil
}

// maxForm bounds a posted form: a target block is a paragraph, not a book.
const maxForm = 4 << 20

// hostAllowed reports whether a request's Host header names this server:
// a loopback address, localhost, or one of Options.Hosts.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return slices.Contains(s.opts.Hosts, "*") || slices.ContainsFunc(s.opts.Hosts, func(h string) bool { return strings.EqualFold(h, host) })
}
