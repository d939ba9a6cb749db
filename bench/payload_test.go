package bench

import (
	"fmt"
	"strings"
)

// The session data every library carries, in insertion order. Values are
// ints, strings and []string only, so gorilla's default gob codec needs no
// registration; the flash queue is carried by each library's own flash
// mechanism (sessconf/Pyramid "_f_", gorilla "_flash").
type kv struct {
	k string
	v any
}

type payload struct {
	name   string
	values []kv
	flash  []string
}

// csrfToken is a Pyramid-style 40-hex CSRF token.
const csrfToken = "5f0c2b7e9a41d38c6e2f1a0b9d8c7e6f5a4b3c2d"

// readKey is read and writeKey written by every cycle handler.
const (
	readKey  = "user_id"
	writeKey = "last_path"
	newPath  = "/account/settings"
)

// csrfKey is where Pyramid (and sessconf) keep the CSRF token; the
// other stores get it as a plain key of the same size.
const csrfKey = "_csrft_"

func smallValues() []kv {
	return []kv{
		{"user_id", 48213},
		{"username", "alice"},
		{"role", "admin"},
		{"locale", "en_GB"},
		{writeKey, "/dashboard"},
	}
}

func mediumValues() []kv {
	return append(smallValues(),
		kv{csrfKey, csrfToken},
		kv{"email", "alice.example@example.com"},
		kv{"display_name", "Alice Example"},
		kv{"org", "Example Widgets Ltd"},
		kv{"permissions", []string{"orders.read", "orders.write", "invoices.read", "reports.read", "users.read"}},
		kv{"recent_searches", []string{"blue widget", "widget 42mm", "invoice 2024-11", "acme corp", "refund policy", "gasket set", "shipping eu"}},
		kv{"cart", []string{"SKU-100231:2", "SKU-100877:1", "SKU-204411:4", "SKU-300129:1", "SKU-310078:3", "SKU-998812:1"}},
		kv{"timezone", "Europe/London"},
		kv{"login_at", 1735689600},
		kv{"ab_bucket", "checkout-v3-b"},
		kv{"shipping_address", "Flat 4, 221 Example Street, Example Town, EX1 2MP, United Kingdom"},
		kv{"billing_address", "Example Widgets Ltd, Unit 9, Example Business Park, Example City, EX9 8PL"},
		kv{"referrer", "https://www.example.org/landing/spring-sale?utm_source=newsletter"},
	)
}

func largeValues() []kv {
	v := mediumValues()
	viewed := make([]string, 40)
	for i := range viewed {
		viewed[i] = fmt.Sprintf("product-%06d-%s", 100000+i*37, strings.Repeat("x", 12))
	}
	v = append(v, kv{"recently_viewed", viewed})
	notes := make([]string, 13)
	for i := range notes {
		notes[i] = fmt.Sprintf("draft note %02d: remember to follow up", i)
	}
	return append(v, kv{"draft_notes", notes})
}

var payloads = []payload{
	{"small", smallValues(), nil},
	{"medium", mediumValues(), []string{
		"Your order #100231 has been placed.",
		"Invoice INV-2024-1187 is ready to download.",
		"Password changed successfully.",
	}},
	{"large", largeValues(), []string{
		"Your order #100231 has been placed.",
		"Invoice INV-2024-1187 is ready to download.",
		"Password changed successfully.",
	}},
}
