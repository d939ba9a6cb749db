package pyjson

import (
	"math"
	"strconv"
)

// AppendFloat appends Python's repr(f) — which is also what json.dumps
// writes for a float — to dst:
//
//   - the shortest decimal digits that round-trip to f;
//   - positional notation when the decimal exponent e (f = d.ddd × 10^e)
//     satisfies -4 <= e < 16, with ".0" appended to integral values
//     (2.0, 1000000000000000.0, 0.0001, -0.0);
//   - otherwise exponent notation with a sign and at least two exponent
//     digits and no ".0" (1e+16, 1e-05, 1.2345678901234568e+17, 5e-324).
//
// NaN and ±Inf are not valid JSON. AppendFloat writes them the way
// Python's json.dumps does (NaN, Infinity, -Infinity) so that the result
// is at least well defined, but callers producing JSON must reject them
// first; Append and Marshal return an error instead.
func AppendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	var buf [32]byte
	// b is [-]d[.ddd]e±dd[d]: the shortest round-trip digits.
	b := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	m := 0 // index of the first digit
	if b[0] == '-' {
		m = 1
	}
	ei := len(b) - 4 // 'e' sits at len-4 or len-5
	if b[ei] != 'e' {
		ei--
	}
	exp := 0
	for _, c := range b[ei+2:] {
		exp = exp*10 + int(c-'0')
	}
	if b[ei+1] == '-' {
		exp = -exp
	}
	if exp < -4 || exp >= 16 {
		return append(dst, b...)
	}
	if m == 1 {
		dst = append(dst, '-')
	}
	// Collect the significant digits without the '.'.
	var dig [20]byte
	digits := append(dig[:0], b[m])
	if ei > m+1 {
		digits = append(digits, b[m+2:ei]...)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	intLen := exp + 1
	if len(digits) <= intLen {
		dst = append(dst, digits...)
		for i := len(digits); i < intLen; i++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	}
	dst = append(dst, digits[:intLen]...)
	dst = append(dst, '.')
	return append(dst, digits[intLen:]...)
}
