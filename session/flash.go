package session

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// flashKey is where Pyramid keeps a flash queue.
func flashKey(queue string) string { return "_f_" + queue }

// Flash appends msg to a flash queue ("" is the default queue). With
// allowDuplicate false, a message equal to one already queued is not
// added. It marks the session changed either way, as Pyramid does.
func (s *Session) Flash(msg any, queue string, allowDuplicate bool) error {
	key := flashKey(queue)
	raw, err := encode(key, msg)
	if err != nil {
		return fmt.Errorf("session: flash message: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
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
	s.rec.State.Set(key, appendList(list, raw))
	return nil
}

// PopFlash removes and returns a flash queue.
func (s *Session) PopFlash(queue string) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	key := flashKey(queue)
	raw, ok := s.rec.State.Get(key)
	if !ok {
		return []any{}
	}
	s.rec.State.Delete(key)
	return decodeList(raw)
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
	var list []any
	if json.Unmarshal(raw, &list) != nil || list == nil {
		return []any{}
	}
	return list
}

// containsEqual compares decoded values, as Python's == compares them
// (so 1 and 1.0 are equal, and key order does not matter).
func containsEqual(list []json.RawMessage, raw json.RawMessage) bool {
	want := decode(raw)
	for _, m := range list {
		if reflect.DeepEqual(decode(m), want) {
			return true
		}
	}
	return false
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
