package adaptertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Browser is an HTTP client with a cookie jar, talking to one test server.
type Browser struct {
	t      testing.TB
	URL    string       // the server's base URL
	Client *http.Client // follows redirects unless the test says otherwise
}

// NewBrowser starts a server for h, stopped when the test ends, and
// returns a browser talking to it.
func NewBrowser(t testing.TB, h http.Handler) *Browser {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	c.Jar = jar
	return &Browser{t: t, URL: srv.URL, Client: c}
}

// Do sends a request, with form as its urlencoded body unless nil, and
// returns the response with its body read.
func (b *Browser) Do(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(out)
}

// Get returns the body of a GET, which must answer 200.
func (b *Browser) Get(path string) string {
	b.t.Helper()
	resp, body := b.Do(http.MethodGet, path, nil, nil)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: status %d, body %q", path, resp.StatusCode, body)
	}
	return body
}

// Form reads the form page: its CSRF token and the flash messages shown.
func (b *Browser) Form() (token string, flash []string) {
	b.t.Helper()
	var page FormPage
	if err := json.Unmarshal([]byte(b.Get("/form")), &page); err != nil {
		b.t.Fatal(err)
	}
	return page.Token, page.Flash
}
