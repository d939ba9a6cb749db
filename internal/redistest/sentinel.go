package redistest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// MasterName is the name the sentinels of StartSentinel monitor.
const MasterName = "mymaster"

// sentinelTimeout bounds how long StartSentinel waits for the sentinels
// to see the master and its replicas.
const sentinelTimeout = 20 * time.Second

// SentinelOptions says how large a group StartSentinel builds.
type SentinelOptions struct {
	// Sentinels is the number of sentinel processes (at least one).
	Sentinels int
	// Replicas is the number of replicas of the master (none by default).
	Replicas int
}

// SentinelGroup is a master, its replicas and the sentinels monitoring it
// as MasterName with quorum 1, down-after-milliseconds 1000 and
// failover-timeout 3000.
type SentinelGroup struct {
	t testing.TB
	// Master is the initial master.
	Master *Server
	// Replicas replicate the initial master (--replicaof).
	Replicas []*Server
	// Sentinels are redis-server processes in sentinel mode.
	Sentinels []*Server
}

// StartSentinel starts a master, o.Replicas replicas of it and
// o.Sentinels sentinels (redis-server <conf> --sentinel, with the config
// file in t.TempDir() because a sentinel rewrites it). It returns once
// every replica's link to the master is up and every sentinel answers
// SENTINEL get-master-addr-by-name with the master and lists every
// replica as connected, so a failover can start at once. Everything is
// stopped in t.Cleanup. Without redis-server the test is skipped (or
// fails, with SESSCONF_REQUIRE_REDIS=1).
func StartSentinel(t testing.TB, o SentinelOptions) *SentinelGroup {
	t.Helper()
	// No diskless-sync delay: replicas get their first full sync at
	// once instead of after the default 5 s.
	g := &SentinelGroup{t: t, Master: newServer(t, "--repl-diskless-sync-delay", "0")}
	g.Master.start()
	t.Cleanup(g.Master.Stop)
	masterPort := strconv.Itoa(g.Master.Port())
	for range o.Replicas {
		r := newServer(t, "--replicaof", "127.0.0.1", masterPort)
		r.start()
		t.Cleanup(r.Stop)
		g.Replicas = append(g.Replicas, r)
	}
	deadline := time.Now().Add(sentinelTimeout)
	// The master must list the replicas before the sentinels first ask
	// it (INFO), or they learn of them only at the next 10 s refresh.
	for _, r := range g.Replicas {
		g.poll(deadline, "replica "+r.Addr()+" linked", func() (bool, string) {
			info, err := r.Do("INFO", "replication")
			return err == nil && strings.Contains(info, "master_link_status:up"), info
		})
	}
	g.poll(deadline, "master lists its replicas", func() (bool, string) {
		info, err := g.Master.Do("INFO", "replication")
		return err == nil && infoField(info, "connected_slaves") == strconv.Itoa(len(g.Replicas)), info
	})
	for range max(o.Sentinels, 1) {
		s := newSentinel(t, g.Master.Port())
		s.start()
		t.Cleanup(s.Stop)
		g.Sentinels = append(g.Sentinels, s)
	}
	for _, s := range g.Sentinels {
		g.poll(deadline, "sentinel "+s.Addr()+" sees the master", func() (bool, string) {
			addr, err := SentinelMasterAddr(s.Addr())
			return err == nil && addr == g.Master.Addr(), fmt.Sprint(addr, err)
		})
		g.poll(deadline, "sentinel "+s.Addr()+" sees the replicas", func() (bool, string) {
			reps, err := s.Do("SENTINEL", "REPLICAS", MasterName)
			if err != nil {
				return false, err.Error()
			}
			n := 0
			for _, r := range pairsList(reps) {
				if r["flags"] == "slave" && r["master-link-status"] == "ok" {
					n++
				}
			}
			return n == len(g.Replicas), reps
		})
		g.poll(deadline, "sentinel "+s.Addr()+" knows the other sentinels", func() (bool, string) {
			m, err := s.Do("SENTINEL", "MASTER", MasterName)
			if err != nil {
				return false, err.Error()
			}
			n := pairs(strings.Split(m, "\n"))["num-other-sentinels"]
			return n == strconv.Itoa(len(g.Sentinels)-1), m
		})
	}
	return g
}

// newSentinel prepares (does not start) a sentinel monitoring the master
// on 127.0.0.1:masterPort.
func newSentinel(t testing.TB, masterPort int) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	port := freePort(t)
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf(`port %d
bind 127.0.0.1
protected-mode no
daemonize no
dir %s
logfile %s
sentinel monitor %s 127.0.0.1 %d 1
sentinel down-after-milliseconds %s 1000
sentinel failover-timeout %s 3000
`, port, dir, filepath.Join(dir, "sentinel.log"), MasterName, masterPort, MasterName, MasterName)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatalf("redistest: %v", err)
	}
	return &Server{t: t, bin: bin, dir: dir, port: port, args: []string{conf, "--sentinel"}}
}

// SentinelAddrs returns the sentinels' addresses (for
// settings.RedisOptions.Addrs or redis.FailoverOptions.SentinelAddrs).
func (g *SentinelGroup) SentinelAddrs() []string {
	out := make([]string, len(g.Sentinels))
	for i, s := range g.Sentinels {
		out[i] = s.Addr()
	}
	return out
}

// WaitReplicated waits, up to timeout, until every replica has applied
// the master's replication stream up to the master's current offset, so
// everything written so far survives a failover. (WAIT would need the
// connection that made the writes: on a fresh one it returns at once.)
func (g *SentinelGroup) WaitReplicated(timeout time.Duration) {
	g.t.Helper()
	info, err := g.Master.Do("INFO", "replication")
	if err != nil {
		g.t.Fatalf("redistest: INFO on the master: %v", err)
	}
	want, err := strconv.ParseInt(infoField(info, "master_repl_offset"), 10, 64)
	if err != nil {
		g.t.Fatalf("redistest: master_repl_offset: %v\n%s", err, info)
	}
	deadline := time.Now().Add(timeout)
	for _, r := range g.Replicas {
		g.poll(deadline, fmt.Sprintf("replica %s at offset %d", r.Addr(), want), func() (bool, string) {
			info, err := r.Do("INFO", "replication")
			got, _ := strconv.ParseInt(infoField(info, "slave_repl_offset"), 10, 64)
			return err == nil && got >= want, fmt.Sprint(info, err)
		})
	}
}

// WaitFailover waits, up to timeout, until every sentinel names a master
// other than old and that server answers ROLE as a master, and returns
// it (one of g.Replicas). It fails the test on timeout, with the
// sentinels' logs.
func (g *SentinelGroup) WaitFailover(old *Server, timeout time.Duration) *Server {
	g.t.Helper()
	var promoted *Server
	g.poll(time.Now().Add(timeout), "failover away from "+old.Addr(), func() (bool, string) {
		promoted = nil
		var addrs []string
		for _, s := range g.Sentinels {
			addr, err := SentinelMasterAddr(s.Addr())
			if err != nil {
				return false, err.Error()
			}
			addrs = append(addrs, addr)
			if addr == old.Addr() || (promoted != nil && promoted.Addr() != addr) {
				return false, strings.Join(addrs, " ")
			}
			for _, r := range g.Replicas {
				if r.Addr() == addr {
					promoted = r
				}
			}
			if promoted == nil {
				return false, "unknown master " + addr
			}
		}
		role, err := promoted.Do("ROLE")
		return err == nil && strings.HasPrefix(role, "master\n"), fmt.Sprint(role, err)
	})
	return promoted
}

// Logs returns the sentinels' log files, for failure messages.
func (g *SentinelGroup) Logs() string {
	var b strings.Builder
	for _, s := range g.Sentinels {
		log, _ := os.ReadFile(filepath.Join(s.dir, "sentinel.log"))
		fmt.Fprintf(&b, "--- sentinel %s\n%s", s.Addr(), log)
	}
	return b.String()
}

// SentinelMasterAddr asks the sentinel at addr for MasterName's address
// (SENTINEL get-master-addr-by-name) and returns it as "host:port".
func SentinelMasterAddr(addr string) (string, error) {
	reply, err := do(addr, "SENTINEL", "get-master-addr-by-name", MasterName)
	if err != nil {
		return "", err
	}
	host, port, ok := strings.Cut(reply, "\n")
	if !ok {
		return "", fmt.Errorf("get-master-addr-by-name: %q", reply)
	}
	return net.JoinHostPort(host, port), nil
}

// poll calls check with a growing delay until it reports true, failing
// the test with check's last detail and the sentinel logs at deadline.
func (g *SentinelGroup) poll(deadline time.Time, what string, check func() (bool, string)) {
	g.t.Helper()
	for delay := 10 * time.Millisecond; ; delay = min(delay*2, 200*time.Millisecond) {
		ok, detail := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("redistest: timed out waiting for %s; last: %s\n%s", what, detail, g.Logs())
		}
		time.Sleep(delay)
	}
}

// infoField returns the value of name in an INFO reply.
func infoField(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// pairs turns a flattened field/value list into a map.
func pairs(lines []string) map[string]string {
	m := make(map[string]string, len(lines)/2)
	for i := 0; i+1 < len(lines); i += 2 {
		m[lines[i]] = lines[i+1]
	}
	return m
}

// pairsList splits the flattened reply of SENTINEL REPLICAS (as do
// renders it: every field and value on its own line) into one map per
// replica; each replica's list starts with the "name" field.
func pairsList(reply string) []map[string]string {
	if reply == "" {
		return nil
	}
	lines := strings.Split(reply, "\n")
	var out []map[string]string
	start := 0
	for i := 2; i+1 < len(lines); i += 2 {
		if lines[i] == "name" {
			out = append(out, pairs(lines[start:i]))
			start = i
		}
	}
	return append(out, pairs(lines[start:]))
}
