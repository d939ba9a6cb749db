package settings

import "strings"

// noLineText is the message of a malformed INI line. The line's text is
// never quoted: it may be a secret, or a continuation of one whose
// indentation was lost.
func noLineText(expected string) string {
	return expected + " (the line's text is not shown: it may hold a secret)"
}

// maySecret reports whether the value of the raw key may be secret: a
// secret key of the table under any prefix or dialect, or any unknown key
// whose name suggests one.
func maySecret(raw string) bool {
	if name, known, _ := canonical(raw); known {
		return keyTable[keyIndex[name]].Secret
	}
	lk := strings.ToLower(raw)
	for _, w := range []string{"secret", "password", "passwd", "url", "token"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return false
}
