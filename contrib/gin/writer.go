package sessgin

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// errHijackAfterBody mirrors gin's refusal to hijack once body bytes went out.
var errHijackAfterBody = errors.New("sessgin: response body already written")

// writer is the gin.ResponseWriter handlers see while the session
// middleware runs. Its output goes through the session's writer (sw),
// which commits the session and then writes to gin's writer (the
// embedded one). It keeps gin's contract: WriteHeader records the status
// and WriteHeaderNow sends it. CloseNotify and Pusher, which write
// nothing, come from gin's writer.
type writer struct {
	gin.ResponseWriter
	sw     http.ResponseWriter
	status int
	size   int // -1 until the header is committed, as in gin
}

func newWriter(orig gin.ResponseWriter, sw http.ResponseWriter) *writer {
	w := &writer{ResponseWriter: orig, sw: sw, status: orig.Status(), size: -1}
	if orig.Written() {
		w.size = orig.Size()
	}
	return w
}

// Header is the header of the response; the session adds its cookie to it.
func (w *writer) Header() http.Header { return w.sw.Header() }

// WriteHeader records code for the header WriteHeaderNow will send.
func (w *writer) WriteHeader(code int) {
	if code > 0 && !w.Written() {
		w.status = code
	}
}

// WriteHeaderNow commits the session and sends the header, once.
func (w *writer) WriteHeaderNow() {
	if w.Written() {
		return
	}
	w.size = 0
	w.sw.WriteHeader(w.status)
	// gin's own writer also only records the status in WriteHeader.
	w.ResponseWriter.WriteHeaderNow()
}

func (w *writer) Write(b []byte) (int, error) {
	w.WriteHeaderNow()
	n, err := w.sw.Write(b)
	w.size += n
	return n, err
}

func (w *writer) WriteString(s string) (int, error) {
	w.WriteHeaderNow()
	n, err := io.WriteString(w.sw, s)
	w.size += n
	return n, err
}

func (w *writer) Status() int   { return w.status }
func (w *writer) Size() int     { return w.size }
func (w *writer) Written() bool { return w.size != -1 }

// Flush sends the header, then flushes through the session's writer.
func (w *writer) Flush() { _ = w.FlushError() }

// FlushError is Flush with its error, for http.ResponseController.
func (w *writer) FlushError() error {
	w.WriteHeaderNow()
	return http.NewResponseController(w.sw).Flush()
}

// Hijack commits the session, then hands over the connection.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.size > 0 {
		return nil, nil, errHijackAfterBody
	}
	if w.size < 0 {
		w.size = 0
	}
	return http.NewResponseController(w.sw).Hijack()
}

// Unwrap returns the session's writer, for http.ResponseController.
func (w *writer) Unwrap() http.ResponseWriter { return w.sw }
