package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildDir holds the demo binary; TestMain removes it.
var buildDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// demoBinary builds examples/demo once per test run.
var demoBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sessconf-e2e-demo")
	if err != nil {
		return "", err
	}
	buildDir = dir
	bin := filepath.Join(dir, "demo")
	cmd := exec.Command("go", "build", "-o", bin, "./examples/demo")
	cmd.Dir = ".." // the repository root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./examples/demo: %w\n%s", err, out)
	}
	return bin, nil
})

// demo is one running demo process.
type demo struct {
	url string // http://127.0.0.1:port/
	log *lockedBuffer
}

var listeningRE = regexp.MustCompile(`msg="demo listening" url=(http://127\.0\.0\.1:\d+/)`)

// startDemo runs the demo on a free loopback port with args and env
// (NAME=value; no other SESSION_* variable leaks in), and stops it at the
// end of the test.
func startDemo(t *testing.T, args []string, env []string) *demo {
	t.Helper()
	bin, err := demoBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = ".."
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SESSION_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &demo{log: &lockedBuffer{}}
	found := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(d.log, sc.Text())
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		stopped := make(chan error, 1)
		go func() { <-done; stopped <- cmd.Wait() }()
		select {
		case err := <-stopped:
			if err != nil {
				t.Errorf("demo exited with %v; its log:\n%s", err, d.log)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-stopped
			t.Errorf("demo did not stop within 10s of SIGINT; its log:\n%s", d.log)
		}
		if t.Failed() {
			t.Logf("demo log (%s):\n%s", strings.Join(args, " "), d.log)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case d.url = <-found:
	case <-done:
		t.Fatalf("demo exited before listening; its log:\n%s", d.log)
	case <-ctx.Done():
		t.Fatalf("demo did not log its address within 30s; its log:\n%s", d.log)
	}
	return d
}
