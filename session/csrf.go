package session

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
)

// csrfKey is where Pyramid keeps the CSRF token.
const csrfKey = "_csrft_"

// Where CheckCSRF looks for the request's token.
const (
	CSRFFormField = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"
)

// CSRFToken returns the session's CSRF token, creating one if there is
// none (which marks the session changed). A session read through an id
// that RenewID replaced has no token to give: it returns ErrReplaced.
func (s *Session) CSRFToken() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	if s.rec.ReadOnly {
		return "", fmt.Errorf("session: CSRFToken: %w", ErrReplaced)
	}
	if tok, ok := s.storedCSRFToken(); ok {
		return tok, nil
	}
	if err := s.writable("CSRFToken"); err != nil {
		return "", err
	}
	return s.newCSRFToken(), nil
}

// NewCSRFToken replaces the CSRF token with a fresh one and returns it.
func (s *Session) NewCSRFToken() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("NewCSRFToken"); err != nil {
		return "", err
	}
	s.load()
	if s.rec.ReadOnly {
		// The write would be dropped: a form rendered with this token
		// could never pass CheckCSRF.
		return "", fmt.Errorf("session: NewCSRFToken: %w", ErrReplaced)
	}
	return s.newCSRFToken(), nil
}

// storedCSRFToken returns the stored token. null counts as absent, as
// Pyramid's None does; so does any token of a session read through a
// replaced id. Callers hold s.mu.
func (s *Session) storedCSRFToken() (string, bool) {
	if s.rec.ReadOnly {
		return "", false
	}
	raw, ok := s.rec.State.Get(csrfKey)
	if !ok || string(raw) == "null" {
		return "", false
	}
	var tok string
	if json.Unmarshal(raw, &tok) != nil {
		return "", false
	}
	return tok, true
}

// newCSRFToken makes 40 lower-case hex characters, as Pyramid does.
// Callers hold s.mu.
func (s *Session) newCSRFToken() string {
	s.change()
	var b [20]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	tok := hex.EncodeToString(b[:])
	s.rec.State.Set(csrfKey, json.RawMessage(`"`+tok+`"`))
	return tok
}

// CheckCSRF refuses a forged request. It returns an error matching
// ErrCSRF when
//
//  1. r is a cross-origin unsafe request (POST, PUT, DELETE…) from a
//     browser, as net/http's CrossOriginProtection judges it from
//     Sec-Fetch-Site or Origin against Host, and its origin is not in
//     csrf_trusted_origins (set csrf_check_origin = false to skip this);
//  2. the token r carries (the X-CSRF-Token header, else the csrf_token
//     form field) is missing or empty, or differs, compared in constant
//     time, from the session's;
//  3. the session was read through an id RenewID replaced.
//
// Like Pyramid's check_csrf_token, it creates a token for an existing
// session that has none, so the refusal carries a cookie the next form
// can use; unlike it, never for a new session (no session cookie came
// in): the refusal then sets no cookie and stores nothing.
func CheckCSRF(r *http.Request) error {
	s := Get(r)
	if s.m.origins != nil {
		if err := s.m.origins.Check(r); err != nil {
			return fmt.Errorf("%w: %w", ErrCSRF, err)
		}
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFFormField)
	}
	s.mu.Lock()
	s.access()
	want, ok := s.storedCSRFToken()
	if !ok && !s.rec.New && !s.rec.ReadOnly && !s.detached && !s.committed {
		// An existing session without a token gets one with the refusal,
		// as Pyramid's check_csrf_token gives it. A new session does not:
		// its cookie could replace the visitor's on a cross-site POST
		// that arrived without it, and a Redis record per refused request
		// would let anyone fill the store.
		s.newCSRFToken()
	}
	s.mu.Unlock()
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrCSRF
	}
	return nil
}
