// Package review is the local web workbench behind `diglot review`: a
// net/http server over the aligned bilingual files of package out, which
// stay the single source of truth, so git, editors and the CLI keep
// working beside it.
//
// [New] takes directories and returns a [Server], an http.Handler. Files
// (*.md, *.markdown; hidden files and directories skipped) are listed at
// start and on each visit of the file list, and read lazily: a page reads
// only the files it shows, and a file is read again only when its size or
// modification time changed.
//
// # Pages
//
//	GET  /                       the files with per-file progress (units machine,
//	                             reviewed, stale, failed, new; flagged), 100 a page
//	GET  /units?FILTER           the units a filter selects, 100 a page
//	GET  /unit?at=FILE&id=N      one unit: source and target side by side,
//	                             rendered (goldmark, no raw HTML) or raw (&raw=1),
//	                             QA findings, glossary terms highlighted in both
//	                             columns, a stale unit's previous reviewed text as
//	                             a word diff, the memory's other translations
//	POST /save                   write a new target (form field target)
//	POST /accept                 mark the unit reviewed as it is
//
// A filter is file (a file id), state (new, machine, reviewed, stale,
// failed; a unit a reviewer edited counts as reviewed), flag (a QA kind, or
// any), q (text, case-insensitive) and in (source or target). The unit
// view's previous, next and next-flagged links stay inside the filter;
// review.js binds them to keys (j, k, n; e edit, Ctrl+Enter save, a accept,
// r raw, / search). Every page works without script.
//
// # Saving
//
// A save or accept splices the change into the file's bytes: the unit's
// marker gets state=reviewed and the flags of a fresh QA check of the new
// text, the target block is replaced (its line endings made the file's),
// and a stale unit's previous target is removed. Every other byte is kept.
// The result is read with out's reader, as the CLI reads it; a target that
// breaks the structure (an item added, a link dropped, a blank line that
// would make two blocks) is refused with the reader's reason, as an
// [*EditError], and nothing is written. The file is then written
// atomically (a temporary file beside it, then a rename; a symlink inside
// the directory is written through), and pipeline.ImportReviews stores
// its reviewed units in the memory as reviewed entries (origin human).
//
// Each page carries the version (ETag) of the bytes it was built from. A
// save whose version no longer matches the file — an editor, a translate
// run or another tab changed it — is answered 412 with the unit reloaded
// from disk ([ErrConflict]); the file is never overwritten.
//
// # Security
//
// Every directory is opened as an os.Root: no path outside it is read or
// written, through ".." or a symlink; files are addressed by an id that
// must name a listed file. Requests whose Host is not a loopback address,
// localhost or one of [Options.Hosts] are refused (DNS rebinding). A POST
// needs the session token that the pages carry ([ErrToken]) and must come
// from the same origin ([ErrOrigin]; http.CrossOriginProtection and an
// Origin check). Pages are sent with a Content-Security-Policy that allows
// no inline script and no external asset; templates and assets are
// embedded.
package review
