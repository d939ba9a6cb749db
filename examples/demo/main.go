// Command demo serves a small site on sessconf sessions: a visit counter,
// a CSRF-protected form that flashes a message and redirects, and a
// logout that invalidates the session. The page shows the backend and the
// cookie's settings. With no settings it uses encrypted cookies and an
// ephemeral secret, so no server is needed.
//
//	go run ./examples/demo                                # ephemeral secret
//	go run ./examples/demo -config examples/app.ini       # settings from a file
//	go run ./examples/demo -config examples/app.ini -dev  # same, cookie not Secure (plain HTTP under any host name)
//	go run ./examples/demo -config examples/app-redis.ini # Redis at 127.0.0.1:6379, or SESSION_REDIS_URL
//	SESSION_SECRET=$(go run ./cmd/checkconf --generate-secret) go run ./examples/demo
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0: a free port, logged at start-up)")
	config := flag.String("config", "", "settings file (INI or YAML); default: SESSION_* environment variables")
	dev := flag.Bool("dev", false, "turn the cookie's Secure flag off, for plain HTTP under a host name other than localhost")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, *config, *dev, logger); err != nil {
		logger.Error("demo", "err", err)
		os.Exit(1)
	}
}

// run serves until SIGINT or SIGTERM, then shuts down and closes the
// session backend.
func run(addr, config string, dev bool, logger *slog.Logger) error {
	a, err := newApp(config, dev, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	a.startupNotes(ln.Addr().String())
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- srv.Shutdown(shutdown)
	}()
	logger.Info("demo listening", "url", "http://"+ln.Addr().String()+"/", "backend", a.opts.Type)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-stopped
}
