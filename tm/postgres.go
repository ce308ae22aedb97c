package tm

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgMigrations[i] upgrades a PostgreSQL TM from schema version i to i+1.
// Version 1 is SQLite's version 2 (provenance and leases): the PostgreSQL
// store was born after it.
//
// Text columns compare in byte order (COLLATE "C"), so Each walks in the
// same order as SQLite and Memory. Source and target are bytea because a
// text column cannot hold NUL, which segments may. Times are Unix
// nanoseconds, as in SQLite, so entries round-trip exactly; lease expiry is
// a timestamptz on the server's clock.
var pgMigrations = [][]string{
	{
		`CREATE TABLE entries (
		source_lang text COLLATE "C" NOT NULL,
		target_lang text COLLATE "C" NOT NULL,
		key         text COLLATE "C" NOT NULL,
		state       text COLLATE "C" NOT NULL CHECK (state IN ('machine', 'reviewed')),
		slot        text COLLATE "C" NOT NULL,
		source      bytea NOT NULL,
		target      bytea NOT NULL,
		origin      text COLLATE "C" NOT NULL,
		created     bigint NOT NULL,
		updated     bigint NOT NULL,
		first_seen  text COLLATE "C" NOT NULL DEFAULT '',
		PRIMARY KEY (source_lang, target_lang, key, state, slot)
	)`,
		`CREATE TABLE leases (
		source_lang text COLLATE "C" NOT NULL,
		target_lang text COLLATE "C" NOT NULL,
		key         text COLLATE "C" NOT NULL,
		owner       text COLLATE "C" NOT NULL,
		expires     timestamptz NOT NULL,
		PRIMARY KEY (source_lang, target_lang, key)
	)`,
		`CREATE INDEX leases_owner ON leases (owner, key)`,
	},
	// 1 -> 2: each entry's tag markup (TagMarkup as a JSON array, '' when
	// unknown), as SQLite's version 3. JSON escapes NUL, so text holds it.
	{`ALTER TABLE entries ADD COLUMN markup text NOT NULL DEFAULT ''`},
}

// pgLock is the advisory lock a migration holds ("dglt"), so that
// processes starting at once migrate one after the other.
const pgLock = 0x64676c74

// pgColumns are the entry columns in scan order (scanPG).
const pgColumns = `source_lang, target_lang, key, source, target, origin, state, created, updated, first_seen, markup`

const pgUpsert = `INSERT INTO entries (` + pgColumns + `, slot)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (source_lang, target_lang, key, state, slot) DO UPDATE SET
	source = EXCLUDED.source,
	target = EXCLUDED.target,
	origin = EXCLUDED.origin,
	created = LEAST(entries.created, EXCLUDED.created),
	updated = EXCLUDED.updated,
	first_seen = CASE WHEN entries.first_seen <> '' THEN entries.first_seen ELSE EXCLUDED.first_seen END,
	markup = CASE WHEN EXCLUDED.markup <> '' THEN EXCLUDED.markup ELSE entries.markup END`

const pgPrecedence = `
WHERE entries.state = 'machine' OR EXCLUDED.updated >= entries.updated`

// pgAccepts is Query.accepts in SQL, for an entry e and the origin $origin.
const pgAccepts = `(e.state = 'reviewed' OR (e.state = 'machine' AND %[1]s <> '' AND (%[1]s = '*' OR e.slot = %[1]s)))`

// Postgres is a [Store] in a PostgreSQL database, for teams: several
// reviewers and machines share one memory, and runs on different machines
// split the work through [Claimer]. Create it with [OpenPostgres].
type Postgres struct {
	pool   *pgxpool.Pool
	where  string // the URL without its password, for errors
	now    func() time.Time
	langs  langCache
	closed atomic.Bool
	// chunk is how many keys one statement of a Claim leases.
	chunk int
	// retried counts transactions run again after a deadlock.
	retried atomic.Int64
}

// IsPostgresURL reports whether s names a PostgreSQL database
// ("postgres://…" or "postgresql://…") rather than an SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenURL opens the store that location names: [OpenPostgres] for a
// PostgreSQL URL, else [Open] for an SQLite file path. A location that is
// neither (see [CheckLocation]) is refused, not opened as a file name.
func OpenURL(ctx context.Context, location string, opts *Options) (Store, error) {
	if err := CheckLocation(location); err != nil {
		return nil, fmt.Errorf("tm: open %s: %w", Redact(location), err)
	}
	if IsPostgresURL(location) {
		return OpenPostgres(ctx, location, opts)
	}
	return Open(ctx, location, opts)
}

// OpenPostgres connects to the PostgreSQL database at dbURL (a postgres://
// URL or a libpq keyword string; PGPASSWORD and ~/.pgpass are honoured, so
// the URL need not hold the password) and migrates its schema. The tables
// (entries, leases, schema_version) go in the first schema of the search
// path; give the store a database of its own, or a schema with
// "?search_path=diglot". Migrations run in one transaction under an
// advisory lock, so processes that start at once wait for each other and
// the first one migrates.
//
// Its errors and logs show dbURL without its secrets ([Redact]), and no
// password is left in the text of an error of the driver either: pgx
// quotes parts of the configuration in its own messages, and a URL's
// password must not reach a log through them.
func OpenPostgres(ctx context.Context, dbURL string, opts *Options) (*Postgres, error) {
	var r redactor
	where := r.redact(dbURL)
	fail := func(err error) error {
		return scrub(fmt.Errorf("tm: open %s: %w", where, err), r.secrets)
	}
	if IsPostgresURL(dbURL) {
		if err := CheckLocation(dbURL); err != nil {
			return nil, fail(err)
		}
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		// pgx's parse errors may quote the string, password included.
		return nil, fail(errors.New("invalid connection string"))
	}
	r.hide(cfg.ConnConfig.Password) // from PGPASSWORD or ~/.pgpass too
	if !strings.Contains(dbURL, "default_query_exec_mode") {
		// Lookups and claims send thousands of keys as one array. A cached
		// prepared statement gets a generic plan after five runs, and one
		// made while the table was new and unanalysed filters every row
		// through the whole array: a lookup of 10,000 keys took 1.4 s
		// instead of 25 ms. Unnamed statements are planned with the keys.
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail(err)
	}
	p := &Postgres{pool: pool, where: where, now: opts.now(), chunk: maxBatch}
	if err := p.migrate(ctx, opts.logger()); err != nil {
		pool.Close()
		return nil, fail(err)
	}
	return p, nil
}

// scrubbedError is an error whose text had secrets masked. It unwraps to
// the original, so errors.Is and errors.As still see the causes.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrub masks every secret in err's text, as written and percent-decoded,
// the longest first so that no part of a longer one is left.
func scrub(err error, secrets []string) error {
	var all []string
	for _, s := range secrets {
		all = append(all, s)
		if d, derr := url.PathUnescape(s); derr == nil && d != s {
			all = append(all, d)
		}
	}
	slices.SortFunc(all, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	msg := err.Error()
	for _, s := range all {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, mask)
		}
	}
	if msg == err.Error() {
		return err
	}
	return &scrubbedError{msg: msg, err: err}
}

func (p *Postgres) migrate(ctx context.Context, log *slog.Logger) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
				return err
			}
		case err != nil:
			return err
		case version > len(pgMigrations):
			return fmt.Errorf("%w: schema version %d is newer than this diglot's %d", ErrSchema, version, len(pgMigrations))
		}
		for v := version; v < len(pgMigrations); v++ {
			log.Debug("tm: migrating schema", "database", p.where, "from", v, "to", v+1)
			for _, q := range pgMigrations[v] {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
				}
			}
		}
		_, err = tx.Exec(ctx, `UPDATE schema_version SET version = $1`, len(pgMigrations))
		return err
	})
}

// Get implements [Store]: one query per 10,000 keys, the keys as one array
// parameter. A lookup of several chunks runs in one repeatable-read
// transaction, so it sees one snapshot.
func (p *Postgres) Get(ctx context.Context, q Query) (map[string]Entry, error) {
	if p.closed.Load() {
		return nil, ErrClosed
	}
	q, err := q.canon(&p.langs)
	if err != nil {
		return nil, err
	}
	found := make(map[string]Entry, len(q.Keys))
	get := func(db pgQuerier) error {
		for keys := q.Keys; len(keys) > 0; {
			chunk := keys[:min(len(keys), maxBatch)]
			keys = keys[len(chunk):]
			err := scanPG(ctx, db, func(e Entry) { q.pick(found, e) },
				`SELECT `+pgColumns+` FROM entries e WHERE source_lang = $1 AND target_lang = $2 AND key = ANY($3)
				AND `+fmt.Sprintf(pgAccepts, "$4::text"), q.SourceLang, q.TargetLang, chunk, q.Origin)
			if err != nil {
				return err
			}
		}
		return nil
	}
	if len(q.Keys) <= maxBatch {
		err = get(p.pool)
	} else {
		err = pgx.BeginTxFunc(ctx, p.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
			func(tx pgx.Tx) error { return get(tx) })
	}
	if err != nil {
		return nil, fmt.Errorf("tm: get: %w", p.wrap(err))
	}
	return found, nil
}

// pgQuerier is what a pool and a transaction share.
type pgQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// scanPG runs a query that selects pgColumns and calls fn for each entry.
func scanPG(ctx context.Context, db pgQuerier, fn func(Entry), sql string, args ...any) error {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var source, target []byte
	for rows.Next() {
		var e Entry
		var created, updated int64
		var markup string
		if err := rows.Scan(&e.SourceLang, &e.TargetLang, &e.Key, &source, &target, &e.Origin, &e.State,
			&created, &updated, &e.FirstSeen, &markup); err != nil {
			return err
		}
		var err error
		if e.Markup, err = decodeMarkup(markup); err != nil {
			return err
		}
		e.Source, e.Target = string(source), string(target)
		e.Created = time.Unix(0, created).UTC()
		e.Updated = time.Unix(0, updated).UTC()
		fn(e)
	}
	return rows.Err()
}

// Variants implements [VariantLister].
func (p *Postgres) Variants(ctx context.Context, srcLang, tgtLang, key string) ([]Entry, error) {
	if p.closed.Load() {
		return nil, ErrClosed
	}
	src, tgt, err := p.langs.pair(srcLang, tgtLang)
	if err != nil {
		return nil, err
	}
	var es []Entry
	if err := scanPG(ctx, p.pool, func(e Entry) { es = append(es, e) },
		`SELECT `+pgColumns+` FROM entries WHERE source_lang = $1 AND target_lang = $2 AND key = $3`, src, tgt, key); err != nil {
		return nil, fmt.Errorf("tm: variants: %w", p.wrap(err))
	}
	slices.SortFunc(es, compareVariants)
	return es, nil
}

// Put implements [Store]: one transaction, the upserts sent as one batch.
func (p *Postgres) Put(ctx context.Context, entries []Entry) error {
	if err := p.write(ctx, entries, false); err != nil {
		return fmt.Errorf("tm: put: %w", err)
	}
	return nil
}

// Replace implements [Replacer].
func (p *Postgres) Replace(ctx context.Context, entries []Entry) error {
	if err := p.write(ctx, entries, true); err != nil {
		return fmt.Errorf("tm: replace: %w", err)
	}
	return nil
}

func (p *Postgres) write(ctx context.Context, entries []Entry, force bool) error {
	if p.closed.Load() {
		return ErrClosed
	}
	prepared := make([]Entry, len(entries))
	for i, e := range entries {
		e, err := prepare(e, p.now, &p.langs)
		if err != nil {
			return err
		}
		prepared[i] = e
	}
	if len(prepared) == 0 {
		return ctx.Err()
	}
	// Concurrent Puts lock rows in one order, so they never deadlock; the
	// sort is stable, so entries of one slot keep their order.
	slices.SortStableFunc(prepared, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.SourceLang, b.SourceLang), cmp.Compare(a.TargetLang, b.TargetLang), cmp.Compare(a.Key, b.Key))
	})
	upsert := pgUpsert + pgPrecedence
	if force {
		upsert = pgUpsert
	}
	var b pgx.Batch
	for _, e := range prepared {
		if force && e.State == Machine {
			b.Queue(`DELETE FROM entries WHERE source_lang = $1 AND target_lang = $2 AND key = $3 AND state = 'reviewed'`,
				e.SourceLang, e.TargetLang, e.Key)
		}
		b.Queue(upsert, e.SourceLang, e.TargetLang, e.Key, []byte(e.Source), []byte(e.Target), e.Origin, string(e.State),
			e.Created.UnixNano(), e.Updated.UnixNano(), e.FirstSeen, encodeMarkup(e.Markup), e.Slot())
	}
	err := p.inTx(ctx, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, &b).Close()
	})
	return p.wrap(err)
}

// Delete implements [Deleter].
func (p *Postgres) Delete(ctx context.Context, srcLang, tgtLang string, keys []string) (int, error) {
	if p.closed.Load() {
		return 0, ErrClosed
	}
	src, tgt, err := p.langs.pair(srcLang, tgtLang)
	if err != nil {
		return 0, err
	}
	var n int64
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		for len(keys) > 0 {
			chunk := keys[:min(len(keys), maxBatch)]
			keys = keys[len(chunk):]
			tag, err := tx.Exec(ctx, `DELETE FROM entries WHERE source_lang = $1 AND target_lang = $2 AND key = ANY($3)`, src, tgt, chunk)
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("tm: delete: %w", p.wrap(err))
	}
	return int(n), nil
}

// Each implements [Enumerator]. It reads one snapshot (one statement) on
// one connection; fn may write to the store through the others.
func (p *Postgres) Each(ctx context.Context, f *Filter, fn func(Entry) error) error {
	if p.closed.Load() {
		return ErrClosed
	}
	cf, err := f.canon()
	if err != nil {
		return err
	}
	rows, err := p.pool.Query(ctx, `SELECT `+pgColumns+` FROM entries
		WHERE ($1 = '' OR source_lang = $1) AND ($2 = '' OR target_lang = $2) AND ($3 = '' OR state = $3)
		ORDER BY source_lang, target_lang, key, state, slot`, cf.SourceLang, cf.TargetLang, string(cf.State))
	if err != nil {
		return fmt.Errorf("tm: each: %w", p.wrap(err))
	}
	defer rows.Close()
	var source, target []byte
	for rows.Next() {
		var e Entry
		var created, updated int64
		var markup string
		if err := rows.Scan(&e.SourceLang, &e.TargetLang, &e.Key, &source, &target, &e.Origin, &e.State,
			&created, &updated, &e.FirstSeen, &markup); err != nil {
			return fmt.Errorf("tm: each: %w", err)
		}
		if e.Markup, err = decodeMarkup(markup); err != nil {
			return fmt.Errorf("tm: each: %w", err)
		}
		e.Source, e.Target = string(source), string(target)
		e.Created, e.Updated = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tm: each: %w", p.wrap(err))
	}
	return nil
}

// Stats implements [StatsReporter], both counts in one snapshot.
func (p *Postgres) Stats(ctx context.Context) (*Stats, error) {
	if p.closed.Load() {
		return nil, ErrClosed
	}
	var st *Stats
	err := pgx.BeginTxFunc(ctx, p.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			st, err = countStats(ctx, pgRows{tx})
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("tm: stats: %w", p.wrap(err))
	}
	return st, nil
}

// pgRows is a rowSource over pgx.
type pgRows struct{ db pgQuerier }

func (r pgRows) each(ctx context.Context, query string, row func(scan func(dest ...any) error) error) error {
	rows, err := r.db.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Claim implements [Claimer] with a lease table and the server's clock, in
// one transaction. It inserts a lease for each key that has no entry q
// accepts, or takes over the lease when it is the owner's or expired; a
// key another transaction is leasing at the same moment waits for it on
// the primary key and is then skipped, so two owners never both get one.
// Then it drops the granted keys whose entry was committed after the
// first lookup — by a run that stored it and released its lease in
// between — so a key is never translated twice.
func (p *Postgres) Claim(ctx context.Context, owner string, q Query, ttl time.Duration) ([]string, error) {
	if err := checkClaim(owner, ttl); err != nil {
		return nil, err
	}
	if p.closed.Load() {
		return nil, ErrClosed
	}
	q, err := q.canon(&p.langs)
	if err != nil {
		return nil, err
	}
	// Every statement takes its row locks in key order (Go's byte order is
	// the column's "C" collation), across chunks too, so claims, renewals
	// and releases running at once never wait for each other in a circle.
	sorted := uniqueKeys(q.Keys)
	slices.Sort(sorted)
	var got map[string]bool
	if err := p.reapGone(ctx); err != nil {
		return nil, fmt.Errorf("tm: claim: %w", p.wrap(err))
	}
	err = p.inTx(ctx, func(tx pgx.Tx) error {
		keys := sorted
		got = make(map[string]bool, len(keys))
		for len(keys) > 0 {
			chunk := keys[:min(len(keys), p.chunk)]
			keys = keys[len(chunk):]
			stored, err := p.storedKeys(ctx, tx, q, chunk)
			if err != nil {
				return err
			}
			granted, err := collectKeys(ctx, tx, `INSERT INTO leases (source_lang, target_lang, key, owner, expires)
				SELECT $1, $2, u.k, $4, clock_timestamp() + $5 * interval '1 microsecond'
				FROM unnest($3::text[]) AS u(k)
				WHERE NOT u.k = ANY($6::text[])
				ORDER BY u.k COLLATE "C" -- the primary key's order: concurrent claims lock rows alike
				ON CONFLICT (source_lang, target_lang, key) DO UPDATE SET owner = EXCLUDED.owner, expires = EXCLUDED.expires
				WHERE leases.owner = EXCLUDED.owner OR leases.expires <= clock_timestamp()
				RETURNING key`, q.SourceLang, q.TargetLang, chunk, owner, ttl.Microseconds(), stored)
			if err != nil {
				return err
			}
			if len(granted) == 0 {
				continue
			}
			// A new snapshot: entries committed since the first lookup.
			done, err := p.storedKeys(ctx, tx, q, granted)
			if err != nil {
				return err
			}
			if len(done) > 0 {
				if _, err := tx.Exec(ctx, `DELETE FROM leases WHERE owner = $1 AND source_lang = $2 AND target_lang = $3 AND key = ANY($4)`,
					owner, q.SourceLang, q.TargetLang, done); err != nil {
					return err
				}
			}
			for _, k := range granted {
				got[k] = true
			}
			for _, k := range done {
				delete(got, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tm: claim: %w", p.wrap(err))
	}
	granted := []string{}
	for _, k := range uniqueKeys(q.Keys) { // in the caller's order
		if got[k] {
			granted = append(granted, k)
		}
	}
	return granted, nil
}

// reapGone ends the leases of owners that were processes of this machine
// and have ended (see ownerGone).
func (p *Postgres) reapGone(ctx context.Context) error {
	rows, err := p.pool.Query(ctx, `SELECT DISTINCT owner FROM leases WHERE expires > clock_timestamp()`)
	if err != nil {
		return err
	}
	owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, o := range owners {
		if ownerGone(o) {
			if err := p.inTx(ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `DELETE FROM leases WHERE `+pgOwnRows, o)
				return err
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// pgOwnRows and pgOwnKeys select the leases of owner $1 (of keys $2) and
// lock them in key order, as Claim does, before a statement changes them.
const (
	pgOwnRows = `(source_lang, target_lang, key) IN (
	SELECT source_lang, target_lang, key FROM leases WHERE owner = $1
	ORDER BY source_lang, target_lang, key FOR UPDATE)`
	pgOwnKeys = `(source_lang, target_lang, key) IN (
	SELECT source_lang, target_lang, key FROM leases WHERE owner = $1 AND key = ANY($2)
	ORDER BY source_lang, target_lang, key FOR UPDATE)`
)

// inTx runs fn in a transaction, again when the server broke a deadlock
// or a serialization conflict by failing it: statements lock rows in one
// order, so that should not happen, but a run must not lose a batch of
// files to it if it does.
func (p *Postgres) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, p.pool, fn)
		var pe *pgconn.PgError
		if err == nil || attempt == 3 || !errors.As(err, &pe) || (pe.Code != "40P01" && pe.Code != "40001") {
			return err
		}
		p.retried.Add(1)
	}
}

// storedKeys returns those of keys that have an entry q accepts. It asks
// by key, the way Get does, so the primary key finds them whatever the
// planner believes of a table that grew since it was last analysed: a
// join of the leases with the entries took half a second per claim, a
// time that grew with the memory.
func (p *Postgres) storedKeys(ctx context.Context, tx pgx.Tx, q Query, keys []string) ([]string, error) {
	got, err := collectKeys(ctx, tx, `SELECT key FROM entries e WHERE source_lang = $1 AND target_lang = $2 AND key = ANY($3)
		AND `+fmt.Sprintf(pgAccepts, "$4::text"), q.SourceLang, q.TargetLang, keys, q.Origin)
	if got == nil {
		got = []string{} // an empty array, not NULL, for "NOT k = ANY(…)"
	}
	return got, err
}

func collectKeys(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Renew implements [Claimer].
func (p *Postgres) Renew(ctx context.Context, owner string, ttl time.Duration) error {
	if err := checkClaim(owner, ttl); err != nil {
		return err
	}
	if p.closed.Load() {
		return ErrClosed
	}
	if err := p.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE leases SET expires = clock_timestamp() + $2 * interval '1 microsecond' WHERE `+pgOwnRows,
			owner, ttl.Microseconds())
		return err
	}); err != nil {
		return fmt.Errorf("tm: renew: %w", p.wrap(err))
	}
	return nil
}

// Release implements [Claimer].
func (p *Postgres) Release(ctx context.Context, owner string, keys []string) error {
	if err := validOwner(owner); err != nil {
		return err
	}
	if p.closed.Load() {
		return ErrClosed
	}
	if len(keys) == 0 {
		return nil
	}
	if err := p.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM leases WHERE `+pgOwnKeys, owner, keys)
		return err
	}); err != nil {
		return fmt.Errorf("tm: release: %w", p.wrap(err))
	}
	return nil
}

// Close implements [Store]. It waits for the queries in flight and closes
// the connections.
func (p *Postgres) Close() error {
	if p.closed.Swap(true) {
		return ErrClosed
	}
	p.pool.Close()
	return nil
}

// wrap marks an error that happened because Close ran concurrently with the
// call, so callers can test for ErrClosed.
func (p *Postgres) wrap(err error) error {
	if err != nil && p.closed.Load() {
		return errors.Join(ErrClosed, err)
	}
	return err
}

var (
	_ Store         = (*Postgres)(nil)
	_ Enumerator    = (*Postgres)(nil)
	_ VariantLister = (*Postgres)(nil)
	_ StatsReporter = (*Postgres)(nil)
	_ Deleter       = (*Postgres)(nil)
	_ Replacer      = (*Postgres)(nil)
	_ Claimer       = (*Postgres)(nil)
)
