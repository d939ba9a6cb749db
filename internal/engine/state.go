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
//
// Members live in one slice; a session has a few dozen keys at most in a
// cookie, where a linear search beats building a map on every request.
// Larger states get an index.
type State struct {
	members []member
	index   map[string]int // key → position in members, once len(members) > indexFrom

	cleared  bool      // Clear was called
	touched  []string  // keys set or deleted since load, each once
	touchBuf [2]string // touched's first backing array
	encLen   int       // len(AppendState(nil, s)) once known; 0 = not computed
	arena    []byte    // spare room SetCopy copies values into
}

type member struct {
	key string
	raw json.RawMessage
}

// indexFrom is the number of keys above which lookups use a map.
const indexFrom = 32

// NewState returns an empty State.
func NewState() *State { return &State{} }

// find returns the position of key, or -1.
func (s *State) find(key string) int {
	if s.index != nil {
		if i, ok := s.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range s.members {
		if s.members[i].key == key {
			return i
		}
	}
	return -1
}

// reindex rebuilds the index after members moved, when there are enough.
func (s *State) reindex() {
	if len(s.members) <= indexFrom {
		s.index = nil
		return
	}
	s.index = make(map[string]int, len(s.members))
	for i, m := range s.members {
		s.index[m.key] = i
	}
}

// put sets key without recording a change: a new key goes last, an
// existing key keeps its place, as in a Python dict.
func (s *State) put(key string, raw json.RawMessage) {
	if i := s.find(key); i >= 0 {
		s.members[i].raw = raw
		return
	}
	s.add(key, raw)
}

// add appends a member whose key is not in s.
func (s *State) add(key string, raw json.RawMessage) {
	s.members = append(s.members, member{key, raw})
	switch {
	case s.index != nil:
		s.index[key] = len(s.members) - 1
	case len(s.members) > indexFrom:
		s.reindex()
	}
}

// Len returns the number of keys.
func (s *State) Len() int { return len(s.members) }

// Keys returns the keys in insertion order.
func (s *State) Keys() []string {
	keys := make([]string, len(s.members))
	for i, m := range s.members {
		keys[i] = m.key
	}
	return keys
}

// Get returns the encoded value of key.
func (s *State) Get(key string) (json.RawMessage, bool) {
	if i := s.find(key); i >= 0 {
		return s.members[i].raw, true
	}
	return nil, false
}

// Set stores an encoded value. A new key goes last; an existing key keeps
// its place, as in a Python dict.
func (s *State) Set(key string, raw json.RawMessage) {
	if s.encLen > 0 {
		s.encLen = s.LenWith(key, raw)
	}
	s.put(key, raw)
	s.touch(key)
}

// SetCopy is Set for a value the caller keeps using: the state stores a
// copy, in its spare room when it has enough.
func (s *State) SetCopy(key string, raw []byte) {
	var v json.RawMessage
	if len(raw) <= cap(s.arena)-len(s.arena) {
		start := len(s.arena)
		s.arena = append(s.arena, raw...)
		v = s.arena[start:len(s.arena):len(s.arena)]
	} else {
		v = append(json.RawMessage(nil), raw...)
	}
	s.Set(key, v)
}

// Delete removes key and reports whether it was there.
func (s *State) Delete(key string) bool {
	i := s.find(key)
	if i < 0 {
		return false
	}
	s.encLen = 0
	s.members = slices.Delete(s.members, i, i+1)
	if s.index != nil {
		s.reindex()
	}
	s.touch(key)
	return true
}

// Clear removes every key.
func (s *State) Clear() {
	clear(s.members)
	s.members = s.members[:0]
	s.index = nil
	s.encLen = 0
	s.cleared = true
	s.touched = nil
}

func (s *State) touch(key string) {
	if slices.Contains(s.touched, key) {
		return
	}
	if s.touched == nil {
		s.touched = s.touchBuf[:0]
	}
	s.touched = append(s.touched, key)
}

// Changes reports what changed since load: whether the state was cleared
// (then the whole state replaces the stored one) and which keys were set
// or deleted afterwards.
func (s *State) Changes() (cleared bool, keys []string) {
	if len(s.touched) > 0 {
		keys = slices.Clone(s.touched)
		slices.Sort(keys)
	}
	return s.cleared, keys
}

// Clone returns a deep copy without change history.
func (s *State) Clone() *State {
	c := &State{members: slices.Clone(s.members)}
	c.reindex()
	return c
}

// EncodedLen is the length of the state as AppendState writes it.
func (s *State) EncodedLen() int {
	if s.encLen == 0 {
		n := 2 // {}
		for i, m := range s.members {
			if i > 0 {
				n += 2 // ", "
			}
			n += memberLen(m.key, m.raw)
		}
		s.encLen = n
	}
	return s.encLen
}

// LenWith is what EncodedLen would be after Set(key, raw).
func (s *State) LenWith(key string, raw json.RawMessage) int {
	n := s.EncodedLen()
	if old, ok := s.Get(key); ok {
		return n - len(old) + len(raw)
	}
	if len(s.members) > 0 {
		n += 2
	}
	return n + memberLen(key, raw)
}

// memberLen is the length of `"key": value` as AppendState writes it.
func memberLen(key string, raw json.RawMessage) int {
	return pyjson.StringLen(key) + 2 + len(raw)
}
