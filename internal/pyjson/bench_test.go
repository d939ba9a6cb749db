package pyjson

import (
	"encoding/json"
	"testing"
)

// benchState is a ~1KB session: strings, numbers, flash queues, a CSRF token.
func benchState() any {
	state := map[string]any{
		"_csrft_":       "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3",
		"auth.userid":   42,
		"auth.username": "jürgen.müller@example.com",
		"locale":        "de_DE",
		"theme":         "dark",
		"last_login":    1699999000.25,
		"login_count":   int64(1234),
		"is_admin":      false,
		"mfa_verified":  true,
		"referrer":      nil,
		"_f_info":       []any{"Welcome back!", "Your profile was updated.", "3 new messages </inbox>"},
		"_f_error":      []any{"Invalid input in field \"email\"", "Passwort zu kurz – mindestens 12 Zeichen"},
		"_f_warn":       []any{},
		"cart": []any{
			map[string]any{"sku": "A-1", "qty": 2, "price": 9.99, "title": "Widget"},
			map[string]any{"sku": "B-22", "qty": 1, "price": 1499.0, "title": "Gadget Pro 😀"},
		},
		"prefs":  map[string]any{"tz": "Europe/Berlin", "page_size": 50, "ratio": 0.75, "beta": []any{"search", "dashboard"}},
		"search": "golang json encoding performance",
		"notes":  "Line one\nLine two\ttabbed & <escaped?>",
		"wizard": map[string]any{"step": 3, "completed": []any{1, 2}, "data": map[string]any{"name": "Ada", "country": "GB"}},
	}
	return []any{1700000000, 1699999000.5, state} // boxed once, not per call
}

func BenchmarkMarshal(b *testing.B) {
	v := benchState()
	out, err := Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	buf := make([]byte, 0, 2*len(out))
	b.ReportAllocs()
	for b.Loop() {
		buf, err = Append(buf[:0], v)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshalNew includes allocating and growing the output buffer.
func BenchmarkMarshalNew(b *testing.B) {
	v := benchState()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSON is encoding/json on the same value, for scale.
func BenchmarkEncodingJSON(b *testing.B) {
	v := benchState()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReformat(b *testing.B) {
	src, err := json.Marshal(benchState()) // compact, raw UTF-8, HTML-escaped
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	buf := make([]byte, 0, 2*len(src))
	b.ReportAllocs()
	for b.Loop() {
		buf, err = Reformat(buf[:0], src)
		if err != nil {
			b.Fatal(err)
		}
	}
}
