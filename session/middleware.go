package session

import (
	"context"
	"net/http"
)

// Middleware gives every request a lazy session (see Get) and commits it
// at the first of WriteHeader (status >= 200), Write, Flush, ReadFrom or
// Hijack, or when the handler returns without writing. The body is never
// buffered. A request whose handler never touches its session costs no
// decoding and gets no Set-Cookie or Vary header.
//
// If the commit fails (store down, cookie too large), the error handler
// answers instead of the handler and the handler's later writes are
// dropped. When SetOnException is false, no session is saved for a
// response with status >= 500 or a handler that panics; the panic then
// continues.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := &Session{m: m}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, s))
		s.r = r
		cw := &commitWriter{ResponseWriter: w, s: s}
		defer func() {
			if p := recover(); p != nil {
				cw.commitOnPanic()
				panic(p)
			}
			if !cw.committed {
				cw.commit(http.StatusOK)
			}
		}()
		next.ServeHTTP(cw.wrap(), r)
	})
}

// commit saves the session into h for a response with the given status.
func (s *Session) commit(h http.Header, status int, panicked bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil {
		return nil // never touched
	}
	if s.err != nil {
		return s.err
	}
	addVaryCookie(h)
	if !s.m.opts.SetOnException && (panicked || status >= 500) {
		return nil
	}
	return s.m.backend.Save(s.r.Context(), h, s.rec, s.m.now())
}

func addVaryCookie(h http.Header) {
	for _, v := range h.Values("Vary") {
		if v == "Cookie" {
			return
		}
	}
	h.Add("Vary", "Cookie")
}
