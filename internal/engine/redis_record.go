package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sessconf/sessconf/internal/pyjson"
)

// Marker values stored in place of a record (see redis_lua.go).
const (
	tombstoneValue = `{"tombstone": 1}`
	// tombstoneTTL is how long an invalidated session's key keeps its
	// tombstone. Saves are refused on a missing key as well, so this
	// only needs to outlive requests that were in flight at logout.
	tombstoneTTL   = time.Minute
	tombstoneTTLms = "60000"
)

// isRenewed reports whether val is the marker RenewID leaves instead of
// a forward when renew_grace is 0.
func isRenewed(val []byte) bool {
	const pre, suf = `{"renewed": "`, `"}`
	s := string(val)
	return len(s) == len(pre)+keyHashLen+len(suf) && strings.HasPrefix(s, pre) && strings.HasSuffix(s, suf)
}

// forwardOf returns the key hash a forward value points to.
func forwardOf(val []byte) (string, bool) {
	const pre, suf = `{"fwd": "`, `"}`
	s := string(val)
	if len(s) != len(pre)+keyHashLen+len(suf) || !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, suf) {
		return "", false
	}
	return s[len(pre) : len(pre)+keyHashLen], true
}

// appendRecord appends a stored record:
// {"v": N, "created": C, "accessed": A, "data": {...}}.
func appendRecord(dst []byte, version int64, created, accessed float64, st *State) []byte {
	dst = append(dst, `{"v": `...)
	dst = strconv.AppendInt(dst, version, 10)
	dst = append(dst, `, "created": `...)
	dst = pyjson.AppendFloat(dst, created)
	dst = append(dst, `, "accessed": `...)
	dst = pyjson.AppendFloat(dst, accessed)
	dst = append(dst, `, "data": `...)
	dst = AppendState(dst, st)
	return append(dst, '}')
}

// recordPrefix is how a record of version starts: `{"v": N, `.
func recordPrefix(version int64) []byte {
	return append(strconv.AppendInt([]byte(`{"v": `), version, 10), ", "...)
}

// parseRecord reads what appendRecord (or saveScript) wrote.
func parseRecord(val []byte) (version int64, created, accessed float64, st *State, err error) {
	s := string(val)
	field := func(name string) string {
		pre := `"` + name + `": `
		if !strings.HasPrefix(s, pre) {
			err = fmt.Errorf("%w: stored record has no %q", ErrPayload, name)
			return ""
		}
		s = s[len(pre):]
		end := strings.IndexByte(s, ',')
		if end < 0 {
			err = fmt.Errorf("%w: stored record ends after %q", ErrPayload, name)
			return ""
		}
		v := s[:end]
		s = strings.TrimPrefix(s[end:], ", ")
		return v
	}
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record is not an object", ErrPayload)
	}
	s = s[1:]
	vs, cs, as := field("v"), field("created"), field("accessed")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	const dataPre = `"data": `
	if !strings.HasPrefix(s, dataPre) {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record has no data", ErrPayload)
	}
	version, err1 := strconv.ParseInt(vs, 10, 64)
	created, err2 := strconv.ParseFloat(cs, 64)
	accessed, err3 := strconv.ParseFloat(as, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record: %w", ErrPayload, err)
	}
	// State values alias their input: val is this call's own copy
	// (go-redis returns a fresh slice), so no further copy is needed.
	st, err = ParseState(val[len(val)-len(s)+len(dataPre) : len(val)-1])
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return version, created, accessed, st, nil
}
