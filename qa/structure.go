package qa

import (
	"fmt"

	"github.com/diglot/diglot/markdown"
)

// checkStructure reports how the target document's structure departs from
// the source's (markdown.Compare): block tree, heading levels, list kinds
// and item counts, table shape, code blocks byte for byte, and the link and
// image destinations, inline code and raw HTML.
func checkStructure(src, tgt *markdown.Document) []Finding {
	var fs []Finding
	for _, d := range markdown.Compare(src, tgt) {
		fs = append(fs, Finding{Segment: NoSegment, Line: d.Line, Kind: KindStructure,
			Severity: Error, Message: fmt.Sprintf("%s: %s", d.Kind, d.Message)})
	}
	return fs
}
