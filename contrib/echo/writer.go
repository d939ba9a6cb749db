package sessecho

import (
	"io"
	"net/http"
)

// sentWriter is echo's own writer as the session middleware writes to
// it. It notes the final status sent, so that echo's Response can report
// a response the session's error handler wrote around it. Flush and
// Hijack are reached through Unwrap, as http.ResponseController does;
// ReadFrom keeps net/http's sendfile path for io.Copy.
type sentWriter struct {
	http.ResponseWriter
	status int
}

func (w *sentWriter) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *sentWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{w.ResponseWriter}, r)
}

// Unwrap returns echo's writer, for http.ResponseController.
func (w *sentWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
