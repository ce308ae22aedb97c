package tm

// SetClaimChunk makes p claim keys n at a time, so tests reach the
// several-statement claims of long key lists with few keys.
func SetClaimChunk(p *Postgres, n int) { p.chunk = n }

// Retried returns how many transactions p ran again after the server
// broke a deadlock, which a test of lock order wants to be none.
func Retried(p *Postgres) int64 { return p.retried.Load() }
