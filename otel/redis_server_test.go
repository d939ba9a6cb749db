package sessotel_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// redisServer is a throw-away redis-server on a free loopback port. The
// main module's starter is internal to it, hence this small copy of the
// idea: start, answer PING, kill for an outage.
type redisServer struct {
	addr string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	out  *bytes.Buffer
}

// startRedis launches redis-server without persistence and stops it in
// t.Cleanup. Without redis-server the test is skipped, or fails when
// SESSCONF_REQUIRE_REDIS=1.
func startRedis(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("SESSCONF_REQUIRE_REDIS") == "1" {
			t.Fatal("redis-server not found (SESSCONF_REQUIRE_REDIS=1)")
		}
		t.Skip("redis-server not found: apt-get install redis-server")
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken meanwhile
		s := &redisServer{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t))), out: &bytes.Buffer{}, done: make(chan struct{})}
		_, port, _ := net.SplitHostPort(s.addr)
		s.cmd = exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dir", t.TempDir(), "--protected-mode", "no", "--daemonize", "no")
		s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		go func() { _ = s.cmd.Wait(); close(s.done) }()
		if lastErr = s.waitPing(); lastErr == nil {
			t.Cleanup(s.stop)
			return s
		}
		s.stop()
	}
	t.Fatalf("redis-server did not start: %v", lastErr)
	return nil
}

// URL is the redis:// URL of database 0.
func (s *redisServer) URL() string { return "redis://" + s.addr + "/0" }

// stop kills the server, as an outage would, and waits for it to exit.
func (s *redisServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// waitPing polls until the server answers PING, it exits, or 10s pass.
func (s *redisServer) waitPing() error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("redis-server exited: %s", s.out.String())
		default:
		}
		if ping(s.addr) == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no PONG from %s within 10s", s.addr)
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// do runs one command (inline form) and returns the first reply line.
func (s *redisServer) do(cmd string) (string, error) {
	c, err := net.DialTimeout("tcp", s.addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}
