package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
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
	return len(val) == len(pre)+keyHashLen+len(suf) && bytes.HasPrefix(val, []byte(pre)) && bytes.HasSuffix(val, []byte(suf))
}

// forwardOf returns the key hash a forward value points to.
func forwardOf(val []byte) (string, bool) {
	const pre, suf = `{"fwd": "`, `"}`
	if len(val) != len(pre)+keyHashLen+len(suf) || !bytes.HasPrefix(val, []byte(pre)) || !bytes.HasSuffix(val, []byte(suf)) {
		return "", false
	}
	return string(val[len(pre) : len(pre)+keyHashLen]), true
}

// recordOverhead bounds what appendRecord writes around the state.
const recordOverhead = len(`{"v": , "created": , "accessed": , "data": }`) + 20 + 2*32

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

// parseRecord reads what appendRecord (or saveScript) wrote. The State's
// values alias val, which must be the caller's own copy (go-redis returns
// a fresh slice).
func parseRecord(val []byte) (version int64, created, accessed float64, st *State, err error) {
	rest := val
	field := func(name string) []byte {
		pre := `"` + name + `": `
		if !bytes.HasPrefix(rest, []byte(pre)) {
			err = fmt.Errorf("%w: stored record has no %q", ErrPayload, name)
			return nil
		}
		rest = rest[len(pre):]
		end := bytes.IndexByte(rest, ',')
		if end < 0 {
			err = fmt.Errorf("%w: stored record ends after %q", ErrPayload, name)
			return nil
		}
		v := rest[:end]
		rest = bytes.TrimPrefix(rest[end:], []byte(", "))
		return v
	}
	if len(val) < 2 || val[0] != '{' || val[len(val)-1] != '}' {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record is not an object", ErrPayload)
	}
	rest = val[1:]
	vs, cs, as := field("v"), field("created"), field("accessed")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	const dataPre = `"data": `
	if !bytes.HasPrefix(rest, []byte(dataPre)) {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record has no data", ErrPayload)
	}
	version, err1 := strconv.ParseInt(string(vs), 10, 64)
	created, err2 := strconv.ParseFloat(string(cs), 64)
	accessed, err3 := strconv.ParseFloat(string(as), 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: stored record: %w", ErrPayload, err)
	}
	st, err = ParseState(rest[len(dataPre) : len(rest)-1])
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return version, created, accessed, st, nil
}
