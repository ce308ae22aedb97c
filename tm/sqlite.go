package tm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// schemaVersion is the schema this code writes, kept in PRAGMA user_version.
// migrations[i] upgrades a database from version i to i+1.
var schemaVersion = len(migrations)

var migrations = []string{
	// 0 -> 1: the entries table. WITHOUT ROWID clusters rows by the primary
	// key, so a lookup is one B-tree descent and Each walks in key order.
	// Times are Unix nanoseconds, UTC.
	`CREATE TABLE entries (
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
	) WITHOUT ROWID`,
}

// applicationID marks a SQLite file as a diglot TM ("dglt"), so Open refuses
// to migrate some other application's database.
const applicationID = 0x64676c74

// ErrSchema is matched by the error Open returns for a file that is not a
// diglot TM or was written by a newer diglot.
var ErrSchema = errors.New("tm: incompatible database")

// keyTiers are the sizes of the prepared IN-lookups. A batch is cut into
// chunks of at most the largest tier and each chunk is padded (with a repeat
// of its last key) up to the next tier, so a handful of prepared statements
// serve any batch. 500 keys + 2 languages stays under 999, the variable
// limit of older SQLite builds.
var keyTiers = []int{1, 8, 64, 500}

const entryColumns = `source_lang, target_lang, key, source, target, origin, state, created, updated, first_seen`

// upsertSQL inserts an entry or, when the key exists, replaces it if the
// precedence rule (Supersedes) lets it, keeping the earliest creation time
// and the first place seen.
const upsertSQL = `INSERT INTO entries (` + entryColumns + `)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_lang, target_lang, key) DO UPDATE SET
	source = excluded.source,
	target = excluded.target,
	origin = excluded.origin,
	state = excluded.state,
	created = min(entries.created, excluded.created),
	updated = excluded.updated,
	first_seen = CASE WHEN entries.first_seen <> '' THEN entries.first_seen ELSE excluded.first_seen END`

const precedenceSQL = `
WHERE entries.state = 'machine' OR (excluded.state = 'reviewed' AND excluded.updated >= entries.updated)`

// SQLite is a [Store] in an SQLite database file (pure Go, no cgo), in WAL
// mode so other processes can read (`diglot tm stats`, a second run's
// lookups) while a run writes. Create it with [Open].
type SQLite struct {
	db     *sql.DB
	path   string
	now    func() time.Time
	langs  langCache
	closed atomic.Bool

	get     []*sql.Stmt // one per keyTiers entry
	upsert  *sql.Stmt   // with the precedence rule
	replace *sql.Stmt   // without it
}

// Open opens the TM database at path, creating it and its parent directories
// when missing, and migrates its schema to the current version. Connections
// use WAL journaling, synchronous=NORMAL (a commit survives a process crash;
// only a power loss may roll back the last commits) and a busy timeout, and
// write transactions take the write lock when they begin (BEGIN IMMEDIATE),
// so two writers queue instead of failing.
func Open(ctx context.Context, path string, opts *Options) (*SQLite, error) {
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
	var err error
	for _, n := range keyTiers {
		q := `SELECT ` + entryColumns + ` FROM entries WHERE source_lang = ? AND target_lang = ? AND key IN (?` +
			strings.Repeat(", ?", n-1) + `)`
		if n == 1 {
			q = `SELECT ` + entryColumns + ` FROM entries WHERE source_lang = ? AND target_lang = ? AND key = ?`
		}
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare lookup: %w", err)
		}
		s.get = append(s.get, st)
	}
	if s.upsert, err = s.db.PrepareContext(ctx, upsertSQL+precedenceSQL); err != nil {
		return fmt.Errorf("prepare upsert: %w", err)
	}
	if s.replace, err = s.db.PrepareContext(ctx, upsertSQL); err != nil {
		return fmt.Errorf("prepare replace: %w", err)
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
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
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

// Get implements [Store]. Keys are looked up in chunks of up to 500 with
// prepared statements; a single key is one primary-key lookup. A lookup of
// several chunks runs in one read transaction, so it sees one snapshot: each
// Put batch entirely or not at all.
func (s *SQLite) Get(ctx context.Context, srcLang, tgtLang string, keys []string) (map[string]Entry, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	src, tgt, err := s.langs.pair(srcLang, tgtLang)
	if err != nil {
		return nil, err
	}
	found := make(map[string]Entry, len(keys))
	maxChunk := keyTiers[len(keyTiers)-1]
	stmt := func(st *sql.Stmt) *sql.Stmt { return st }
	if len(keys) > maxChunk {
		// ReadOnly makes the driver begin a deferred transaction, which
		// takes no write lock despite _txlock=immediate.
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("tm: get: %w", s.wrap(err))
		}
		defer tx.Rollback()
		stmt = func(st *sql.Stmt) *sql.Stmt { return tx.StmtContext(ctx, st) }
	}
	args := make([]any, 0, 2+maxChunk)
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), maxChunk)]
		keys = keys[len(chunk):]
		tier := 0
		for keyTiers[tier] < len(chunk) {
			tier++
		}
		args = append(args[:0], src, tgt)
		for _, k := range chunk {
			args = append(args, k)
		}
		for len(args) < 2+keyTiers[tier] {
			args = append(args, chunk[len(chunk)-1])
		}
		if err := s.query(ctx, stmt(s.get[tier]), args, func(e Entry) error {
			found[e.Key] = e
			return nil
		}); err != nil {
			return nil, fmt.Errorf("tm: get: %w", s.wrap(err))
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
		var state string
		var created, updated int64
		if err := rows.Scan(&e.SourceLang, &e.TargetLang, &e.Key, &e.Source, &e.Target,
			&e.Origin, &state, &created, &updated, &e.FirstSeen); err != nil {
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

// Put implements [Store]: all entries in one transaction, each an upsert
// whose WHERE clause is the precedence rule.
func (s *SQLite) Put(ctx context.Context, entries []Entry) error {
	if err := s.write(ctx, entries, s.upsert); err != nil {
		return fmt.Errorf("tm: put: %w", err)
	}
	return nil
}

// Replace implements [Replacer].
func (s *SQLite) Replace(ctx context.Context, entries []Entry) error {
	if err := s.write(ctx, entries, s.replace); err != nil {
		return fmt.Errorf("tm: replace: %w", err)
	}
	return nil
}

func (s *SQLite) write(ctx context.Context, entries []Entry, st *sql.Stmt) error {
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
	txst := tx.StmtContext(ctx, st)
	for _, e := range prepared {
		if _, err := txst.ExecContext(ctx, e.SourceLang, e.TargetLang, e.Key, e.Source, e.Target,
			e.Origin, string(e.State), e.Created.UnixNano(), e.Updated.UnixNano(), e.FirstSeen); err != nil {
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
	maxChunk := keyTiers[len(keyTiers)-1]
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), maxChunk)]
		keys = keys[len(chunk):]
		args := []any{src, tgt}
		for _, k := range chunk {
			args = append(args, k)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM entries WHERE source_lang = ? AND target_lang = ? AND key IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
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
		ORDER BY source_lang, target_lang, key`, cf.SourceLang, cf.TargetLang, string(cf.State))
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

// Stats implements [StatsReporter].
func (s *SQLite) Stats(ctx context.Context) (*Stats, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	rows, err := s.db.QueryContext(ctx, `SELECT source_lang, target_lang, origin, state, count(*)
		FROM entries GROUP BY source_lang, target_lang, origin, state`)
	if err != nil {
		return nil, fmt.Errorf("tm: stats: %w", s.wrap(err))
	}
	defer rows.Close()
	var out []StatsRow
	for rows.Next() {
		var r StatsRow
		var state string
		if err := rows.Scan(&r.SourceLang, &r.TargetLang, &r.Origin, &state, &r.Entries); err != nil {
			return nil, fmt.Errorf("tm: stats: %w", err)
		}
		r.State = State(state)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tm: stats: %w", s.wrap(err))
	}
	return NewStats(out), nil
}

// Close implements [Store]. It closes the database; the WAL is checkpointed
// by SQLite when the last connection closes.
func (s *SQLite) Close() error {
	if s.closed.Swap(true) {
		return ErrClosed
	}
	for _, st := range append(s.get, s.upsert, s.replace) {
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
	_ StatsReporter = (*SQLite)(nil)
	_ Deleter       = (*SQLite)(nil)
	_ Replacer      = (*SQLite)(nil)
)
