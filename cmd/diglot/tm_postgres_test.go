package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rogpeppe/go-internal/testscript"
)

// pgServer returns the test server's URL (DIGLOT_TEST_PG_URL, which .ci/run
// starts), or "" and why when none is reachable, for the caller to say
// loudly. Under CI=true a missing server fails the test instead.
func pgServer(t *testing.T) (base, why string) {
	t.Helper()
	base = os.Getenv("DIGLOT_TEST_PG_URL")
	why = "DIGLOT_TEST_PG_URL is not set"
	if base != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err == nil {
			conn.Close(context.Background())
			return base, ""
		}
		why = fmt.Sprintf("no PostgreSQL server at DIGLOT_TEST_PG_URL: %v", err)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL tests cannot run in CI: %s", why)
	}
	return "", why
}

// pgEmptySchema creates an empty schema on the server at base and returns
// the URL that selects it (search_path) and a function that drops it.
// Each test gets its own memory, so a test run again, or beside another,
// finds nothing translated.
func pgEmptySchema(base string) (string, func(), error) {
	var b [6]byte
	rand.Read(b[:])
	schema := "cli_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, err
	}
	drop := func() {
		if conn, err := pgx.Connect(ctx, base); err == nil {
			conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
			conn.Close(ctx)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// TestPostgresScripts runs the scripts of testdata/pgscript with
// DIGLOT_TM_URL set to an empty schema of the test server. Without a
// server they skip with a loud line, except under CI=true, where they fail.
func TestPostgresScripts(t *testing.T) {
	base, why := pgServer(t)
	if base == "" {
		t.Skipf("SKIPPING PostgreSQL scripts: %s (eval \"$(.ci/postgres.sh start)\" starts a server)", why)
	}
	// Scripts run in parallel, after this function returns: each makes
	// and drops its own schema.
	testscript.Run(t, testscript.Params{
		Dir: "testdata/pgscript",
		Setup: func(env *testscript.Env) error {
			env.Values[fakesKey{}] = &fakes{}
			u, drop, err := pgEmptySchema(base)
			if err != nil {
				return err
			}
			env.Defer(drop)
			env.Setenv("DIGLOT_TM_URL", u)
			return nil
		},
		Cmds: pgScriptCommands(),
	})
}

// pgScriptCommands are the script commands, and pgexec FILE, which runs the
// SQL in FILE on the script's memory (DIGLOT_TM_URL): to break it on
// purpose, as a server that goes away would.
func pgScriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := scriptCommands()
	cmds["pgexec"] = cmdPGExec
	return cmds
}

func cmdPGExec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: pgexec FILE")
	}
	sql, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ts.Getenv("DIGLOT_TM_URL"))
	ts.Check(err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, string(sql))
	ts.Check(err)
}
