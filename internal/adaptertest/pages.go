package adaptertest

import (
	"bufio"
	"fmt"
	"io"
	"net/http"

	"github.com/sessconf/sessconf/session"
)

// Count counts a visit in s and returns the /count page: "visit N".
func Count(s *session.Session) (string, error) {
	n, _ := session.GetAs[int](s, "visits")
	if err := s.Set("visits", n+1); err != nil {
		return "", err
	}
	return fmt.Sprintf("visit %d", n+1), nil
}

// FormPage is the /form page, sent as JSON: the session's CSRF token and
// the flash messages, shown once.
type FormPage struct {
	Flash []string `json:"flash"`
	Token string   `json:"token"`
}

// ShowForm pops the flash messages of s and returns the /form page.
func ShowForm(s *session.Session) (FormPage, error) {
	msgs, err := s.PopFlash("")
	if err != nil {
		return FormPage{}, err
	}
	token, err := s.CSRFToken()
	if err != nil {
		return FormPage{}, err
	}
	page := FormPage{Flash: []string{}, Token: token}
	for _, m := range msgs {
		page.Flash = append(page.Flash, fmt.Sprint(m))
	}
	return page, nil
}

// Peek returns the /peek page: the value of "k" in s.
func Peek(s *session.Session) string {
	v, _ := s.Get("k")
	return fmt.Sprint(v)
}

// Chunks is how many chunks /stream sends.
const Chunks = 3

// ackKey is the request context key of the channel through which the
// stream flow acknowledges each chunk it has read.
type ackKey struct{}

// Chunk writes chunk i of /stream to w, after the client has read chunk
// i-1 (so each chunk must have been flushed to arrive). It reports false,
// writing nothing, when the request ends first.
func Chunk(r *http.Request, w io.Writer, i int) bool {
	if ack, ok := r.Context().Value(ackKey{}).(chan struct{}); ok && i > 0 {
		select {
		case <-ack:
		case <-r.Context().Done():
			return false
		}
	}
	fmt.Fprintf(w, "chunk %d\n", i)
	return true
}

// RawReply answers, on a hijacked connection, the /raw page: "raw".
func RawReply(rw *bufio.ReadWriter) error {
	fmt.Fprint(rw, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nraw")
	return rw.Flush()
}
