package settings

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseBool(t *testing.T) {
	for _, s := range []string{"t", "true", "y", "yes", "on", "1", " TRUE ", "True", "oN", "Y"} {
		if b, err := ParseBool(s); err != nil || !b {
			t.Errorf("ParseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"f", "false", "n", "no", "off", "0", " Off", "NO"} {
		if b, err := ParseBool(s); err != nil || b {
			t.Errorf("ParseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"", "2", "enabled", "ture", "true ; comment", "yes please"} {
		if _, err := ParseBool(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseBool(%q) err = %v", s, err)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		err  error
	}{
		{"1200", Seconds(1200), nil},
		{" 60 ", Seconds(60), nil},
		{"+5", Seconds(5), nil},
		{"0", Seconds(0), nil},
		{"20m", Seconds(1200), nil},
		{"1h30m", Seconds(5400), nil},
		{"none", Never, nil},
		{"None", Never, nil},
		{"-1", Duration{}, ErrNegative},
		{"-5m", Duration{}, ErrNegative},
		{"1.5", Duration{}, ErrInvalid},
		{"1500ms", Duration{}, ErrInvalid},
		{"1_000", Duration{}, ErrInvalid},
		{"\u0661\u0662", Duration{}, ErrInvalid},
		{"0x10", Duration{}, ErrInvalid},
		{"", Duration{}, ErrInvalid},
		{"abc", Duration{}, ErrInvalid},
		{"99999999999999999999", Duration{}, ErrInvalid},
		{"9999999999999", Duration{}, ErrInvalid},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseDuration(%q) err = %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{"2.5", 2500 * time.Millisecond, true},
		{".5", 500 * time.Millisecond, true},
		{"500ms", 500 * time.Millisecond, true},
		{"-1", 0, false},
		{"-0.5", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		got, err := parseTimeout(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseTimeout(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestParseInt(t *testing.T) {
	if n, err := ParseInt(" +7 "); err != nil || n != 7 {
		t.Errorf("ParseInt: %d %v", n, err)
	}
	for _, s := range []string{"-1", "1.0", "x", "", "99999999999"} {
		if _, err := ParseInt(s); err == nil {
			t.Errorf("ParseInt(%q) accepted", s)
		}
	}
}

func TestParseList(t *testing.T) {
	tests := map[string][]string{
		"\nexample.com\nexample.org": {"example.com", "example.org"},
		"a b\nc  d":                  {"a", "b", "c", "d"},
		"a,b":                        {"a,b"},
		"":                           nil,
	}
	for in, want := range tests {
		if got := ParseList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseList(%q) = %q", in, got)
		}
	}
}

func TestSuggest(t *testing.T) {
	if s := suggest("timout", optionNames); s != "timeout" {
		t.Errorf("got %q", s)
	}
	if s := suggest("zzzzzz", optionNames); s != "" {
		t.Errorf("got %q", s)
	}
}
