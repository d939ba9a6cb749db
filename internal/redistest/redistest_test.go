package redistest

import (
	"strings"
	"testing"
	"time"
)

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	if _, err := s.Do("SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Do("GET", "k"); got != "v" {
		t.Fatalf("GET k = %q", got)
	}
	addr := s.Addr()
	s.Stop()
	if _, err := s.Do("PING"); err == nil {
		t.Fatal("PING answered after Stop")
	}
	s.Restart()
	if s.Addr() != addr {
		t.Fatalf("restarted on %s, want %s", s.Addr(), addr)
	}
	if got, err := s.Do("GET", "k"); err != nil || got != "" {
		t.Fatalf("after restart GET k = %q, %v; want an empty dataset", got, err)
	}
}

func TestPauseResumeDurableRestart(t *testing.T) {
	s := StartDurable(t)
	if _, err := s.Do("SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	s.Pause()
	if _, err := doTimeout(s.Addr(), 200*time.Millisecond, "PING"); err == nil {
		t.Fatal("a paused server answered PING")
	}
	s.Resume()
	if got, err := s.Do("PING"); err != nil || got != "PONG" {
		t.Fatalf("after Resume PING = %q, %v", got, err)
	}
	s.Restart()
	if got, err := s.Do("GET", "k"); err != nil || got != "v" {
		t.Fatalf("after a restart GET k = %q, %v; want the acknowledged write", got, err)
	}
}

func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster start takes a few seconds")
	}
	c := StartCluster(t)
	info, err := c.Nodes[0].Do("CLUSTER", "INFO")
	if err != nil || !strings.Contains(info, "cluster_known_nodes:3") {
		t.Fatalf("CLUSTER INFO: %q %v", info, err)
	}
}

func TestSentinel(t *testing.T) {
	if testing.Short() {
		t.Skip("a failover takes a few seconds")
	}
	g := StartSentinel(t, SentinelOptions{Sentinels: 2, Replicas: 1})
	for _, s := range g.Sentinels {
		if addr, err := SentinelMasterAddr(s.Addr()); err != nil || addr != g.Master.Addr() {
			t.Fatalf("sentinel %s: master %q %v, want %s", s.Addr(), addr, err, g.Master.Addr())
		}
	}
	g.Master.Stop()
	if p := g.WaitFailover(g.Master, 20*time.Second); p != g.Replicas[0] {
		t.Fatalf("promoted %v", p)
	}
}
