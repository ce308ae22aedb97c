package qa

import (
	"errors"
	"strings"

	"github.com/diglot/diglot/tags"
)

// checkTags reports a target whose tags are not exactly the source's: each
// present once, none invented, paired tags well nested (tags.Check).
func checkTags(src, tgt string) []Finding {
	err := tags.Check(src, tgt)
	if err == nil {
		return nil
	}
	msg := err.Error()
	var te *tags.Error
	if errors.As(err, &te) {
		msg = strings.TrimPrefix(te.Error(), "tags: ")
	}
	return []Finding{{Kind: KindTags, Severity: Error, Message: msg}}
}
