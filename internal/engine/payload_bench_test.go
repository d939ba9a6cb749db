package engine

import "testing"

// benchPayload is the medium session of the bench module as Pyramid
// writes it: 18 keys, a flash queue and a CSRF token.
const benchPayload = `[1764115200, 1764111600.123456, {"user_id": 48213, "username": "alice", "role": "admin", "locale": "en_GB", "last_path": "/dashboard", "_csrft_": "5f0c2b7e9a41d38c6e2f1a0b9d8c7e6f5a4b3c2d", "email": "alice.example@example.com", "display_name": "Alice Example", "org": "Example Widgets Ltd", "permissions": ["orders.read", "orders.write", "invoices.read", "reports.read", "users.read"], "recent_searches": ["blue widget", "widget 42mm", "invoice 2024-11", "acme corp", "refund policy", "gasket set", "shipping eu"], "cart": ["SKU-100231:2", "SKU-100877:1", "SKU-204411:4", "SKU-300129:1", "SKU-310078:3", "SKU-998812:1"], "timezone": "Europe/London", "login_at": 1735689600, "ab_bucket": "checkout-v3-b", "shipping_address": "Flat 4, 221 Example Street, Example Town, EX1 2MP, United Kingdom", "billing_address": "Example Widgets Ltd, Unit 9, Example Business Park, Example City, EX9 8PL", "referrer": "https://www.example.org/landing/spring-sale?utm_source=newsletter", "_f_": ["Your order #100231 has been placed.", "Invoice INV-2024-1187 is ready to download.", "Password changed successfully."]}]`

// BenchmarkParsePayload: checking and parsing a medium cookie payload.
func BenchmarkParsePayload(b *testing.B) {
	payload := []byte(benchPayload)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := ParsePayload(payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePayloadInto: the same into a loaded cookie session's
// preallocated state, as CookieBackend.Load parses.
func BenchmarkParsePayloadInto(b *testing.B) {
	payload := []byte(benchPayload)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	c := &cookieRecord{}
	for b.Loop() {
		c.st = State{members: c.members[:0]}
		if _, _, err := parsePayloadInto(payload, &c.st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendPayload: writing a parsed medium session back after one
// key changed, as CookieBackend.Save encodes it before sealing.
func BenchmarkAppendPayload(b *testing.B) {
	c := &cookieRecord{}
	c.st = State{members: c.members[:0]}
	if _, _, err := parsePayloadInto([]byte(benchPayload), &c.st); err != nil {
		b.Fatal(err)
	}
	c.st.Set("last_path", []byte(`"/account/settings"`))
	rec := &Record{Created: 1764111600.123456, Accessed: 1764115200, AccessedInt: true, State: &c.st}
	dst := make([]byte, 0, 2048)
	b.SetBytes(int64(len(AppendPayload(nil, rec))))
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendPayload(dst[:0], rec)
	}
}
