package codec

import (
	"fmt"
	"strings"
	"testing"
)

// benchPayloads are session payloads as the session layer writes them:
// [accessed, created, state] in Python's json.dumps form.
func benchPayloads() []struct {
	name    string
	payload []byte
} {
	small := `[1700000000, 1699999000.5, {"auth.userid": 42, "lang": "en", "theme": "dark", "tz": "UTC"}]`

	var m strings.Builder
	m.WriteString(`[1700000000, 1699999000.5, {"_csrft_": "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3", "auth.userid": 42, `)
	m.WriteString(`"_f_": ["Your profile was saved.", "Welcome back, J\u00fcrgen!"], "_f_error": ["Please fix the errors below."], `)
	m.WriteString(`"cart": [`)
	for i := 0; i < 9; i++ {
		if i > 0 {
			m.WriteString(", ")
		}
		fmt.Fprintf(&m, `{"sku": "SKU-%04d", "qty": %d, "price": %d.99, "title": "Item number %d"}`, i, i+1, 10+i, i)
	}
	m.WriteString(`], "last_page": "/shop/checkout?step=2"}]`)

	var l strings.Builder
	l.WriteString(`[1700000000, 1699999000.5, {"_csrft_": "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3", "history": [`)
	for i := 0; i < 80; i++ {
		if i > 0 {
			l.WriteString(", ")
		}
		fmt.Fprintf(&l, `"/articles/%05d/comments"`, i)
	}
	l.WriteString(`], "prefs": {`)
	for i := 0; i < 36; i++ {
		if i > 0 {
			l.WriteString(", ")
		}
		fmt.Fprintf(&l, `"pref_%02d": "value-%02d"`, i, i)
	}
	l.WriteString(`}}]`)

	return []struct {
		name    string
		payload []byte
	}{
		{"small", []byte(small)},
		{"medium", []byte(m.String())},
		{"large", []byte(l.String())},
	}
}

func TestBenchPayloadSizes(t *testing.T) {
	want := map[string][2]int{"small": {80, 130}, "medium": {900, 1200}, "large": {2700, 3300}}
	for _, p := range benchPayloads() {
		t.Logf("%s: %d bytes", p.name, len(p.payload))
		if r := want[p.name]; len(p.payload) < r[0] || len(p.payload) > r[1] {
			t.Errorf("%s payload is %d bytes, want %d..%d", p.name, len(p.payload), r[0], r[1])
		}
	}
}

func BenchmarkCodec(b *testing.B) {
	sb := mustSecretbox(b, keyA, keyB)
	sg, err := NewSigned("sha512", SignedKey("pyramid.session.", "seekrit"), SignedKey("pyramid.session.", "old"))
	if err != nil {
		b.Fatal(err)
	}
	codecs := []struct {
		name  string
		codec Codec
	}{{"encrypted", sb}, {"signed", sg}}
	for _, c := range codecs {
		for _, p := range benchPayloads() {
			value, err := c.codec.Encode(p.payload)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(c.name+"/"+p.name+"/encode", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(p.payload)))
				for b.Loop() {
					if _, err := c.codec.Encode(p.payload); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(c.name+"/"+p.name+"/decode", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(p.payload)))
				for b.Loop() {
					if _, _, err := c.codec.Decode(value); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
