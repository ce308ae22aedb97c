package qa

import (
	"errors"
	"fmt"
	"slices"
)

// ErrUnknownCheck is returned by Config.Validate for a name in Disable that
// is not a check.
var ErrUnknownCheck = errors.New("qa: unknown check")

// Config holds the settings of the checks, decoded from the [qa] table of
// config.toml (go-toml/v2, strict). A nil *Config means the defaults: every
// check on, not strict, length bounds for the language pair.
//
//	[qa]
//	strict = true                      # any error-level finding fails the run
//	disable = ["length", "numbers"]    # checks switched off, by kind
//	length_min = 1.2                   # target/source character ratio bounds;
//	length_max = 6.0                   # 0 = the language pair's default
type Config struct {
	// Strict makes any error-level finding fail the run (exit status 1).
	// The checks themselves ignore it; callers decide with HasErrors.
	Strict bool `toml:"strict"`
	// Disable names the checks switched off, by kind (see Kinds).
	Disable []string `toml:"disable"`
	// LengthMin and LengthMax bound the ratio of target to source
	// characters (white space not counted). Zero means the default for the
	// language pair (see LengthBounds).
	LengthMin float64 `toml:"length_min"`
	LengthMax float64 `toml:"length_max"`

	// Glossary, when set, verifies one segment against the glossary and
	// returns one message per violation (source and target are neutral
	// text). It keeps package qa independent of package glossary, which
	// the caller adapts:
	//
	//	cfg.Glossary = func(src, tgt string) []string {
	//		var msgs []string
	//		for _, v := range g.CheckPair(src, tgt) { // g is a *glossary.Glossary
	//			msgs = append(msgs, v.String())
	//		}
	//		return msgs
	//	}
	Glossary func(source, target string) []string `toml:"-"`
}

// Validate reports a Disable entry that names no check, or length bounds
// that cannot hold.
func (c *Config) Validate() error {
	if c == nil {
		return nil
	}
	for _, d := range c.Disable {
		if !slices.Contains(Kinds(), d) {
			return fmt.Errorf("qa: disable %q (checks are %v): %w", d, Kinds(), ErrUnknownCheck)
		}
	}
	if c.LengthMin < 0 || c.LengthMax < 0 || c.LengthMax != 0 && c.LengthMin > c.LengthMax {
		return fmt.Errorf("qa: length bounds [%g, %g] are not a range", c.LengthMin, c.LengthMax)
	}
	return nil
}

// Enabled reports whether the check of kind is on: true for a nil Config.
func (c *Config) Enabled(kind string) bool {
	return c == nil || !slices.Contains(c.Disable, kind)
}
