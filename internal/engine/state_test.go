package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestStateOperations checks Set/Get/Delete/Keys/Changes/Clone against a
// plain model, below and above the size where lookups switch to an index.
func TestStateOperations(t *testing.T) {
	for _, n := range []int{3, indexFrom, indexFrom + 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			st := NewState()
			var keys []string
			for i := range n {
				k := fmt.Sprintf("k%02d", i)
				st.Set(k, json.RawMessage(fmt.Sprint(i)))
				keys = append(keys, k)
			}
			st.Set("k01", json.RawMessage(`"again"`)) // keeps its place
			if got := st.Keys(); !slices.Equal(got, keys) {
				t.Fatalf("keys %q, want %q", got, keys)
			}
			if v, ok := st.Get("k01"); !ok || string(v) != `"again"` {
				t.Fatalf("k01 = %s, %v", v, ok)
			}
			if !st.Delete("k00") || st.Delete("k00") {
				t.Fatal("Delete k00: want true once")
			}
			keys = keys[1:]
			for i, k := range keys {
				if v, ok := st.Get(k); !ok || (k != "k01" && string(v) != fmt.Sprint(i+1)) {
					t.Fatalf("after delete, %s = %s, %v", k, v, ok)
				}
			}
			if _, ok := st.Get("k00"); ok {
				t.Fatal("deleted key still found")
			}
			if st.Len() != len(keys) || st.EncodedLen() != len(AppendState(nil, st)) {
				t.Fatalf("Len %d, EncodedLen %d, encoded %d", st.Len(), st.EncodedLen(), len(AppendState(nil, st)))
			}
			cleared, changed := st.Changes()
			if cleared || len(changed) != n || changed[0] != "k00" {
				t.Fatalf("changes %v %q", cleared, changed)
			}
			c := st.Clone()
			c.Set("new", json.RawMessage(`1`))
			if _, ok := st.Get("new"); ok {
				t.Fatal("Clone shares members")
			}
			if _, changed := c.Changes(); !slices.Equal(changed, []string{"new"}) {
				t.Fatalf("clone changes %q", changed)
			}
			st.Clear()
			if cleared, changed := st.Changes(); !cleared || changed != nil || st.Len() != 0 {
				t.Fatalf("after Clear: %v %q %d", cleared, changed, st.Len())
			}
		})
	}
}

// TestParseStateDuplicates: a repeated key keeps its first place and its
// last value, as a Python dict does, also above the index size.
func TestParseStateDuplicates(t *testing.T) {
	in := `{"a": 1, "b": 2, "a": 3`
	for i := range indexFrom + 2 {
		in += fmt.Sprintf(`, "x%d": %d`, i, i)
	}
	in += `, "b": 4}`
	st, err := ParseState([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if k := st.Keys(); k[0] != "a" || k[1] != "b" || len(k) != indexFrom+4 {
		t.Fatalf("keys %q", k)
	}
	for k, want := range map[string]string{"a": "3", "b": "4", "x0": "0"} {
		if v, _ := st.Get(k); string(v) != want {
			t.Errorf("%s = %s, want %s", k, v, want)
		}
	}
}

// TestSetCopyRoom: values copied into a loaded cookie session's spare room
// (and beyond it) keep their bytes, leave the payload's values intact and
// never alias the caller's buffer.
func TestSetCopyRoom(t *testing.T) {
	payload := []byte(benchPayload)
	c := newCookieRecord(time.Unix(1_764_115_200, 0), len(payload))
	n := copy(c.room, payload)
	c.reset(n)
	if _, _, err := parsePayloadInto(c.room[:n:n], &c.st); err != nil {
		t.Fatal(err)
	}
	before := string(AppendState(nil, &c.st))
	want := map[string]string{}
	buf := make([]byte, 0, 64)
	for i := range 20 { // 20 × ~20 bytes: past the spare room
		k := fmt.Sprintf("new%02d", i)
		buf = append(buf[:0], fmt.Sprintf(`"value number %02d"`, i)...)
		c.st.SetCopy(k, buf)
		want[k] = string(buf)
		buf[1] = 'X' // the caller reuses its buffer
	}
	for k, v := range want {
		if got, _ := c.st.Get(k); string(got) != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	after := string(AppendState(nil, &c.st))
	if !strings.HasPrefix(after, before[:len(before)-1]) {
		t.Fatalf("loaded values changed:\n%s\n%s", before, after)
	}
	if _, err := ParseState([]byte(after)); err != nil {
		t.Fatal(err)
	}
}
