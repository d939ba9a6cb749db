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
	lk := strings.ToLower(strings.TrimSpace(raw))
	opt, ok := strings.CutPrefix(lk, prefixSession)
	if !ok {
		opt, _ = strings.CutPrefix(lk, prefixPyNaCl)
	}
	if i, known := keyIndex[prefixSession+opt]; known { // no did-you-mean work: called per key
		return keyTable[i].Secret
	}
	for _, w := range []string{"secret", "password", "passwd", "url", "token"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return false
}
