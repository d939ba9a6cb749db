package session

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A deploy that changed the secret without listing the old one in
// secret_fallbacks logs every user out. At INFO that must show as one
// warning a minute, never as a line per request.
func TestWrongSecretDeployWarnsOncePerMinute(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clock := WithClock(func() time.Time { return now })
	old := testManager(t, testOptions(), clock)
	var cookies []string
	for range 100 {
		cookies = append(cookies, cookieOf(t, serve(old, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("user", "u") }, "")))
	}

	var logs bytes.Buffer
	rotated := testOptions()
	rotated.Secret = strings.Repeat("ab", 32) // the old secret is gone
	m := testManager(t, rotated, clock, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	visit := func(c string) { serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Get("user") }, c) }

	for _, c := range cookies {
		visit(c)
		now = now.Add(100 * time.Millisecond) // 100 requests over 10 s
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "secret_fallbacks") {
		t.Fatalf("after 100 rejected cookies: %d lines, want one warning naming secret_fallbacks:\n%s", n, logs.String())
	}
	now = now.Add(time.Minute)
	for _, c := range cookies[:30] {
		visit(c)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 2 {
		t.Errorf("a minute later: %d warnings, want 2:\n%s", n, logs.String())
	}

	// A healthy site, where few cookies fail, never warns.
	logs.Reset()
	now = now.Add(time.Hour)
	good := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("user", "u") }, ""))
	for i := range 100 {
		if i%10 == 0 {
			visit(cookies[i])
		} else {
			visit(good)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("10%% rejections logged:\n%s", logs.String())
	}
}
