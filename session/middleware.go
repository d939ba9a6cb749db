package session

import (
	"context"
	"net/http"

	"github.com/sessconf/sessconf/internal/engine"
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { m.serve(next, w, r) })
}

// serve is the middleware's work for one request. It is a method, not
// the closure itself, so that it is compiled once here (never inlined
// into callers, because of its defer) with WithContext inlined into it:
// the request copy then lives inside requestState instead of being a
// separate allocation.
func (m *Manager) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if s, ok := r.Context().Value(ctxKey{}).(*Session); ok && s.m == m {
		// Nested (a framework that re-enters its router, a sub-mux
		// wrapped twice): the outer middleware's session and commit
		// point serve; a second would send a second Set-Cookie.
		next.ServeHTTP(w, r)
		return
	}
	// One allocation for the request copy, the session, the writer and
	// the context.
	st := &requestState{}
	s, cw := &st.sess, &st.cw
	// Backends get the request as it entered, without the session in its
	// context, so a backend callback that calls Get gets a detached
	// session instead of deadlocking on this one.
	s.m, s.r = m, r
	st.ctx = sessionContext{Context: r.Context(), s: s}
	st.req = *r.WithContext(&st.ctx)
	r = &st.req
	*cw = commitWriter{ResponseWriter: w, s: s}
	defer func() {
		if p := recover(); p != nil {
			cw.commitOnPanic()
			panic(p)
		}
		if !cw.committed {
			cw.commitAtReturn()
		}
	}()
	next.ServeHTTP(cw.wrap(), r)
}

// requestState is everything the middleware keeps per request.
type requestState struct {
	req  http.Request // the request with the session in its context
	sess Session
	cw   commitWriter
	ctx  sessionContext
}

// sessionContext is context.WithValue(parent, ctxKey{}, s) without a
// separate allocation.
type sessionContext struct {
	context.Context
	s *Session
}

func (c *sessionContext) Value(key any) any {
	if _, ok := key.(ctxKey); ok {
		return c.s
	}
	return c.Context.Value(key)
}

// commit saves the session into h for a response with the given status.
// Afterwards every write to the session is refused with ErrCommitted.
func (s *Session) commit(h http.Header, status int, panicked bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.committed = true
	if s.rec == nil {
		return nil // never touched
	}
	if s.err != nil {
		return s.err
	}
	if !s.rec.Ephemeral { // an ephemeral session (static asset) does not depend on the cookie
		s.addVaryCookie(h)
	}
	if !s.m.opts.SetOnException && (panicked || status >= 500) {
		return nil
	}
	return s.m.save(s.r.Context(), h, s.rec)
}

// addVaryCookie adds "Vary: Cookie" unless h has it.
func (s *Session) addVaryCookie(h http.Header) {
	for _, v := range h["Vary"] {
		if v == "Cookie" {
			return
		}
	}
	engine.AddHeader(h, s.rec, "Vary", "Cookie")
}
