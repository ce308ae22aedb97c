package tm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// schemaVersion is the schema this code writes, kept in PRAGMA user_version.
// migrations[i] upgrades a database from version i to i+1, in one
// transaction.
var schemaVersion = len(migrations)

var migrations = [][]string{
	// 0 -> 1: the entries table, one entry per key. WITHOUT ROWID clusters
	// rows by the primary key, so a lookup is one B-tree descent and Each
	// walks in key order. Times are Unix nanoseconds, UTC.
	{`CREATE TABLE entries (
		source_lang TEXT NOT NULL,
		target_lang TEXT NOT NULL,
		key         TEXT NOT NULL,
		source      TEXT NOT NULL,
		target      TEXT NOT NULL,
		origin      TEXT NOT NULL,
		state       TEXT NOT NULL CHECK (state IN ('machine', 'reviewed')),
		created     INTEGER NOT NULL,
		updated     INTEGER NOT NULL,
		first_seen  TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (source_lang, target_lang, key)
	) WITHOUT ROWID`},
	// 1 -> 2: provenance. A key keeps one entry per slot (the reviewed one,
	// and one machine entry per origin), so the primary key gains state and
	// slot; the rows of a key stay adjacent, so a lookup is still one
	// descent. Machine entries of the offline engines "copy" and "pseudo"
	// are dropped: the source text and a pseudo-translation were stored as
	// translations by earlier versions and must never be reused as one.
	// The leases table holds the claims of runs that share the file.
	{
		`CREATE TABLE entries2 (
		source_lang TEXT NOT NULL,
		target_lang TEXT NOT NULL,
		key         TEXT NOT NULL,
		state       TEXT NOT NULL CHECK (state IN ('machine', 'reviewed')),
		slot        TEXT NOT NULL,
		source      TEXT NOT NULL,
		target      TEXT NOT NULL,
		origin      TEXT NOT NULL,
		created     INTEGER NOT NULL,
		updated     INTEGER NOT NULL,
		first_seen  TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (source_lang, target_lang, key, state, slot)
	) WITHOUT ROWID`,
		`INSERT INTO entries2 (source_lang, target_lang, key, state, slot, source, target, origin, created, updated, first_seen)
	SELECT source_lang, target_lang, key, state, CASE state WHEN 'reviewed' THEN '' ELSE origin END,
		source, target, origin, created, updated, first_seen
	FROM entries WHERE NOT (state = 'machine' AND origin IN ('copy', 'pseudo'))`,
		`DROP TABLE entries`,
		`ALTER TABLE entries2 RENAME TO entries`,
		`CREATE TABLE leases (
		source_lang TEXT NOT NULL,
		target_lang TEXT NOT NULL,
		key         TEXT NOT NULL,
		owner       TEXT NOT NULL,
		expires     INTEGER NOT NULL,
		PRIMARY KEY (source_lang, target_lang, key)
	) WITHOUT ROWID`,
		`CREATE INDEX leases_owner ON leases (owner, key)`,
	},
	// 2 -> 3: each entry's tag markup (TagMarkup as a JSON array, '' when
	// unknown), so that TMX exports show the original Markdown. Older
	// entries have none and export with neutral tags.
	{`ALTER TABLE entries ADD COLUMN markup TEXT NOT NULL DEFAULT ''`},
}

// applicationID marks a SQLite file as a diglot TM ("dglt"), so Open refuses
// to migrate some other application's database.
const applicationID = 0x64676c74

// ErrSchema is matched by the error Open returns for a file that is not a
// diglot TM or was written by a newer diglot.
var ErrSchema = errors.New("tm: incompatible database")

// maxBatch is how many keys one lookup statement carries. The keys travel
// as one JSON array parameter (json_each), so there is no variable limit;
// the bound only keeps each statement's temporary table small.
const maxBatch = 10_000

const entryColumns = `source_lang, target_lang, key, source, target, origin, state, created, updated, first_seen, markup`

// upsertSQL inserts an entry into its slot or, when the slot holds one,
// replaces it, keeping the earliest creation time, the first place seen and
// the markup when the new entry has none.
const upsertSQL = `INSERT INTO entries (` + entryColumns + `, slot)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_lang, target_lang, key, state, slot) DO UPDATE SET
	source = excluded.source,
	target = excluded.target,
	origin = excluded.origin,
	created = min(entries.created, excluded.created),
	updated = excluded.updated,
	first_seen = CASE WHEN entries.first_seen <> '' THEN entries.first_seen ELSE excluded.first_seen END,
	markup = CASE WHEN excluded.markup <> '' THEN excluded.markup ELSE entries.markup END`

// precedenceSQL is Supersedes within a slot: a machine entry replaces its
// origin's, a reviewed one only an entry not updated later.
const precedenceSQL = `
WHERE entries.state = 'machine' OR excluded.updated >= entries.updated`

// SQLite is a [Store] in an SQLite database file (pure Go, no cgo), in WAL
// mode so other processes can read (`diglot tm stats`, a second run's
// lookups) while a run writes. Create it with [Open].
type SQLite struct {
	db     *sql.DB
	path   string
	now    func() time.Time
	langs  langCache
	closed atomic.Bool

	getOne   *sql.Stmt // the entries of one key
	getMany  *sql.Stmt // the entries of a JSON array of keys
	upsert   *sql.Stmt // with the precedence rule
	replace  *sql.Stmt // without it
	dropRev  *sql.Stmt // delete a key's reviewed entry (Replace)
	leaseGet *sql.Stmt // the leases of a JSON array of keys
	leasePut *sql.Stmt
}

// Open opens the TM database at path, creating it and its parent directories
// when missing, and migrates its schema to the current version. Connections
// use WAL journaling, synchronous=NORMAL (a commit survives a process crash;
// only a power loss may roll back the last commits) and a busy timeout, and
// write transactions take the write lock when they begin (BEGIN IMMEDIATE),
// so two writers queue instead of failing.
//
// Switching a new file to WAL takes a lock SQLite does not wait for, so
// processes that open one file at once may find it busy: Open tries again
// for up to a few seconds.
func Open(ctx context.Context, path string, opts *Options) (*SQLite, error) {
	for i := 1; ; i++ {
		s, err := openSQLite(ctx, path, opts)
		if err == nil || i == 40 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(i) * 10 * time.Millisecond):
		}
	}
}

func openSQLite(ctx context.Context, path string, opts *Options) (*SQLite, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("tm: open %q: a file path is required (use NewMemory for an in-memory store)", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("tm: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("tm: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(abs, opts.busyTimeout()))
	if err != nil {
		return nil, fmt.Errorf("tm: open %s: %w", path, err)
	}
	// Keep connections (each holds its prepared statements and page
	// cache) instead of reopening them when the pipeline's lookups run
	// concurrently. The number open is not capped: Each holds one while its
	// callback may Put through another.
	db.SetMaxIdleConns(8)
	s := &SQLite{db: db, path: path, now: opts.now()}
	if err := s.init(ctx, opts.logger()); err != nil {
		db.Close()
		return nil, fmt.Errorf("tm: open %s: %w", path, err)
	}
	return s, nil
}

// dsn builds a "file:" URI, so any path (spaces, '?', '#') survives, with the
// driver's per-connection settings.
func dsn(abs string, busy time.Duration) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// 32 MiB of page cache per connection instead of 2: the B-tree's
	// upper levels stay cached, so a lookup in a million entries reads one
	// or two pages from the OS, and bulk Puts rewrite fewer.
	q.Add("_pragma", "cache_size(-32768)")
	q.Set("_txlock", "immediate")
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *SQLite) init(ctx context.Context, log *slog.Logger) error {
	if err := s.migrate(ctx, log); err != nil {
		return err
	}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&s.getOne, `SELECT ` + entryColumns + ` FROM entries WHERE source_lang = ? AND target_lang = ? AND key = ?`},
		// The IN subquery becomes a temporary index over the keys, which
		// SQLite walks with one primary-key descent each.
		{&s.getMany, `SELECT ` + entryColumns + ` FROM entries
			WHERE source_lang = ? AND target_lang = ? AND key IN (SELECT value FROM json_each(?))`},
		{&s.upsert, upsertSQL + precedenceSQL},
		{&s.replace, upsertSQL},
		{&s.dropRev, `DELETE FROM entries WHERE source_lang = ? AND target_lang = ? AND key = ? AND state = 'reviewed'`},
		{&s.leaseGet, `SELECT key, owner, expires FROM leases
			WHERE source_lang = ? AND target_lang = ? AND key IN (SELECT value FROM json_each(?))`},
		{&s.leasePut, `INSERT INTO leases (source_lang, target_lang, key, owner, expires) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source_lang, target_lang, key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires`},
	} {
		st, err := s.db.PrepareContext(ctx, p.q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.q, err)
		}
		*p.st = st
	}
	return nil
}

// migrate brings the schema to schemaVersion. A current schema is only
// read, so opening never waits for a run that is writing; a migration runs
// in one write transaction and checks again inside it, so two processes
// opening a new file at once cannot both create it.
func (s *SQLite) migrate(ctx context.Context, log *slog.Logger) error {
	version, err := checkSchema(ctx, s.db)
	if err != nil || version == schemaVersion {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if version, err = checkSchema(ctx, tx); err != nil || version == schemaVersion {
		return err
	}
	for v := version; v < schemaVersion; v++ {
		log.Debug("tm: migrating schema", "path", s.path, "from", v, "to", v+1)
		for _, q := range migrations[v] {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
	}
	// PRAGMA takes no parameters; both values are constants of this file.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkSchema returns the file's schema version, or an error when the file
// is not a diglot TM or is newer than this code.
func checkSchema(ctx context.Context, q queryer) (int, error) {
	var app, version, tables int
	if err := q.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&app); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&tables); err != nil {
		return 0, err
	}
	switch {
	case app != 0 && app != applicationID:
		return 0, fmt.Errorf("%w: not a diglot translation memory (application_id %#x)", ErrSchema, app)
	case app == 0 && (version != 0 || tables != 0):
		return 0, fmt.Errorf("%w: not a diglot translation memory (it holds other tables)", ErrSchema)
	case version > schemaVersion:
		return 0, fmt.Errorf("%w: schema version %d is newer than this diglot's %d", ErrSchema, version, schemaVersion)
	}
	return version, nil
}

// Path returns the path the store was opened with.
func (s *SQLite) Path() string { return s.path }

// Get implements [Store]. One key is one primary-key lookup; more are
// looked up 10,000 at a time, each chunk one statement whose keys travel as
// a JSON array. A lookup of several chunks runs in one read transaction, so
// it sees one snapshot: each Put batch entirely or not at all.
func (s *SQLite) Get(ctx context.Context, q Query) (map[string]Entry, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	q, err := q.canon(&s.langs)
	if err != nil {
		return nil, err
	}
	if len(q.Keys) <= maxBatch {
		found, err := s.get(ctx, nil, q)
		if err != nil {
			return nil, fmt.Errorf("tm: get: %w", s.wrap(err))
		}
		return found, nil
	}
	// ReadOnly makes the driver begin a deferred transaction, which takes
	// no write lock despite _txlock=immediate.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("tm: get: %w", s.wrap(err))
	}
	defer tx.Rollback()
	found, err := s.get(ctx, tx, q)
	if err != nil {
		return nil, fmt.Errorf("tm: get: %w", s.wrap(err))
	}
	return found, nil
}

// get runs the lookups of q, in tx when it is not nil.
func (s *SQLite) get(ctx context.Context, tx *sql.Tx, q Query) (map[string]Entry, error) {
	stmt := func(st *sql.Stmt) *sql.Stmt {
		if tx != nil {
			return tx.StmtContext(ctx, st)
		}
		return st
	}
	found := make(map[string]Entry, len(q.Keys))
	pick := func(e Entry) error { q.pick(found, e); return nil }
	if len(q.Keys) == 1 {
		return found, s.query(ctx, stmt(s.getOne), []any{q.SourceLang, q.TargetLang, q.Keys[0]}, pick)
	}
	for keys := q.Keys; len(keys) > 0; {
		chunk := keys[:min(len(keys), maxBatch)]
		keys = keys[len(chunk):]
		list, err := json.Marshal(chunk)
		if err != nil {
			return nil, err
		}
		if err := s.query(ctx, stmt(s.getMany), []any{q.SourceLang, q.TargetLang, string(list)}, pick); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// query runs a prepared lookup and scans each row into an Entry.
func (s *SQLite) query(ctx context.Context, st *sql.Stmt, args []any, fn func(Entry) error) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	return scanEntries(rows, fn)
}

func scanEntries(rows *sql.Rows, fn func(Entry) error) error {
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var state, markup string
		var created, updated int64
		if err := rows.Scan(&e.SourceLang, &e.TargetLang, &e.Key, &e.Source, &e.Target,
			&e.Origin, &state, &created, &updated, &e.FirstSeen, &markup); err != nil {
			return err
		}
		var err error
		if e.Markup, err = decodeMarkup(markup); err != nil {
			return err
		}
		e.State = State(state)
		e.Created = time.Unix(0, created).UTC()
		e.Updated = time.Unix(0, updated).UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Variants implements [VariantLister].
func (s *SQLite) Variants(ctx context.Context, srcLang, tgtLang, key string) ([]Entry, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	src, tgt, err := s.langs.pair(srcLang, tgtLang)
	if err != nil {
		return nil, err
	}
	var es []Entry
	if err := s.query(ctx, s.getOne, []any{src, tgt, key}, func(e Entry) error {
		es = append(es, e)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("tm: variants: %w", s.wrap(err))
	}
	slices.SortFunc(es, compareVariants)
	return es, nil
}

// Put implements [Store]: all entries in one transaction, each an upsert
// into its slot whose WHERE clause is the precedence rule.
func (s *SQLite) Put(ctx context.Context, entries []Entry) error {
	if err := s.write(ctx, entries, false); err != nil {
		return fmt.Errorf("tm: put: %w", err)
	}
	return nil
}

// Replace implements [Replacer].
func (s *SQLite) Replace(ctx context.Context, entries []Entry) error {
	if err := s.write(ctx, entries, true); err != nil {
		return fmt.Errorf("tm: replace: %w", err)
	}
	return nil
}

func (s *SQLite) write(ctx context.Context, entries []Entry, force bool) error {
	if s.closed.Load() {
		return ErrClosed
	}
	prepared := make([]Entry, len(entries))
	for i, e := range entries {
		p, err := prepare(e, s.now, &s.langs)
		if err != nil {
			return err
		}
		prepared[i] = p
	}
	if len(prepared) == 0 {
		return ctx.Err()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	st := s.upsert
	if force {
		st = s.replace
	}
	txst := tx.StmtContext(ctx, st)
	var drop *sql.Stmt
	for _, e := range prepared {
		if force && e.State == Machine {
			if drop == nil {
				drop = tx.StmtContext(ctx, s.dropRev)
			}
			if _, err := drop.ExecContext(ctx, e.SourceLang, e.TargetLang, e.Key); err != nil {
				return s.wrap(err)
			}
		}
		if _, err := txst.ExecContext(ctx, e.SourceLang, e.TargetLang, e.Key, e.Source, e.Target,
			e.Origin, string(e.State), e.Created.UnixNano(), e.Updated.UnixNano(), e.FirstSeen, encodeMarkup(e.Markup), e.Slot()); err != nil {
			return s.wrap(err)
		}
	}
	return s.wrap(tx.Commit())
}

// Delete implements [Deleter].
func (s *SQLite) Delete(ctx context.Context, srcLang, tgtLang string, keys []string) (int, error) {
	if s.closed.Load() {
		return 0, ErrClosed
	}
	src, tgt, err := s.langs.pair(srcLang, tgtLang)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("tm: delete: %w", s.wrap(err))
	}
	defer tx.Rollback()
	var n int64
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), maxBatch)]
		keys = keys[len(chunk):]
		list, err := json.Marshal(chunk)
		if err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM entries WHERE source_lang = ? AND target_lang = ?
			AND key IN (SELECT value FROM json_each(?))`, src, tgt, string(list))
		if err != nil {
			return 0, fmt.Errorf("tm: delete: %w", s.wrap(err))
		}
		c, _ := res.RowsAffected()
		n += c
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("tm: delete: %w", s.wrap(err))
	}
	return int(n), nil
}

// Each implements [Enumerator]. It reads one consistent snapshot; fn may
// write to the store meanwhile (through another connection).
func (s *SQLite) Each(ctx context.Context, f *Filter, fn func(Entry) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	cf, err := f.canon()
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries
		WHERE (?1 = '' OR source_lang = ?1) AND (?2 = '' OR target_lang = ?2) AND (?3 = '' OR state = ?3)
		ORDER BY source_lang, target_lang, key, state, slot`, cf.SourceLang, cf.TargetLang, string(cf.State))
	if err != nil {
		return fmt.Errorf("tm: each: %w", s.wrap(err))
	}
	var fnErr error
	err = scanEntries(rows, func(e Entry) error {
		if fnErr = fn(e); fnErr != nil {
			return fnErr
		}
		return ctx.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("tm: each: %w", s.wrap(err))
	}
	return nil
}

// Stats implements [StatsReporter]. Both counts run in one read
// transaction, so they agree.
func (s *SQLite) Stats(ctx context.Context) (*Stats, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("tm: stats: %w", s.wrap(err))
	}
	defer tx.Rollback()
	st, err := countStats(ctx, sqlQueryer{tx})
	if err != nil {
		return nil, fmt.Errorf("tm: stats: %w", s.wrap(err))
	}
	return st, nil
}

// Claim implements [Claimer]. It runs in one write transaction: SQLite has
// one writer at a time, so two processes cannot both take a key.
func (s *SQLite) Claim(ctx context.Context, owner string, q Query, ttl time.Duration) ([]string, error) {
	if err := checkClaim(owner, ttl); err != nil {
		return nil, err
	}
	if s.closed.Load() {
		return nil, ErrClosed
	}
	q, err := q.canon(&s.langs)
	if err != nil {
		return nil, err
	}
	q.Keys = uniqueKeys(q.Keys)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("tm: claim: %w", s.wrap(err))
	}
	defer tx.Rollback()
	granted, err := s.claim(ctx, tx, owner, q, ttl)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return nil, fmt.Errorf("tm: claim: %w", s.wrap(err))
	}
	return granted, nil
}

func (s *SQLite) claim(ctx context.Context, tx *sql.Tx, owner string, q Query, ttl time.Duration) ([]string, error) {
	done, err := s.get(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	now := s.now().UnixNano()
	taken := make(map[string]bool)
	get := tx.StmtContext(ctx, s.leaseGet)
	for keys := q.Keys; len(keys) > 0; {
		chunk := keys[:min(len(keys), maxBatch)]
		keys = keys[len(chunk):]
		list, err := json.Marshal(chunk)
		if err != nil {
			return nil, err
		}
		rows, err := get.QueryContext(ctx, q.SourceLang, q.TargetLang, string(list))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var key, who string
			var expires int64
			if err := rows.Scan(&key, &who, &expires); err != nil {
				rows.Close()
				return nil, err
			}
			taken[key] = who != owner && expires > now && !ownerGone(who)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	put := tx.StmtContext(ctx, s.leasePut)
	expires := now + ttl.Nanoseconds()
	granted := []string{}
	for _, k := range q.Keys {
		if _, ok := done[k]; ok || taken[k] {
			continue
		}
		if _, err := put.ExecContext(ctx, q.SourceLang, q.TargetLang, k, owner, expires); err != nil {
			return nil, err
		}
		granted = append(granted, k)
	}
	return granted, nil
}

// Renew implements [Claimer].
func (s *SQLite) Renew(ctx context.Context, owner string, ttl time.Duration) error {
	if err := checkClaim(owner, ttl); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE leases SET expires = ? WHERE owner = ?`,
		s.now().Add(ttl).UnixNano(), owner); err != nil {
		return fmt.Errorf("tm: renew: %w", s.wrap(err))
	}
	return nil
}

// Release implements [Claimer].
func (s *SQLite) Release(ctx context.Context, owner string, keys []string) error {
	if err := validOwner(owner); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if len(keys) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("tm: release: %w", s.wrap(err))
	}
	defer tx.Rollback()
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), maxBatch)]
		keys = keys[len(chunk):]
		list, err := json.Marshal(chunk)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE owner = ? AND key IN (SELECT value FROM json_each(?))`,
			owner, string(list)); err != nil {
			return fmt.Errorf("tm: release: %w", s.wrap(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("tm: release: %w", s.wrap(err))
	}
	return nil
}

// Close implements [Store]. It closes the database; the WAL is checkpointed
// by SQLite when the last connection closes.
func (s *SQLite) Close() error {
	if s.closed.Swap(true) {
		return ErrClosed
	}
	for _, st := range []*sql.Stmt{s.getOne, s.getMany, s.upsert, s.replace, s.dropRev, s.leaseGet, s.leasePut} {
		if st != nil {
			st.Close()
		}
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("tm: close %s: %w", s.path, err)
	}
	return nil
}

// wrap marks an error that happened because Close ran concurrently with the
// call, so callers can test for ErrClosed.
func (s *SQLite) wrap(err error) error {
	if err != nil && s.closed.Load() {
		return errors.Join(ErrClosed, err)
	}
	return err
}

var (
	_ Store         = (*SQLite)(nil)
	_ Enumerator    = (*SQLite)(nil)
	_ VariantLister = (*SQLite)(nil)
	_ StatsReporter = (*SQLite)(nil)
	_ Deleter       = (*SQLite)(nil)
	_ Replacer      = (*SQLite)(nil)
	_ Claimer       = (*SQLite)(nil)
)
