package sessecho_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
)

// TestStreamedResponse: a handler touches the session, then streams
// chunks, each flushed before the next is written. The headers, which
// arrive with the first chunk, carry the session cookie.
func TestStreamedResponse(t *testing.T) {
	const chunks = 3
	flushes := []struct {
		name  string
		flush func(c echo.Context) error
	}{
		{"Response.Flush", func(c echo.Context) error { c.Response().Flush(); return nil }},
		{"ResponseController(Response)", func(c echo.Context) error {
			return http.NewResponseController(c.Response()).Flush()
		}},
		{"ResponseController(Response.Writer)", func(c echo.Context) error {
			return http.NewResponseController(c.Response().Writer).Flush()
		}},
	}
	for _, tt := range flushes {
		t.Run(tt.name, func(t *testing.T) {
			ack := make(chan struct{}, chunks)
			e := newEcho()
			e.Use(sessecho.Middleware(newManager(t, nil)))
			e.GET("/stream", func(c echo.Context) error {
				if err := sessecho.Get(c).Set("streamed", true); err != nil {
					return err
				}
				c.Response().Header().Set(echo.HeaderContentType, "text/plain")
				for i := range chunks {
					if i > 0 { // the client has read the previous chunk
						select {
						case <-ack:
						case <-c.Request().Context().Done():
							return nil
						}
					}
					fmt.Fprintf(c.Response(), "chunk %d\n", i)
					if err := tt.flush(c); err != nil {
						return err
					}
				}
				return nil
			})
			b := newBrowser(t, e)
			// A chunk that is not flushed never arrives (nor, before the
			// first, do the headers): the deadline fails the test instead
			// of letting it hang.
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/stream", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := b.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if c := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "session=") {
				t.Errorf("Set-Cookie of the streamed response: %q", c)
			}
			if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
				t.Errorf("Transfer-Encoding %q, want chunked", resp.TransferEncoding)
			}
			for i, line := range readLines(t, resp.Body, chunks, ack) {
				if want := fmt.Sprintf("chunk %d\n", i); line != want {
					t.Errorf("chunk %d: %q, want %q", i, line, want)
				}
			}
		})
	}
}

// readLines reads n lines, acknowledging each.
func readLines(t *testing.T, body io.Reader, n int, ack chan<- struct{}) []string {
	t.Helper()
	br := bufio.NewReader(body)
	var lines []string
	for i := range n {
		s, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		lines = append(lines, s)
		ack <- struct{}{}
	}
	return lines
}
