package vectors

import (
	"encoding/base64"
	"strings"
)

// PythonB64Decode mirrors Python's base64.urlsafe_b64decode after
// re-padding, with validate=False: characters outside the alphabet are
// dropped, '+' and '/' are accepted, decoding stops at the first '=', and
// unused trailing bits are ignored. Divergence rules use it to tell a
// cookie Python accepts from one it refuses.
func PythonB64Decode(s string) ([]byte, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '=':
			raw, err := base64.RawURLEncoding.DecodeString(b.String())
			return raw, err == nil
		case r == '+':
			b.WriteByte('-')
		case r == '/':
			b.WriteByte('_')
		case r == '-' || r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	raw, err := base64.RawURLEncoding.DecodeString(b.String())
	return raw, err == nil
}
