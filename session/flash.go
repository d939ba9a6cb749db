package session

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/sessconf/sessconf/internal/engine"
)

// flashKey is where Pyramid keeps a flash queue.
func flashKey(queue string) string { return "_f_" + queue }

// Flash appends msg to a flash queue ("" is the default queue). With
// allowDuplicate false, a message equal to one already queued (as Python
// compares them: 1 equals 1.0) is not added. It marks the session changed
// either way, as Pyramid does.
func (s *Session) Flash(msg any, queue string, allowDuplicate bool) error {
	key := flashKey(queue)
	raw, err := encode(key, msg)
	if err != nil {
		return fmt.Errorf("session: flash message: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Flash"); err != nil {
		return err
	}
	if allowDuplicate {
		// A write-only request's message is appended in the store.
		if s.begin(); s.rec.Unloaded {
			s.mark()
			engine.AppendPending(s.rec, key, raw)
			return nil
		}
	}
	s.change()
	var list []json.RawMessage
	if old, ok := s.rec.State.Get(key); ok {
		if json.Unmarshal(old, &list) != nil {
			list = nil // not a list: Pyramid would fail; start the queue afresh
		}
	}
	if !allowDuplicate && containsEqual(list, raw) {
		return nil
	}
	return s.set(key, appendList(list, raw))
}

// PopFlash removes and returns a flash queue (empty, never nil, when
// there is none). Messages decode as Get decodes values: a message
// flashed as a string comes back as a string.
func (s *Session) PopFlash(queue string) ([]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("PopFlash"); err != nil {
		return []any{}, err
	}
	s.change()
	key := flashKey(queue)
	raw, ok := s.rec.State.Get(key)
	if !ok {
		return []any{}, nil
	}
	s.rec.State.Delete(key)
	return decodeList(raw), nil
}

// PeekFlash returns a flash queue without removing it.
func (s *Session) PeekFlash(queue string) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	raw, ok := s.rec.State.Get(flashKey(queue))
	if !ok {
		return []any{}
	}
	return decodeList(raw)
}

func decodeList(raw json.RawMessage) []any {
	list, ok := decode(raw).([]any)
	if !ok || list == nil {
		return []any{}
	}
	return list
}

// containsEqual reports whether list holds a value equal to raw.
func containsEqual(list []json.RawMessage, raw json.RawMessage) bool {
	want := decode(raw)
	for _, m := range list {
		if pyEqual(decode(m), want) {
			return true
		}
	}
	return false
}

// pyEqual compares decoded JSON values as Python's == does: numbers by
// value whatever their type (1 == 1.0), objects regardless of key order.
func pyEqual(a, b any) bool {
	if x, ok := toRat(a); ok {
		y, ok := toRat(b)
		return ok && x.Cmp(y) == 0
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !pyEqual(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// toRat converts a decoded number (bool counts, as in Python: True == 1).
func toRat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x), true
	case *big.Int:
		return new(big.Rat).SetInt(x), true
	case float64:
		r := new(big.Rat).SetFloat64(x) // exact, as Python compares int and float
		return r, r != nil
	case bool:
		if x {
			return big.NewRat(1, 1), true
		}
		return new(big.Rat), true
	}
	return nil, false
}

// appendList encodes list+item as a Python-style JSON array, keeping the
// existing elements' bytes.
func appendList(list []json.RawMessage, item json.RawMessage) json.RawMessage {
	out := []byte{'['}
	for _, m := range append(list, item) {
		if len(out) > 1 {
			out = append(out, ", "...)
		}
		out = append(out, m...)
	}
	return append(out, ']')
}
