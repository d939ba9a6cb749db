package crypto_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/sessconf/sessconf/crypto"
)

// Rotating the encrypted-cookie key: the new key becomes the primary, the
// old one a fallback. Old cookies still open (reported as fallback so the
// caller re-issues them); new cookies are always sealed with the primary.
func ExampleNewSecretbox() {
	oldKey, _ := hex.DecodeString("0000000000000000000000000000000000000000000000000000000000000001")
	newKey, _ := hex.DecodeString("00000000000000000000000000000000000000000000000000000000000000ff")

	before, _ := crypto.NewSecretbox(oldKey)
	cookie, _ := before.Encode([]byte(`[1700000000, 1699999000.5, {"a": 1}]`))

	after, _ := crypto.NewSecretbox(newKey, oldKey)
	payload, fallback, err := after.Decode(cookie)
	fmt.Printf("old cookie: %s fallback=%v err=%v\n", payload, fallback, err)

	reissued, _ := after.Encode(payload)
	_, fallback, _ = after.Decode(reissued)
	fmt.Println("re-issued cookie uses fallback:", fallback)

	newOnly, _ := crypto.NewSecretbox(newKey)
	_, _, err = newOnly.Decode(reissued)
	fmt.Println("opens with the new key alone:", err == nil)

	_, _, err = newOnly.Decode(cookie)
	fmt.Println("old cookie after dropping the old key:", errors.Is(err, crypto.ErrDecode))

	_, err = crypto.NewSecretbox([]byte("too short"))
	fmt.Println(errors.Is(err, crypto.ErrKey))
	// Output:
	// old cookie: [1700000000, 1699999000.5, {"a": 1}] fallback=true err=<nil>
	// re-issued cookie uses fallback: false
	// opens with the new key alone: true
	// old cookie after dropping the old key: true
	// true
}

// Pyramid's SignedCookieSessionFactory format, with a rotated secret. The
// HMAC key is salt+secret, as webob derives it.
func ExampleNewSigned() {
	oldKey := []byte("pyramid.session." + "seekrit") // salt + secret
	newKey := []byte("pyramid.session." + "n3w-s3cr3t")

	before, _ := crypto.NewSigned("sha512", oldKey)
	cookie, _ := before.Encode([]byte(`[1700000000, 1699999000.5, {"state": 1}]`))
	fmt.Println(cookie)

	after, _ := crypto.NewSigned("sha512", newKey, oldKey)
	payload, fallback, err := after.Decode(cookie)
	fmt.Printf("%s fallback=%v err=%v\n", payload, fallback, err)

	reissued, _ := after.Encode(payload)
	_, fallback, _ = after.Decode(reissued)
	fmt.Println("re-issued cookie uses fallback:", fallback)

	_, _, err = after.Decode(cookie + "=")
	fmt.Println("padded:", errors.Is(err, crypto.ErrDecode))

	_, err = crypto.NewSigned("md5", newKey)
	fmt.Println("md5:", err)
	// Output:
	// B2pGoTDmLOUPFyfAInJBFymisGuy4rs-wCjkRx1eboZACbR3ASsdd9Hu00Gou2oyFI39peYmytamlx9gBCFuAVsxNzAwMDAwMDAwLCAxNjk5OTk5MDAwLjUsIHsic3RhdGUiOiAxfV0
	// [1700000000, 1699999000.5, {"state": 1}] fallback=true err=<nil>
	// re-issued cookie uses fallback: false
	// padded: true
	// md5: unsupported hash algorithm: "md5" (use sha512, sha384, sha256, sha224 or sha1)
}
