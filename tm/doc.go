// Package tm is diglot's translation memory: a store of finished
// translations of source segments, per language pair, that makes runs
// incremental (a segment already translated is never paid for twice),
// resumable (every batch is committed before its results are used) and safe
// for reviewers (a human translation is never overwritten by a machine one).
//
// # Entries and keys
//
// An [Entry] is identified by its language pair and a key. The store never
// computes keys: the pipeline does, as a hash of the source text in neutral
// form plus a hash of the glossary entries that matched it, so a glossary
// change re-translates only the segments it touches. Texts are in the
// neutral tag form of package tags. Languages are BCP 47 and canonicalised
// by the store ("zh-cn" is "zh-CN").
//
// # Provenance
//
// Each entry records its kind ([State]: [Machine] or [Reviewed]), its
// origin ("openai:gpt-4o-mini" for an engine and model, [OriginHuman] for a
// reviewer, "import:<file>" for a TMX import) and its times. A key holds at
// most one reviewed entry and one machine entry per origin — its slots
// ([Entry.Slot]):
//
//   - a machine Put replaces the machine entry of the same origin only, and
//     never touches the reviewed one (--force re-translates this way);
//   - a reviewed Put replaces the reviewed entry unless that one was
//     updated later ([Supersedes]);
//   - --force-reviewed goes through [Replacer], which also drops the
//     reviewed entry under a machine one.
//
// A lookup is a [Query]: per key, the reviewed entry if any (reviewed work
// is reused by every engine), else the machine entry of the run's own
// origin — another engine's or model's output is not what the user asked
// for. [AnyOrigin] ("--reuse any") takes the newest machine entry of any
// origin; an empty Origin takes reviewed entries only, as the offline
// engines copy and pseudo do, whose output is never stored.
// [VariantLister] lists every entry of a key, for the reviewer's "other
// translations".
//
// # Stores
//
// [Store] is the small interface the pipeline uses: batch Get, transactional
// Put, Close. Three implementations share its semantics, checked by the
// conformance suite in package tm/tmtest:
//
//   - [SQLite], the default, a file (".diglot/tm.db" beside the
//     configuration, [DefaultPath]) opened with [Open];
//   - [Postgres], a memory a team shares, opened from a postgres:// URL
//     with [OpenPostgres] ([OpenURL] takes either);
//   - [Memory], for tests and --no-tm runs (which still dedupe segments).
//
// [OpenURL] refuses a location that is neither a postgres:// URL nor a
// file path ([CheckLocation]: another scheme, a keyword/value string)
// rather than open it as a file name. [Redact] shows a location without
// its passwords; errors and logs of this package only ever show that.
//
// Optional capabilities are interfaces that callers type-assert, with a
// fallback, as database/sql does with its driver interfaces; all three
// stores implement all of them:
//
//   - [Enumerator]: Each, to export;
//   - [VariantLister]: Variants, every entry of one key;
//   - [StatsReporter]: Stats, for `diglot tm stats`;
//   - [Deleter]: Delete;
//   - [Replacer]: Replace, Put without precedence (--force-reviewed);
//   - [Claimer]: Claim, Renew and Release, leases on keys so that runs
//     sharing a store pay for each segment once.
//
// # Claims
//
// Runs that share a store (processes on one machine with SQLite, machines
// with PostgreSQL) split the work with [Claimer]: a run claims the keys it
// is missing, translates those granted, stores and releases them, and waits
// for the keys others hold to appear, claiming again from time to time. A
// lease runs out after its ttl unless renewed, so the keys of a run that was
// killed come back to the others. Two owners never hold one key: SQLite
// serialises claims with its write lock; PostgreSQL upserts a lease table
// (the conflicting row waits for the other transaction, then is skipped)
// and re-checks for entries committed meanwhile.
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
// PRAGMA application_id, so Open migrates older diglot files in place (in
// one transaction; version 1, before provenance, keeps its entries, less
// the machine output of copy and pseudo that older versions stored;
// version 2, before markup, keeps its entries without markup) and
// refuses foreign or newer ones with [ErrSchema]. Lookups are primary-key
// searches ((source_lang, target_lang, key, state, slot), WITHOUT ROWID,
// so the entries of a key are adjacent); a batch Get sends up to 10,000
// keys as one JSON array parameter per statement, in one read transaction.
//
// # PostgreSQL
//
// [Postgres] uses github.com/jackc/pgx/v5 (pure Go) with a connection
// pool. Its tables (entries, leases, schema_version) go in the first schema
// of the search path. Migrations are versioned in this package and applied
// in one transaction under an advisory lock, so processes that start at once
// wait for each other. A batch Get is one query per 10,000 keys (an array
// parameter); a Put is one batch of upserts in one transaction, rows locked
// in key order so concurrent Puts never deadlock. Lease expiry uses the
// server's clock, so machines whose clocks disagree still agree on it.
// Errors never show the password of the URL.
//
// # TMX
//
// [ExportTMX] and [ImportTMX] exchange entries with CAT tools (OmegaT,
// Trados, memoQ) as TMX 1.4b. Each entry (each origin's machine entry of a
// key, and its reviewed one) is a <tu> with the key, origin,
// state and first-seen path as <prop type="x-diglot-...">, TMX dates, and a
// <tuv xml:lang><seg> per language. Neutral tags travel as TMX inline codes
// whose native code is the original markup the entry records for them
// ([Entry.Markup], [TagMarkup]) — an image <x1/> as
// <ph x="1">![](a.png)</ph>, a link <g2>…</g2> as
// <bpt i="2" x="2">[</bpt>…<ept i="2">](https://…)</ept> — which CAT tools
// show as protected tags with the real Markdown, and which import turns
// back into exactly the same neutral text and markup: export, import and
// export again gives the same bytes. An entry without markup (stored before
// diglot recorded it) carries the neutral tag itself as native code,
// <ph x="1">&lt;x1/&gt;</ph>, as older exports did; a prop
// x-diglot-markup tells the two apart. Escaping the tags as text instead
// would have let translators edit them.
//
// Units from other tools carry no diglot props: their key comes from a
// [KeyFunc] the caller supplies, their origin is "import:<file>", their
// state reviewed (a human TM holds human work) unless a prop says otherwise,
// and their inline codes become neutral tags numbered in source order whose
// markup is the tool's native code, so that an export gives it back.
// When a unit has several languages, [ImportOptions] picks the source and
// target <tuv>. A malformed document fails with a [*ParseError] naming line,
// column and byte offset.
//
// # Commands
//
// The `diglot tm` commands are a few lines each over this package:
//
//	// diglot tm stats [--json]
//	st, err := tm.OpenURL(ctx, pathOrURL, nil)
//	stats, err := st.(tm.StatsReporter).Stats(ctx)
//	err = stats.WriteText(os.Stdout) // or json.NewEncoder(os.Stdout).Encode(stats)
//
//	// diglot tm export --format tmx [--source zh --target en] > FILE.tmx
//	n, err := tm.ExportTMX(ctx, os.Stdout, st.(tm.Enumerator), &tm.ExportOptions{SourceLang: src, TargetLang: tgt})
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
