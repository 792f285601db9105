package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqlitePragmas apply to every connection: WAL lets readers run beside the
// writer; busy_timeout makes a second process (or store handle) wait for
// the write lock instead of failing; synchronous=NORMAL is durable under
// WAL except for the last transactions before a power loss.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
}

// openSQLite opens dataDir/gatehouse.db with one writer connection and a
// pool of read-only connections.
func openSQLite(ctx context.Context, dataDir string) (*sqlStore, error) {
	if dataDir == "" {
		dataDir = "."
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data dir: %w", err)
	}
	if strings.ContainsAny(dataDir, "?#") {
		// The driver reads everything after '?' as connection parameters.
		return nil, fmt.Errorf("store: data dir %q must not contain '?' or '#'", dataDir)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	// The file holds password hashes and SP private keys: create it
	// private (SQLite gives its -wal and -shm files the same mode).
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	f.Close()
	// Writes take the lock at BEGIN (BEGIN IMMEDIATE): a deferred
	// transaction that reads and then writes can fail with SQLITE_BUSY on
	// the lock upgrade, which busy_timeout cannot wait out.
	w, err := sqliteDB(ctx, path, "_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	r, err := sqliteDB(ctx, path, "_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	return newSQLStore(sqliteDialect, r, w), nil
}

// sqliteDB opens one pool on the file with the common pragmas plus extra.
func sqliteDB(ctx context.Context, path, extra string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	dsn := "file:" + path + "?" + q.Encode() + "&" + extra
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	return db, nil
}
