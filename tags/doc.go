// Package tags defines the neutral tag form that protects spans inside a
// translatable segment.
//
// A segment's text is plain translatable text in which every span that must
// survive translation untouched (a link destination, an image, inline code,
// raw HTML, a URL, a footnote reference, a hard line break) is replaced by a
// tag. Paired formatting (emphasis, strong, link text) becomes an open and a
// close tag around text that stays translatable:
//
//	<x1/>          a standalone tag: one protected span
//	<g2>…</g2>     a paired tag: its opening and closing markup are protected,
//	               the text between them is translated
//
// Tag numbers are local to a segment and count from 1 in source order, so the
// same paragraph has the same neutral text in every document; what each tag
// stands for is kept by the segment, never sent to an engine.
//
// The neutral form is owned by the pipeline. Engines encode it their own way
// (HTML for engines with HTML modes, the tags themselves for chat engines) and
// decode it back; [Check] then verifies that every tag came back exactly once
// and well nested before a translation is accepted.
//
// Any text that merely looks like a tag in a source document is itself
// protected by the segmenter, so tag syntax in a segment is always a tag.
package tags
