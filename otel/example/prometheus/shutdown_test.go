package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// closeSignal is a listener that reports when it is closed, which is
// when Shutdown has begun and Serve is about to return.
type closeSignal struct {
	net.Listener
	closed chan struct{}
}

func (l *closeSignal) Close() error {
	select {
	case <-l.closed:
	default:
		close(l.closed)
	}
	return l.Listener.Close()
}

// serve returns only after the request in flight when the shutdown
// began has been answered, so run's deferred shutdown (meter provider,
// session manager) cannot close them under it.
func TestServeDrainsBeforeReturning(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &closeSignal{Listener: inner, closed: make(chan struct{})}
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h) }()

	client := &http.Client{Timeout: 30 * time.Second} // a hang fails as a timeout
	answered := make(chan error, 1)
	go func() {
		resp, err := client.Get("http://" + inner.Addr().String() + "/")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "done" {
				err = io.ErrUnexpectedEOF
			}
		}
		answered <- err
	}()
	<-entered
	cancel()
	<-ln.closed
	// Serve has returned or is about to; before the fix serve followed
	// it at once. The pause only gives a wrong return time to happen.
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) while a request was in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-answered; err != nil {
		t.Errorf("request in flight during the shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}
