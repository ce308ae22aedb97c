package providers

import (
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"
)

// Config is what a [Factory] receives to build an engine.
type Config struct {
	// Decode decodes the engine's [providers.NAME] table into v (a pointer to
	// the engine's Options struct), strictly: an unknown key is an error. A
	// nil Decode means the table is empty.
	Decode func(v any) error
	// Getenv reads the environment, where secrets come from. Nil means
	// os.Getenv.
	Getenv func(string) string
	// Logger receives debug detail; nil discards.
	Logger *slog.Logger
	// Resolve makes a path from the engine's settings (a prompt file, say)
	// relative to the configuration file that named it. Nil leaves paths as
	// they are, relative to the working directory.
	Resolve func(path string) string
}

// Path resolves a path from the engine's settings with Resolve.
func (c Config) Path(p string) string {
	if c.Resolve == nil || p == "" {
		return p
	}
	return c.Resolve(p)
}

// DecodeInto decodes the engine's settings into v, doing nothing when there
// are none.
func (c Config) DecodeInto(v any) error {
	if c.Decode == nil {
		return nil
	}
	return c.Decode(v)
}

// Env returns the value of the environment variable name.
func (c Config) Env(name string) string {
	if c.Getenv == nil {
		return os.Getenv(name)
	}
	return c.Getenv(name)
}

// Log returns the logger, never nil.
func (c Config) Log() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

// Factory builds an engine from its configuration.
type Factory func(cfg Config) (Provider, error)

// Engine describes a registered engine.
type Engine struct {
	Name    string  // the name used in config and on the command line
	Summary string  // one line for `diglot providers`
	New     Factory // builds the engine
	// Offline engines need no network and no credentials.
	Offline bool
}

// Registry maps engine names to engines. The zero value is empty and ready.
type Registry struct {
	mu      sync.RWMutex
	engines map[string]Engine
}

// Register adds e. It panics if e.Name is empty or already registered, or if
// e.New is nil: these are programming errors.
func (r *Registry) Register(e Engine) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Name == "" || e.New == nil {
		panic("providers: Register with empty name or nil factory")
	}
	if _, dup := r.engines[e.Name]; dup {
		panic("providers: Register called twice for engine " + e.Name)
	}
	if r.engines == nil {
		r.engines = map[string]Engine{}
	}
	r.engines[e.Name] = e
}

// Lookup returns the engine registered as name.
func (r *Registry) Lookup(name string) (Engine, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.engines[name]
	return e, ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.engines))
	for n := range r.engines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open builds the engine registered as name.
func (r *Registry) Open(name string, cfg Config) (Provider, error) {
	e, ok := r.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("%w %q (registered: %v)", ErrUnknown, name, r.Names())
	}
	p, err := e.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("provider %s: %w", name, err)
	}
	return p, nil
}

// ErrUnknown is returned by Open for a name that is not registered.
var ErrUnknown = errorString("providers: unknown engine")

type errorString string

func (e errorString) Error() string { return string(e) }

// Default is the registry that engine packages register with in init.
var Default = &Registry{}

// Register adds e to [Default].
func Register(e Engine) { Default.Register(e) }

// Lookup finds name in [Default].
func Lookup(name string) (Engine, bool) { return Default.Lookup(name) }

// Names lists [Default]'s engines, sorted.
func Names() []string { return Default.Names() }

// Open builds the engine registered in [Default] as name.
func Open(name string, cfg Config) (Provider, error) { return Default.Open(name, cfg) }
