package sessgin_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
)

// TestStreamedResponse: a handler touches the session, then streams
// chunks, each flushed before the next is written. The headers, which
// arrive with the first chunk, carry the session cookie.
func TestStreamedResponse(t *testing.T) {
	const chunks = 3
	flushes := []struct {
		name   string
		stream func(c *gin.Context, chunk func(i int))
	}{
		{"Writer.Flush", func(c *gin.Context, chunk func(int)) {
			for i := range chunks {
				chunk(i)
				c.Writer.Flush()
			}
		}},
		{"ResponseController", func(c *gin.Context, chunk func(int)) {
			for i := range chunks {
				chunk(i)
				if err := http.NewResponseController(c.Writer).Flush(); err != nil {
					t.Errorf("Flush: %v", err)
				}
			}
		}},
		{"Context.Stream", func(c *gin.Context, chunk func(int)) {
			i := 0
			c.Stream(func(io.Writer) bool {
				chunk(i)
				i++
				return i < chunks
			})
		}},
	}
	for _, tt := range flushes {
		t.Run(tt.name, func(t *testing.T) {
			ack := make(chan struct{}, chunks)
			r := gin.New()
			r.Use(sessgin.Middleware(newManager(t, nil)))
			r.GET("/stream", func(c *gin.Context) {
				if err := sessgin.Get(c).Set("streamed", true); err != nil {
					t.Error(err)
				}
				tt.stream(c, func(i int) {
					if i > 0 { // the client has read the previous chunk
						select {
						case <-ack:
						case <-c.Request.Context().Done():
							return
						}
					}
					fmt.Fprintf(c.Writer, "chunk %d\n", i)
				})
			})
			b := newBrowser(t, r)
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
			lines := readLines(t, resp.Body, chunks, ack)
			for i, line := range lines {
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
