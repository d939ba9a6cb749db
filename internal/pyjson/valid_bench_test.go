package pyjson

import (
	"encoding/json"
	"testing"
)

const benchDoc = `[1764115200, 1764111600.123456, {"user_id": 48213, "username": "alice", "role": "admin", "locale": "en_GB", "last_path": "/dashboard", "_csrft_": "5f0c2b7e9a41d38c6e2f1a0b9d8c7e6f5a4b3c2d", "email": "alice.example@example.com", "display_name": "Alice Example", "org": "Example Widgets Ltd", "permissions": ["orders.read", "orders.write", "invoices.read", "reports.read", "users.read"], "recent_searches": ["blue widget", "widget 42mm", "invoice 2024-11", "acme corp", "refund policy", "gasket set", "shipping eu"], "cart": ["SKU-100231:2", "SKU-100877:1", "SKU-204411:4", "SKU-300129:1", "SKU-310078:3", "SKU-998812:1"], "timezone": "Europe/London", "login_at": 1735689600, "ab_bucket": "checkout-v3-b", "shipping_address": "Flat 4, 221 Example Street, Example Town, EX1 2MP, United Kingdom", "billing_address": "Example Widgets Ltd, Unit 9, Example Business Park, Example City, EX9 8PL", "referrer": "https://www.example.org/landing/spring-sale?utm_source=newsletter", "_f_": ["Your order #100231 has been placed.", "Invoice INV-2024-1187 is ready to download.", "Password changed successfully."]}]`

// BenchmarkValid: Valid against encoding/json's json.Valid on a medium
// cookie payload.
func BenchmarkValid(b *testing.B) {
	doc := []byte(benchDoc)
	for _, c := range []struct {
		name  string
		valid func([]byte) bool
	}{{"pyjson", Valid}, {"encoding-json", json.Valid}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if !c.valid(doc) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
