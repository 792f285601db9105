package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Environment of the re-executed test binary in TestReplayChild.
const (
	childURLEnv = "GATEHOUSE_STORETEST_CHILD_URL"
	childDirEnv = "GATEHOUSE_STORETEST_CHILD_DIR"
	childIDsEnv = "GATEHOUSE_STORETEST_CHILD_IDS"
)

// replayIDs is how many assertion IDs the two processes race for.
const replayIDs = 200

// markAll marks every ID from 8 goroutines and returns those this
// process won; any error other than ErrReplay is returned.
func markAll(s store.Store, ids []string) (map[string]bool, error) {
	var mu sync.Mutex
	won := map[string]bool{}
	var firstErr error
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				id := ids[(i+g)%len(ids)]
				err := s.MarkAssertionUsed(context.Background(), id, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
				mu.Lock()
				switch {
				case err == nil:
					won[id] = true
				case !errors.Is(err, store.ErrReplay) && firstErr == nil:
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return won, firstErr
}

// TestReplayChild is the other process of raceTwoProcesses; it does
// nothing in a normal run.
func TestReplayChild(t *testing.T) {
	if os.Getenv(childIDsEnv) == "" {
		t.Skip("only runs as the child process of a two-process replay test")
	}
	s, err := store.Open(context.Background(), store.Options{DatabaseURL: os.Getenv(childURLEnv), DataDir: os.Getenv(childDirEnv)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Println("READY")
	// Start only when the parent says so, so both processes race.
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	won, err := markAll(s, strings.Split(os.Getenv(childIDsEnv), ","))
	if err != nil {
		t.Fatal(err)
	}
	for id := range won {
		fmt.Println("WON", id)
	}
}

// raceTwoProcesses marks the same assertion IDs from this process (handle
// s) and from a child process opening the same database; each ID must be
// won by exactly one of them.
func raceTwoProcesses(t *testing.T, s store.Store, databaseURL, dataDir string) {
	ids := make([]string, replayIDs)
	for i := range ids {
		ids[i] = fmt.Sprintf("_proc-%d", i)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReplayChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childURLEnv+"="+databaseURL, childDirEnv+"="+dataDir, childIDsEnv+"="+strings.Join(ids, ","))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "READY" {
		cmd.Process.Kill()
		t.Fatalf("child did not get ready: %q %v", lines.Text(), cmd.Wait())
	}
	fmt.Fprintln(stdin, "go")
	mine, err := markAll(s, ids)
	if err != nil {
		t.Fatalf("parent: %v", err)
	}
	theirs := map[string]bool{}
	for lines.Scan() {
		if id, ok := strings.CutPrefix(lines.Text(), "WON "); ok {
			theirs[id] = true
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child process failed: %v", err)
	}
	for _, id := range ids {
		if mine[id] == theirs[id] {
			t.Fatalf("assertion %s: parent won=%v child won=%v; want exactly one winner", id, mine[id], theirs[id])
		}
	}
	t.Logf("parent won %d, child won %d of %d IDs", len(mine), len(theirs), len(ids))
}

func TestSQLiteReplayTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	raceTwoProcesses(t, openSQLiteDir(t, dir), "", dir)
}
