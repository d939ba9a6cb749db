// Package redistest starts throw-away redis-server processes for tests: a
// standalone server on a free loopback port (which can be stopped and
// restarted on the same port, to simulate an outage), a three-node
// cluster, and a Sentinel group (master, replicas, sentinels). Without
// redis-server on PATH the test is skipped, unless SESSCONF_REQUIRE_REDIS=1
// makes it fail instead.
package redistest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv, when set to 1, turns a missing redis-server into a failure.
const RequireEnv = "SESSCONF_REQUIRE_REDIS"

// startTimeout bounds how long a server may take to answer PING.
const startTimeout = 10 * time.Second

// Binary returns the path of redis-server, or skips (or fails, with
// SESSCONF_REQUIRE_REDIS=1) the test when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	return lookPath(t, "redis-server")
}

func lookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found: apt-get install redis-server"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatal(msg + " (" + RequireEnv + "=1)")
	}
	t.Skip(msg)
	return ""
}

// Server is one redis-server process on a fixed loopback port.
type Server struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	args []string

	mu  sync.Mutex
	cmd *exec.Cmd
	out *bytes.Buffer
}

// Start launches a standalone redis-server (no persistence) on a free
// loopback port and waits until it answers PING. It is stopped in t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	s := newServer(t)
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// StartDurable is Start with an append-only file fsynced on every write
// (appendonly yes, appendfsync always): a write the server acknowledged
// survives Stop (a kill) and Restart.
func StartDurable(t testing.TB) *Server {
	t.Helper()
	s := newServer(t, "--appendonly", "yes", "--appendfsync", "always")
	s.start()
	t.Cleanup(s.Stop)
	return s
}

func newServer(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	port := freePort(t)
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--protected-mode", "no", "--daemonize", "no",
	}, extra...)
	return &Server{t: t, bin: bin, dir: dir, port: port, args: args}
}

// Addr returns "127.0.0.1:port".
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL returns redis://127.0.0.1:port/0.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Port returns the TCP port.
func (s *Server) Port() int { return s.port }

func (s *Server) start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	var lastErr error
	// The port was free when chosen; another process may grab it in
	// between, so a failed start is retried a few times on the same port
	// (Restart must keep the address).
	for attempt := 0; attempt < 3; attempt++ {
		out := &bytes.Buffer{}
		cmd := exec.Command(s.bin, s.args...)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			s.t.Fatalf("redistest: start %s: %v", s.bin, err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if err := waitPing(s.Addr(), exited); err != nil {
			cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%w\n%s", err, out.String())
			time.Sleep(50 * time.Millisecond)
			continue
		}
		s.cmd, s.out = cmd, out
		return
	}
	s.t.Fatalf("redistest: redis-server on %s did not start: %v", s.Addr(), lastErr)
}

// Stop kills the server (an outage: no shutdown save, clients see
// connection refused). Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	// Wait is already called by the goroutine in start; poll for the
	// port to close instead of calling it twice.
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.Addr(), 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	s.cmd = nil
}

// Restart starts the server again on the same port and waits until it
// answers PING. The dataset is empty, except for a StartDurable server,
// which reloads its append-only file.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

// Do sends one command with redis-cli semantics over a raw connection and
// returns the reply as text (for assertions without a client library).
func (s *Server) Do(args ...string) (string, error) { return do(s.Addr(), args...) }

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPing polls addr until it answers PING with PONG, the process exits,
// or startTimeout passes.
func waitPing(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for delay := 5 * time.Millisecond; ; delay = min(delay*2, 100*time.Millisecond) {
		reply, err := do(addr, "PING")
		if err == nil && reply == "PONG" {
			return nil
		}
		select {
		case <-exited:
			return errors.New("redis-server exited")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no PONG after %v (last: %q, %v)", startTimeout, reply, err)
		}
		time.Sleep(delay)
	}
}

// do runs one command over RESP2 and renders the reply: simple strings
// and bulk strings as text, integers in decimal, arrays one element a
// line, nil as "". Errors become Go errors.
func do(addr string, args ...string) (string, error) {
	return doTimeout(addr, 5*time.Second, args...)
}

// doTimeout is do with a deadline for the whole exchange.
func doTimeout(addr string, d time.Duration, args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, min(d, time.Second))
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(d))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	return readReply(bufio.NewReader(c))
}

func readReply(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("empty reply")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return "", nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(line[1:])
		parts := make([]string, 0, max(n, 0))
		for i := 0; i < n; i++ {
			p, err := readReply(r)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "\n"), nil
	}
	return "", fmt.Errorf("unexpected reply %q", line)
}

// Cluster is a three-master Redis Cluster without replicas.
type Cluster struct {
	Nodes []*Server
}

// Addrs returns the node addresses (a seed list for redis.ClusterClient).
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr()
	}
	return out
}

// StartCluster starts three cluster-enabled nodes, each with its own
// directory and cluster-config-file, joins them with
// `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes` and
// waits until every node reports cluster_state:ok. All are stopped in
// t.Cleanup.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	cli := lookPath(t, "redis-cli")
	c := &Cluster{}
	for i := 0; i < 3; i++ {
		dir := t.TempDir()
		s := newServer(t,
			"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
			"--cluster-node-timeout", "5000",
		)
		s.start()
		t.Cleanup(s.Stop)
		c.Nodes = append(c.Nodes, s)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, n := range c.Nodes {
		for delay := 10 * time.Millisecond; ; delay = min(delay*2, 200*time.Millisecond) {
			info, err := n.Do("CLUSTER", "INFO")
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("redistest: node %s: cluster not ok: %q %v", n.Addr(), info, err)
			}
			time.Sleep(delay)
		}
	}
	return c
}
