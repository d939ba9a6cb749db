package settings

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Coercion errors. Every error returned by parseBool, parseDuration and
// parseInt wraps errInvalid; negative durations also wrap errNegative.
var (
	errInvalid  = errors.New("invalid value")
	errNegative = errors.New("negative duration")
)

// Pyramid's asbool word lists (pyramid.settings.truthy / falsey).
var (
	truthy = []string{"t", "true", "y", "yes", "on", "1"}
	falsey = []string{"f", "false", "n", "no", "off", "0"}
)

const boolWords = "use one of t, true, y, yes, on, 1 / f, false, n, no, off, 0"

// parseBool accepts exactly Pyramid's asbool words, trimmed and
// case-insensitive: t true y yes on 1 / f false n no off 0. Unlike Pyramid,
// anything else is an error (Pyramid silently reads it as false, so a typo
// in "secure" disables it).
func parseBool(s string) (bool, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	for _, t := range truthy {
		if w == t {
			return true, nil
		}
	}
	for _, f := range falsey {
		if w == f {
			return false, nil
		}
	}
	return false, fmt.Errorf("%w: cannot parse %s as a boolean (%s)", errInvalid, quoteShort(s), boolWords)
}

// parseDuration parses a session duration: "none" (case-insensitive; never),
// a whole number of seconds ("1200", "+5", surrounding blanks allowed, ASCII
// digits only), or a Go duration that is a whole number of seconds ("20m",
// "1h30m"). Negative values wrap errNegative. Python's int() also accepts
// "1_000" and non-ASCII digits; sessconf does not.
func parseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "none") {
		return Never, nil
	}
	if n, ok, err := parseSeconds(t); ok {
		if err != nil {
			return Duration{}, err
		}
		if n < 0 {
			return Duration{}, fmt.Errorf("%w: %w: %s", errInvalid, errNegative, quoteShort(s))
		}
		if n > math.MaxInt64/int64(time.Second) {
			return Duration{}, fmt.Errorf("%w: %s seconds is out of range", errInvalid, quoteShort(s))
		}
		return Seconds(n), nil
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return Duration{}, fmt.Errorf("%w: cannot parse %s as seconds, a Go duration (e.g. 1200 or 20m) or none%s", errInvalid, quoteShort(s), pythonIntHint(t))
	}
	if d < 0 {
		return Duration{}, fmt.Errorf("%w: %w: %s", errInvalid, errNegative, quoteShort(s))
	}
	if d%time.Second != 0 {
		return Duration{}, fmt.Errorf("%w: %s is not a whole number of seconds", errInvalid, quoteShort(s))
	}
	return Duration{Value: d}, nil
}

// parseTimeout parses a client timeout (time.Duration): seconds, possibly
// fractional like Python's float() ("2.5"), or a Go duration ("500ms").
func parseTimeout(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if n, ok, err := parseSeconds(t); ok {
		if err != nil {
			return 0, err
		}
		if n < 0 {
			return 0, fmt.Errorf("%w: %w: %s", errInvalid, errNegative, quoteShort(s))
		}
		if n > math.MaxInt64/int64(time.Second) {
			return 0, fmt.Errorf("%w: %s seconds is out of range", errInvalid, quoteShort(s))
		}
		return time.Duration(n) * time.Second, nil
	}
	if isDecimal(t) {
		f, err := strconv.ParseFloat(t, 64)
		if err == nil && f >= 0 && f < float64(math.MaxInt64)/float64(time.Second) {
			return time.Duration(f * float64(time.Second)), nil
		}
		if err == nil && f < 0 {
			return 0, fmt.Errorf("%w: %w: %s", errInvalid, errNegative, quoteShort(s))
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("%w: cannot parse %s as seconds or a Go duration (e.g. 2.5 or 500ms)", errInvalid, quoteShort(s))
	}
	if d < 0 {
		return 0, fmt.Errorf("%w: %w: %s", errInvalid, errNegative, quoteShort(s))
	}
	return d, nil
}

// isDecimal reports whether s is [+-]digits.digits (ASCII only).
func isDecimal(s string) bool {
	s = strings.TrimLeft(s, "+-")
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return false
	}
	a, b := s[:dot], s[dot+1:]
	return (a != "" || b != "") && allDigits(a) && allDigits(b)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseSeconds parses an optional sign and ASCII digits. ok is false when t
// does not have that shape at all.
func parseSeconds(t string) (n int64, ok bool, err error) {
	body := t
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body == "" || !allDigits(body) {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, true, fmt.Errorf("%w: %s is out of range", errInvalid, quoteShort(t))
	}
	return n, true, nil
}

// parseInt parses a non-negative integer: optional '+', ASCII digits,
// surrounding blanks allowed.
func parseInt(s string) (int, error) {
	t := strings.TrimSpace(s)
	n, ok, err := parseSeconds(t)
	if !ok {
		return 0, fmt.Errorf("%w: cannot parse %s as an integer%s", errInvalid, quoteShort(s), pythonIntHint(t))
	}
	if err != nil {
		return 0, err
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, fmt.Errorf("%w: %s is out of range (0 to %d)", errInvalid, quoteShort(s), math.MaxInt32)
	}
	return int(n), nil
}

// pythonIntHint explains the inputs Python's int() takes but sessconf refuses.
func pythonIntHint(t string) string {
	if strings.Contains(t, "_") {
		return "; digit separators ('_') are not accepted"
	}
	for _, r := range t {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			return "; only ASCII digits are accepted"
		}
	}
	return ""
}

// parseList splits a value like Pyramid's aslist: on newlines, then on
// white space; empty items are dropped. Commas are not separators.
func parseList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, strings.Fields(line)...)
	}
	return out
}

// quoteShort quotes a (non-secret) value for a message, shortened.
func quoteShort(s string) string {
	const max = 60
	r := []rune(s)
	if len(r) > max {
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}
