package engine

import (
	"encoding/json"
	"slices"

	"github.com/sessconf/sessconf/internal/pyjson"
)

// State is session data: keys in insertion order (as a Python dict keeps
// them) mapped to JSON-encoded values. Values stay encoded so that a value
// loaded from a cookie is written back byte for byte, and untouched values
// cost nothing. It also remembers which keys changed, so a server-side
// store can merge concurrent requests. State is not safe for concurrent
// use; the session package locks around it.
type State struct {
	keys []string
	vals map[string]json.RawMessage

	cleared bool                // Clear was called
	touched map[string]struct{} // keys set or deleted since load
	encLen  int                 // len(AppendState(nil, s)) once known; 0 = not computed
}

// NewState returns an empty State.
func NewState() *State { return &State{vals: map[string]json.RawMessage{}} }

// Len returns the number of keys.
func (s *State) Len() int { return len(s.keys) }

// Keys returns the keys in insertion order.
func (s *State) Keys() []string { return append(make([]string, 0, len(s.keys)), s.keys...) }

// Get returns the encoded value of key.
func (s *State) Get(key string) (json.RawMessage, bool) {
	v, ok := s.vals[key]
	return v, ok
}

// Set stores an encoded value. A new key goes last; an existing key keeps
// its place, as in a Python dict.
func (s *State) Set(key string, raw json.RawMessage) {
	if s.encLen > 0 {
		s.encLen = s.LenWith(key, raw)
	}
	if _, ok := s.vals[key]; !ok {
		s.keys = append(s.keys, key)
	}
	s.vals[key] = raw
	s.touch(key)
}

// Delete removes key and reports whether it was there.
func (s *State) Delete(key string) bool {
	if _, ok := s.vals[key]; !ok {
		return false
	}
	s.encLen = 0
	delete(s.vals, key)
	s.keys = slices.DeleteFunc(s.keys, func(k string) bool { return k == key })
	s.touch(key)
	return true
}

// Clear removes every key.
func (s *State) Clear() {
	s.keys = s.keys[:0]
	clear(s.vals)
	s.encLen = 0
	s.cleared = true
	s.touched = nil
}

func (s *State) touch(key string) {
	if s.touched == nil {
		s.touched = map[string]struct{}{}
	}
	s.touched[key] = struct{}{}
}

// Changes reports what changed since load: whether the state was cleared
// (then the whole state replaces the stored one) and which keys were set
// or deleted afterwards.
func (s *State) Changes() (cleared bool, keys []string) {
	for k := range s.touched {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return s.cleared, keys
}

// Clone returns a deep copy without change history.
func (s *State) Clone() *State {
	c := &State{keys: slices.Clone(s.keys), vals: make(map[string]json.RawMessage, len(s.vals))}
	for k, v := range s.vals {
		c.vals[k] = v
	}
	return c
}

// EncodedLen is the length of the state as AppendState writes it.
func (s *State) EncodedLen() int {
	if s.encLen == 0 {
		n := 2 // {}
		for i, k := range s.keys {
			if i > 0 {
				n += 2 // ", "
			}
			n += memberLen(k, s.vals[k])
		}
		s.encLen = n
	}
	return s.encLen
}

// LenWith is what EncodedLen would be after Set(key, raw).
func (s *State) LenWith(key string, raw json.RawMessage) int {
	n := s.EncodedLen()
	if old, ok := s.vals[key]; ok {
		return n - len(old) + len(raw)
	}
	if len(s.keys) > 0 {
		n += 2
	}
	return n + memberLen(key, raw)
}

// memberLen is the length of `"key": value` as AppendState writes it.
func memberLen(key string, raw json.RawMessage) int {
	var buf [64]byte
	return len(pyjson.AppendString(buf[:0], key)) + 2 + len(raw)
}
