package tm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// deadOwner returns the owner name of a process of this machine that has
// ended.
func deadOwner(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no process check here")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:deadbeef", host, cmd.Process.Pid)
}

func TestOwnerGone(t *testing.T) {
	host, _ := os.Hostname()
	tests := []struct {
		owner string
		want  bool
	}{
		{deadOwner(t), true},
		{fmt.Sprintf("%s:%d:00", host, os.Getppid()), false}, // alive
		{fmt.Sprintf("%s:%d:00", host, os.Getpid()), false},  // this process
		{"elsewhere:1:00", false},                            // another machine: wait for expiry
		{"no-pid", false},
	}
	for _, tt := range tests {
		if got := ownerGone(tt.owner); got != tt.want {
			t.Errorf("ownerGone(%q) = %v, want %v", tt.owner, got, tt.want)
		}
	}
}

// TestClaimFromDeadProcess: a lease held by a process of this machine that
// has ended is granted at once, without waiting for it to expire.
func TestClaimFromDeadProcess(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "tm.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k1", "k2"}, Origin: "e:m"}
	dead := deadOwner(t)
	if got, err := s.Claim(ctx, dead, q, time.Hour); err != nil || len(got) != 2 {
		t.Fatalf("dead owner's claim = %v, %v", got, err)
	}
	if got, err := s.Claim(ctx, NewOwner(), q, time.Hour); err != nil || len(got) != 2 {
		t.Fatalf("claim over a dead owner's leases = %v, %v; want both keys", got, err)
	}
	// A live owner's leases hold.
	if got, err := s.Claim(ctx, "elsewhere:1:01", q, time.Hour); err != nil || len(got) != 0 {
		t.Fatalf("claim over a live owner's leases = %v, %v; want none", got, err)
	}
}
