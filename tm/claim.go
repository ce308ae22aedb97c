package tm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Claimer is implemented by stores that several runs share (processes on one
// machine with [SQLite], machines with [Postgres]), so that each unique
// segment is paid for once: before translating, a run claims the keys it is
// missing, translates only those granted, stores them with Put, and releases
// them; it waits for the others' keys to appear in the store, claiming again
// from time to time so that the keys of a run that died come back to it.
//
// Claim leases to owner those of q.Keys that are not yet translated (Get(q)
// would return nothing for them) and not leased to another owner whose lease
// is still running, and returns them in the order of q.Keys, without
// repeats. Keys the owner already holds are granted again, with a new
// expiry. A lease runs for ttl after the Claim or the last Renew; after that
// any owner may claim the key. Leases are per language pair and key (not
// per origin): two runs with different engines take turns instead of
// paying twice at once.
//
// Renew extends every lease owner still holds to ttl from now, so that a
// long batch keeps its keys; a lease that expired and went to another owner
// stays with it. Release ends owner's leases of keys, in any language pair
// (keys name their pair); releasing keys the owner does not hold does
// nothing. A Put does not end leases: release the keys once they are
// stored.
//
// Owners are names unique per run ([NewOwner]). Lease times use the store's
// clock ([Options.Now]) for stores on one machine, and the database server's
// clock for [Postgres], so machines whose clocks disagree still agree on
// expiry.
type Claimer interface {
	Claim(ctx context.Context, owner string, q Query, ttl time.Duration) (granted []string, err error)
	Renew(ctx context.Context, owner string, ttl time.Duration) error
	Release(ctx context.Context, owner string, keys []string) error
}

// ErrInvalidClaim is matched by the error of a Claim, Renew or Release with
// an empty owner or a ttl that is not positive.
var ErrInvalidClaim = errors.New("tm: invalid claim")

// NewOwner returns a name for a run's leases that no other run shares:
// host name, process id and random bits ("build-7:4242:9f86d081"), readable
// in the lease table when someone wonders who holds a key.
func NewOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// ownerGone reports whether owner (a [NewOwner] name) was a process of
// this machine that has ended: its leases are void at once, so a run
// started again after a crash (kill -9, power loss) need not wait for
// them to expire. Owners of other machines wait for expiry.
func ownerGone(owner string) bool {
	host, rest, ok := strings.Cut(owner, ":")
	if !ok {
		return false
	}
	pidText, _, _ := strings.Cut(rest, ":")
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return false
	}
	me, err := os.Hostname()
	if err != nil || me != host {
		return false
	}
	return processGone(pid)
}

// checkClaim validates a Claim's or Renew's arguments.
func checkClaim(owner string, ttl time.Duration) error {
	if err := validOwner(owner); err != nil {
		return err
	}
	if ttl <= 0 {
		return fmt.Errorf("%w: ttl %v is not positive", ErrInvalidClaim, ttl)
	}
	return nil
}

// uniqueKeys returns keys without repeats, in order.
func uniqueKeys(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
