package session

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"reflect"
)

// commitWriter commits the session at the response's first commit point.
// wrap returns it with exactly the optional interfaces the underlying
// writer offers: Flusher and Hijacker directly or through its Unwrap
// chain (as http.ResponseController finds them), ReaderFrom directly. So
// both type assertions and ResponseController reach them through the
// commit point, never around it.
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
		// The handler's headers (Location, Content-Encoding…) describe a
		// response that will not be sent.
		clear(w.Header())
		w.s.m.errorHandler(w.ResponseWriter, w.s.r, err)
		return false
	}
	return true
}

// commitAtReturn commits when the handler returned without writing
// through w. If meanwhile the response went out through another writer
// (a framework adapter that replaced the request but not the writer),
// the session's Set-Cookie can no longer be sent: that is logged, since
// nothing else would show it.
func (w *commitWriter) commitAtReturn() {
	before := len(w.Header()["Set-Cookie"])
	w.commit(http.StatusOK)
	if len(w.Header()["Set-Cookie"]) > before && writtenAround(w.ResponseWriter) {
		w.s.m.logger.WarnContext(w.s.r.Context(), "session cookie not sent: the response was written around the session middleware's writer (does a framework adapter bypass it?); the session change is lost",
			"method", w.s.r.Method, "path", w.s.r.URL.Path)
	}
}

// writtenAround reports whether a writer below the commit point says it
// has already written the response: a Written() method (gin) or an
// exported Committed field (echo's Response).
func writtenAround(w http.ResponseWriter) bool {
	for w != nil {
		if x, ok := w.(interface{ Written() bool }); ok && x.Written() {
			return true
		}
		if v := reflect.ValueOf(w); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("Committed"); f.IsValid() && f.Kind() == reflect.Bool && f.Bool() {
				return true
			}
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		w = u.Unwrap()
	}
	return false
}

func (w *commitWriter) commitOnPanic() {
	if w.committed {
		return
	}
	w.committed = true
	if err := w.s.commit(w.Header(), http.StatusInternalServerError, true); err != nil {
		w.s.m.logger.ErrorContext(w.s.r.Context(), "session commit failed during panic", "backend", w.s.m.backend.Name(), "err", err)
	}
}

// WriteHeader commits on the first final status. 1xx responses pass
// through, except 101 Switching Protocols, which net/http treats as final.
func (w *commitWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
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
		return 0, errResponseReplaced
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *commitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *commitWriter) flushError() error {
	if !w.commit(http.StatusOK) {
		return errResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *commitWriter) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.commit(http.StatusOK) {
		return nil, nil, errResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// capabilities reports whether w can flush and hijack, directly or
// through its Unwrap chain, as http.ResponseController looks for them.
func capabilities(w http.ResponseWriter) (flush, hijack bool) {
	for w != nil && !(flush && hijack) {
		switch w.(type) {
		case http.Flusher, interface{ FlushError() error }:
			flush = true
		}
		if _, ok := w.(http.Hijacker); ok {
			hijack = true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return flush, hijack
}

func (w *commitWriter) readFrom(r io.Reader) (int64, error) {
	if !w.commit(http.StatusOK) {
		return 0, errResponseReplaced
	}
	return w.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
}

// The wrappers below are single-pointer structs, so storing one in an
// http.ResponseWriter interface does not allocate. Each has exactly the
// optional methods its name lists.
type (
	cwF   struct{ *commitWriter }
	cwH   struct{ *commitWriter }
	cwR   struct{ *commitWriter }
	cwFH  struct{ *commitWriter }
	cwFR  struct{ *commitWriter }
	cwHR  struct{ *commitWriter }
	cwFHR struct{ *commitWriter }
)

func (w cwF) Flush()              { _ = w.flushError() }
func (w cwF) FlushError() error   { return w.flushError() }
func (w cwFH) Flush()             { _ = w.flushError() }
func (w cwFH) FlushError() error  { return w.flushError() }
func (w cwFR) Flush()             { _ = w.flushError() }
func (w cwFR) FlushError() error  { return w.flushError() }
func (w cwFHR) Flush()            { _ = w.flushError() }
func (w cwFHR) FlushError() error { return w.flushError() }

func (w cwH) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w cwFH) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w cwHR) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w cwFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w cwR) ReadFrom(src io.Reader) (int64, error)   { return w.readFrom(src) }
func (w cwFR) ReadFrom(src io.Reader) (int64, error)  { return w.readFrom(src) }
func (w cwHR) ReadFrom(src io.Reader) (int64, error)  { return w.readFrom(src) }
func (w cwFHR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

// wrap picks the combination of optional interfaces the underlying writer has.
func (w *commitWriter) wrap() http.ResponseWriter {
	f, h := capabilities(w.ResponseWriter)
	_, rf := w.ResponseWriter.(io.ReaderFrom)
	switch {
	case f && h && rf:
		return cwFHR{w}
	case f && h:
		return cwFH{w}
	case f && rf:
		return cwFR{w}
	case h && rf:
		return cwHR{w}
	case f:
		return cwF{w}
	case h:
		return cwH{w}
	case rf:
		return cwR{w}
	}
	return w
}
