package session

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
)

// ErrResponseReplaced is returned by Write after a failed session commit
// made the error handler answer in the handler's place.
var ErrResponseReplaced = errors.New("session: response replaced by the session error handler")

// commitWriter commits the session at the response's first commit point.
// wrap returns it with exactly the optional interfaces (Flusher, Hijacker,
// ReaderFrom) the underlying writer has, so type assertions keep working;
// Unwrap serves http.ResponseController.
type commitWriter struct {
	http.ResponseWriter
	s         *Session
	committed bool
	failed    bool // the error handler answered; drop the handler's output
}

// commit runs the session commit once and reports whether the handler's
// response may proceed.
func (w *commitWriter) commit(status int) bool {
	if w.committed {
		return !w.failed
	}
	w.committed = true
	if err := w.s.commit(w.Header(), status, false); err != nil {
		w.failed = true
		w.s.m.errorHandler(w.ResponseWriter, w.s.r, err)
		return false
	}
	return true
}

func (w *commitWriter) commitOnPanic() {
	if w.committed {
		return
	}
	w.committed = true
	if err := w.s.commit(w.Header(), http.StatusInternalServerError, true); err != nil {
		w.s.m.logger.Error("session commit failed during panic", "err", err)
	}
}

// WriteHeader commits on the first final status; 1xx responses pass through.
func (w *commitWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 {
		if !w.failed {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	if w.commit(code) {
		w.ResponseWriter.WriteHeader(code)
	}
}

// Write commits with status 200 if nothing was committed yet.
func (w *commitWriter) Write(b []byte) (int, error) {
	if !w.commit(http.StatusOK) {
		return 0, ErrResponseReplaced
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *commitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *commitWriter) flush() {
	if w.commit(http.StatusOK) {
		w.ResponseWriter.(http.Flusher).Flush()
	}
}

func (w *commitWriter) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.commit(http.StatusOK) {
		return nil, nil, ErrResponseReplaced
	}
	return w.ResponseWriter.(http.Hijacker).Hijack()
}

func (w *commitWriter) readFrom(r io.Reader) (int64, error) {
	if !w.commit(http.StatusOK) {
		return 0, ErrResponseReplaced
	}
	return w.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
}

type flusher struct{ w *commitWriter }

func (f flusher) Flush() { f.w.flush() }

type hijacker struct{ w *commitWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) { return h.w.hijack() }

type readerFrom struct{ w *commitWriter }

func (r readerFrom) ReadFrom(src io.Reader) (int64, error) { return r.w.readFrom(src) }

// wrap picks the combination of optional interfaces the underlying writer has.
func (w *commitWriter) wrap() http.ResponseWriter {
	_, f := w.ResponseWriter.(http.Flusher)
	_, h := w.ResponseWriter.(http.Hijacker)
	_, rf := w.ResponseWriter.(io.ReaderFrom)
	switch {
	case f && h && rf:
		return struct {
			*commitWriter
			flusher
			hijacker
			readerFrom
		}{w, flusher{w}, hijacker{w}, readerFrom{w}}
	case f && h:
		return struct {
			*commitWriter
			flusher
			hijacker
		}{w, flusher{w}, hijacker{w}}
	case f && rf:
		return struct {
			*commitWriter
			flusher
			readerFrom
		}{w, flusher{w}, readerFrom{w}}
	case h && rf:
		return struct {
			*commitWriter
			hijacker
			readerFrom
		}{w, hijacker{w}, readerFrom{w}}
	case f:
		return struct {
			*commitWriter
			flusher
		}{w, flusher{w}}
	case h:
		return struct {
			*commitWriter
			hijacker
		}{w, hijacker{w}}
	case rf:
		return struct {
			*commitWriter
			readerFrom
		}{w, readerFrom{w}}
	}
	return w
}
