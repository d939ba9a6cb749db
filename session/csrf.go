package session

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
)

// csrfKey is where Pyramid keeps the CSRF token.
const csrfKey = "_csrft_"

// Where CheckCSRF looks for the request's token.
const (
	CSRFFormField = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"
)

// ErrCSRF is returned by CheckCSRF when the request's token is missing or wrong.
var ErrCSRF = errors.New("session: CSRF token missing or invalid")

// CSRFToken returns the session's CSRF token, creating one if there is
// none (which marks the session changed).
func (s *Session) CSRFToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	if tok, ok := s.storedCSRFToken(); ok {
		return tok
	}
	return s.newCSRFToken()
}

// NewCSRFToken replaces the CSRF token with a fresh one and returns it.
func (s *Session) NewCSRFToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newCSRFToken()
}

// storedCSRFToken returns the stored token. null counts as absent, as
// Pyramid's None does; an empty string is returned as Pyramid returns it.
// Callers hold s.mu.
func (s *Session) storedCSRFToken() (string, bool) {
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

// CheckCSRF compares, in constant time, the token r carries (the
// X-CSRF-Token header, else the csrf_token form field) with the session's.
// It returns ErrCSRF when they differ or either is missing.
func CheckCSRF(r *http.Request) error {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFFormField)
	}
	s := Get(r)
	s.mu.Lock()
	s.access()
	want, _ := s.storedCSRFToken()
	s.mu.Unlock()
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrCSRF
	}
	return nil
}
