package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/settings"
)

// End to end on loopback: every configuration runs in its own server
// process pinned to CPU 0 (taskset), loaded by wrk pinned to CPU 1 with
// 8 keep-alive connections cycling through 64 sessions. The rounds
// rotate through all configurations, so drift on a shared machine is
// spread over all of them. The report gives the median req/s and the
// median server CPU time per request (all the server's threads, from
// /proc/<pid>/task/*/schedstat), which other processes on the machine
// disturb far less than throughput.
//
//	SESSCONF_LOOPBACK=1 go test -run '^TestLoopbackE2E$' -v -timeout 30m .
//
// SESSCONF_LOOPBACK_ROUNDS (default 8) and SESSCONF_LOOPBACK_SECONDS
// (default 2) set the rounds and the length of each wrk run.
// SESSCONF_LOOPBACK_BEFORE names the test binary of another build of
// this module (go test -c at an older commit, with this file); its
// servers then run in the same rounds, labelled "before".

// e2eVariants are the configurations, by name: the handler each server
// runs and how its sessions are seeded.
var e2eVariants = []string{"none", "untouched", "sessconf-cookie", "gorilla", "sessconf-redis", "scs-redis"}

const e2eSessions = 64

// e2eVariant builds the server side of one configuration.
func e2eVariant(tb testing.TB, name, redisAddr string) (h http.Handler, seed func(p payload) string) {
	switch name {
	case "none", "untouched":
		// Both get the same session cookies, so both parse the same requests.
		v := sessconfVariant(tb, "", settings.TypeEncrypted)
		seed := func(p payload) string { return v.seed(tb, p) }
		if name == "none" {
			return plain, seed
		}
		return sessconfManager(tb, settings.TypeEncrypted).Middleware(plain), seed
	}
	var v variant
	switch name {
	case "sessconf-cookie":
		v = sessconfVariant(tb, name, settings.TypeEncrypted)
	case "gorilla":
		v = gorillaVariant(tb)
	case "sessconf-redis":
		v = sessconfRedisVariant(tb, redisAddr)
	case "scs-redis":
		v = scsVariant(tb, redisAddr)
	default:
		tb.Fatalf("unknown variant %q", name)
	}
	return v.cycle, func(p payload) string { return v.seed(tb, p) }
}

// TestLoopbackServer is the server process of TestLoopbackE2E: it serves
// one configuration on 127.0.0.1 until its parent stops it (at most
// SESSCONF_LOOPBACK_SERVE_FOR), after writing its address and its
// sessions' Cookie headers to the file SESSCONF_LOOPBACK_OUT.
func TestLoopbackServer(t *testing.T) {
	spec := os.Getenv("SESSCONF_LOOPBACK_SERVE") // variant/size
	if spec == "" {
		t.Skip("the server process of TestLoopbackE2E")
	}
	name, size, _ := strings.Cut(spec, "/")
	h, seed := e2eVariant(t, name, os.Getenv("SESSCONF_LOOPBACK_REDIS"))
	var cookies []string
	for _, p := range payloads {
		if p.name != size {
			continue
		}
		for range e2eSessions {
			cookies = append(cookies, seed(p))
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	out := ln.Addr().String() + "\n" + strings.Join(cookies, "\n") + "\n"
	if err := os.WriteFile(os.Getenv("SESSCONF_LOOPBACK_OUT"), []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	limit, err := time.ParseDuration(os.Getenv("SESSCONF_LOOPBACK_SERVE_FOR"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		time.Sleep(limit)
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		t.Fatal(err)
	}
}

const wrkScript = `
local cookies = {}
for line in io.lines(os.getenv("SESSCONF_COOKIES")) do
  if line ~= "" then cookies[#cookies + 1] = line end
end
local i = 0
request = function()
  if #cookies == 0 then return wrk.format(nil, nil, nil) end
  i = i % #cookies + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[i]})
end
`

type e2eServer struct {
	name, size string
	build      string // "" or "before"
	addr       string
	cookies    string // file with one Cookie header per line
	pid        int
	rps        []float64
	cpu        []float64 // server CPU ns per request
	discarded  int
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func TestLoopbackE2E(t *testing.T) {
	if os.Getenv("SESSCONF_LOOPBACK") != "1" {
		t.Skip("set SESSCONF_LOOPBACK=1 (needs wrk, taskset and redis-server)")
	}
	for _, tool := range []string{"wrk", "taskset"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: %v", tool, err)
		}
	}
	rounds, seconds := envInt("SESSCONF_LOOPBACK_ROUNDS", 8), envInt("SESSCONF_LOOPBACK_SECONDS", 2)
	dir := t.TempDir()
	script := filepath.Join(dir, "cookies.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o600); err != nil {
		t.Fatal(err)
	}
	rs := redistest.Start(t)
	pinRedis(t, rs)

	serveFor := time.Duration(rounds*len(e2eVariants)*2*(seconds+2)+120) * time.Second
	builds := map[string]string{"": os.Args[0]}
	if before := os.Getenv("SESSCONF_LOOPBACK_BEFORE"); before != "" {
		builds["before"] = before
	}
	var servers []*e2eServer
	for _, size := range []string{"small", "medium"} {
		for _, name := range e2eVariants {
			for build, binary := range builds {
				if build != "" && name == "none" {
					continue
				}
				s := &e2eServer{name: name, size: size, build: build, cookies: filepath.Join(dir, name+"-"+size+"-"+build)}
				ctx, cancel := context.WithCancel(context.Background())
				cmd := exec.CommandContext(ctx, "taskset", "-c", "0", binary, "-test.run=^TestLoopbackServer$", "-test.timeout=0")
				cmd.Env = append(os.Environ(),
					"SESSCONF_LOOPBACK_SERVE="+name+"/"+size,
					"SESSCONF_LOOPBACK_REDIS="+rs.Addr(),
					"SESSCONF_LOOPBACK_OUT="+s.cookies+".out",
					"SESSCONF_LOOPBACK_SERVE_FOR="+serveFor.String())
				cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cancel(); _ = cmd.Wait() })
				s.pid = cmd.Process.Pid // taskset execs the server in place
				servers = append(servers, s)
			}
		}
	}
	slices.SortFunc(servers, func(a, b *e2eServer) int { return strings.Compare(a.size+a.name+a.build, b.size+b.name+b.build) })
	for _, s := range servers {
		out := waitFile(t, s.cookies+".out", 60*time.Second)
		addr, cookies, _ := strings.Cut(out, "\n")
		s.addr = addr
		if err := os.WriteFile(s.cookies, []byte(cookies), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for r := range rounds {
		for k := range servers {
			s := servers[(r+k)%len(servers)]
			cpu0 := processCPU(t, s.pid)
			rps, n := runWrk(t, s, script, seconds)
			if rps > 0 {
				s.rps = append(s.rps, rps)
				s.cpu = append(s.cpu, float64(processCPU(t, s.pid)-cpu0)/float64(n))
			}
		}
	}
	report(t, servers, rounds, seconds)
}

// pinRedis moves redis-server onto CPU 1, with wrk, away from the server.
func pinRedis(t *testing.T, rs *redistest.Server) {
	info, err := rs.Do("INFO", "server")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`process_id:(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("no process_id in INFO: %q", info)
	}
	if out, err := exec.Command("taskset", "-a", "-p", "-c", "1", m[1]).CombinedOutput(); err != nil {
		t.Fatalf("taskset redis: %v: %s", err, out)
	}
}

func waitFile(t *testing.T, path string, limit time.Duration) string {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not write %s", path)
	return ""
}

// processCPU is the CPU time in ns that all threads of process pid ran.
func processCPU(t *testing.T, pid int) int64 {
	stats, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(stats) == 0 {
		t.Fatalf("no schedstat for %d: %v", pid, err)
	}
	var total int64
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		if ns, err := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64); err == nil {
			total += ns
		}
	}
	return total
}

var (
	rpsLine = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reqLine = regexp.MustCompile(`(\d+) requests in`)
)

// runWrk returns the requests per second and the number of requests of
// one wrk run, or -1 when the run is discarded.
func runWrk(t *testing.T, s *e2eServer, script string, seconds int) (float64, int) {
	cmd := exec.Command("taskset", "-c", "1", "wrk", "-t1", "-c8", fmt.Sprintf("-d%ds", seconds), "-s", script, "http://"+s.addr+"/")
	cmd.Env = append(os.Environ(), "SESSCONF_COOKIES="+s.cookies)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrk %s/%s: %v: %s", s.name, s.size, err, out)
	}
	if strings.Contains(string(out), "Non-2xx") {
		t.Fatalf("wrk %s/%s: error responses: %s", s.name, s.size, out)
	}
	if strings.Contains(string(out), "Socket errors") {
		// A stall of the shared machine: the run says nothing about the server.
		t.Logf("wrk %s/%s: socket errors, run discarded: %s", s.name, s.size, out)
		s.discarded++
		return -1, 0
	}
	m, r := rpsLine.FindStringSubmatch(string(out)), reqLine.FindStringSubmatch(string(out))
	if m == nil || r == nil {
		t.Fatalf("wrk %s/%s: no Requests/sec: %s", s.name, s.size, out)
	}
	rps, _ := strconv.ParseFloat(m[1], 64)
	n, _ := strconv.Atoi(r[1])
	return rps, max(n, 1)
}

func report(t *testing.T, servers []*e2eServer, rounds, seconds int) {
	med, cpu := map[string]float64{}, map[string]float64{}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d rounds of %ds per configuration, median req/s (min–max):\n\n", rounds, seconds)
	fmt.Fprintf(&b, "| size | configuration | req/s | range | server CPU µs/req | range |\n|---|---|---|---|---|---|\n")
	for _, s := range servers {
		if len(s.rps) == 0 {
			t.Fatalf("%s/%s: every run was discarded", s.name, s.size)
		}
		m := median(s.rps)
		label := s.name
		if s.build != "" {
			label += " (" + s.build + ")"
		}
		med[label+"/"+s.size] = m
		cpu[label+"/"+s.size] = median(s.cpu) / 1e3
		fmt.Fprintf(&b, "| %s | %s | %.0f | %.0f–%.0f | %.1f | %.1f–%.1f |", s.size, label, m, slices.Min(s.rps), slices.Max(s.rps),
			median(s.cpu)/1e3, slices.Min(s.cpu)/1e3, slices.Max(s.cpu)/1e3)
		if s.discarded > 0 {
			fmt.Fprintf(&b, " (%d runs discarded)", s.discarded)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n| size | ratio | value |\n|---|---|---|\n")
	for _, size := range []string{"small", "medium"} {
		for _, build := range []string{"", " (before)"} {
			get := func(n string) float64 { return med[n+build+"/"+size] }
			if build != "" && get("untouched") == 0 {
				continue
			}
			c := func(n string) float64 { return cpu[n+build+"/"+size] }
			none, noneCPU := med["none/"+size], cpu["none/"+size]
			fmt.Fprintf(&b, "| %s | sessconf cookie vs gorilla%s | %.2f× req/s, %.2f× less CPU |\n", size, build, get("sessconf-cookie")/get("gorilla"), c("gorilla")/c("sessconf-cookie"))
			fmt.Fprintf(&b, "| %s | sessconf Redis vs scs Redis%s | %.2f× req/s, %.2f× less CPU |\n", size, build, get("sessconf-redis")/get("scs-redis"), c("scs-redis")/c("sessconf-redis"))
			fmt.Fprintf(&b, "| %s | untouched vs none%s | %+.1f %% time/req, %+.1f %% CPU/req |\n", size, build, (none/get("untouched")-1)*100, (c("untouched")/noneCPU-1)*100)
			fmt.Fprintf(&b, "| %s | sessconf cookie over none%s | %.1f µs CPU/req |\n", size, build, c("sessconf-cookie")-noneCPU)
		}
	}
	t.Log(b.String())
	if path := os.Getenv("SESSCONF_LOOPBACK_REPORT"); path != "" {
		w, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		bw := bufio.NewWriter(w)
		bw.WriteString(b.String())
		bw.Flush()
	}
}
