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

// TestPostgresScripts runs the scripts of testdata/pgscript with
// DIGLOT_TM_URL set to an empty schema of the test server
// (DIGLOT_TEST_PG_URL, which .ci/run starts). Without a server they skip
// with a loud line, except under CI=true, where they fail.
func TestPostgresScripts(t *testing.T) {
	base := os.Getenv("DIGLOT_TEST_PG_URL")
	why := "DIGLOT_TEST_PG_URL is not set"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var conn *pgx.Conn
	if base != "" {
		var err error
		if conn, err = pgx.Connect(ctx, base); err != nil {
			why = fmt.Sprintf("no PostgreSQL server at DIGLOT_TEST_PG_URL: %v", err)
		}
	}
	if conn == nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL scripts cannot run in CI: %s", why)
		}
		t.Skipf("SKIPPING PostgreSQL scripts: %s (eval \"$(.ci/postgres.sh start)\" starts a server)", why)
	}
	conn.Close(context.Background())
	// Scripts run in parallel, after this function returns: each opens its
	// own connection to make and drop its schema.
	testscript.Run(t, testscript.Params{
		Dir: "testdata/pgscript",
		Setup: func(env *testscript.Env) error {
			env.Values[fakesKey{}] = &fakes{}
			var b [6]byte
			rand.Read(b[:])
			schema := "cli_test_" + hex.EncodeToString(b[:])
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, base)
			if err != nil {
				return err
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
				return err
			}
			env.Defer(func() {
				if conn, err := pgx.Connect(ctx, base); err == nil {
					conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
					conn.Close(ctx)
				}
			})
			u, err := url.Parse(base)
			if err != nil {
				return err
			}
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			env.Setenv("DIGLOT_TM_URL", u.String())
			return nil
		},
		Cmds: scriptCommands(),
	})
}
