// Package tm is diglot's translation memory: a store of finished
// translations, one per source segment and language pair, that makes runs
// incremental (a segment already translated is never paid for twice),
// resumable (every batch is committed before its results are used) and safe
// for reviewers (a human translation is never overwritten by a machine one).
//
// # Entries and keys
//
// An [Entry] is identified by its language pair and a key. The store never
// computes keys: the pipeline does, as a hash of the normalised source text
// plus a hash of the glossary entries that matched it, so a glossary change
// re-translates only the segments it touches. Texts are in the neutral tag
// form of package tags. Languages are BCP 47 and canonicalised by the store
// ("zh-cn" is "zh-CN").
//
// Precedence is enforced by every store in Put (see [Supersedes]): a
// reviewed entry beats a machine one, a newer reviewed entry beats an older
// one, and a machine entry replaces a machine one (how --force
// re-translates). --force-reviewed goes through [Replacer].
//
// # Stores
//
// [Store] is the small interface the pipeline uses: batch Get, transactional
// Put, Close. Two implementations share its semantics, checked by the
// conformance suite in package tm/tmtest:
//
//   - [SQLite], the default, a file (".diglot/tm.db" beside the
//     configuration, [DefaultPath]) opened with [Open];
//   - [Memory], for tests and --no-tm runs (which still dedupe segments).
//
// Optional capabilities are interfaces that callers type-assert, with a
// fallback, as database/sql does with its driver interfaces; both stores
// implement all of them:
//
//   - [Enumerator]: Each, to export;
//   - [StatsReporter]: Stats, for `diglot tm stats`;
//   - [Deleter]: Delete;
//   - [Replacer]: Replace, Put without precedence (--force-reviewed).
//
// # The SQLite file
//
// The database uses modernc.org/sqlite (pure Go, driver name "sqlite"). It
// is in WAL mode, so any number of processes read (a second run, `diglot tm
// stats`) while one writes; writers take the lock when their transaction
// begins and queue behind each other for up to [Options.BusyTimeout]. With
// synchronous=NORMAL a committed Put survives a crash of the process (kill
// -9); only a power failure can roll back the last commits, never corrupt
// the file. Each Put is one transaction, so a batch is stored entirely or
// not at all, and a reader never sees half of one.
//
// The schema version is PRAGMA user_version and the file is marked with
// PRAGMA application_id, so Open migrates older diglot files in place and
// refuses foreign or newer ones with [ErrSchema]. Lookups are primary-key
// searches ((source_lang, target_lang, key), WITHOUT ROWID) through prepared
// statements; a batch Get is cut into IN-lookups of at most 500 keys, under
// SQLite's variable limit, in one read transaction.
//
// # TMX
//
// [ExportTMX] and [ImportTMX] exchange entries with CAT tools (OmegaT,
// Trados, memoQ) as TMX 1.4b. Each entry is a <tu> with the key, origin,
// state and first-seen path as <prop type="x-diglot-...">, TMX dates, and a
// <tuv xml:lang><seg> per language. Neutral tags travel as TMX inline codes
// that carry the tag itself as native code — <x1/> as
// <ph x="1">&lt;x1/&gt;</ph>, <g2>…</g2> as
// <bpt i="2" x="2">&lt;g2&gt;</bpt>…<ept i="2">&lt;/g2&gt;</ept> — which CAT
// tools show as protected tags, and which import turns back into exactly the
// same neutral text: export, import and export again gives the same bytes.
// Escaping the tags as text instead would have let translators edit them.
//
// Units from other tools carry no diglot props: their key comes from a
// [KeyFunc] the caller supplies, their origin is "import:<file>", and their
// state reviewed (a human TM holds human work) unless a prop says otherwise.
// When a unit has several languages, [ImportOptions] picks the source and
// target <tuv>. A malformed document fails with a [*ParseError] naming line,
// column and byte offset.
//
// # Commands
//
// The `diglot tm` commands are a few lines each over this package:
//
//	// diglot tm stats [--json]
//	st, err := tm.Open(ctx, path, nil)
//	stats, err := st.Stats(ctx)
//	err = stats.WriteText(os.Stdout) // or json.NewEncoder(os.Stdout).Encode(stats)
//
//	// diglot tm export --format tmx [--source zh --target en] > FILE.tmx
//	n, err := tm.ExportTMX(ctx, os.Stdout, st, &tm.ExportOptions{SourceLang: src, TargetLang: tgt})
//
//	// diglot tm import FILE.tmx [--source zh --target en]
//	n, err := tm.ImportTMXFile(ctx, file, st, &tm.ImportOptions{
//		SourceLang: src, TargetLang: tgt,
//		KeyFunc:    func(source string) string { return pipelineKey(source) },
//		Skip:       func(line int, why string) { fmt.Fprintf(os.Stderr, "%s:%d: skipped: %s\n", file, line, why) },
//	})
//
// Open the store once per command and Close it before exiting.
package tm
