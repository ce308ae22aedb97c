package main

import (
	"github.com/diglot/diglot/glossary"
)

// glossary loads the glossaries of the configuration, then those given
// with --glossary, later files overriding earlier ones. It returns nil when
// there are none. Conflicts between files are printed as warnings.
func (a *app) glossary(flags []string) (*glossary.Glossary, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range c.Glossary {
		paths = append(paths, c.Resolve(p))
	}
	paths = append(paths, flags...)
	if len(paths) == 0 {
		return nil, nil
	}
	g, conflicts, err := glossary.Load(paths...)
	if err != nil {
		return nil, usageError{err}
	}
	for _, cf := range conflicts {
		a.warn("glossary: %v", cf)
	}
	return g, nil
}
