package out

import (
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// renderer is goldmark as a reader's renderer sees a published document:
// CommonMark with the GitHub extensions and footnotes. It is safe for
// concurrent use.
var renderer = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
})

// pairedParser returns renderer's parser.
func pairedParser() parser.Parser { return renderer().Parser() }
