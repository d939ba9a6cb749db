package settings

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseBool(t *testing.T) {
	for _, s := range []string{"t", "true", "y", "yes", "on", "1", " TRUE ", "True", "oN", "Y"} {
		if b, err := parseBool(s); err != nil || !b {
			t.Errorf("parseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"f", "false", "n", "no", "off", "0", " Off", "NO"} {
		if b, err := parseBool(s); err != nil || b {
			t.Errorf("parseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"", "2", "enabled", "ture", "true ; comment", "yes please"} {
		if _, err := parseBool(s); !errors.Is(err, errInvalid) {
			t.Errorf("parseBool(%q) err = %v", s, err)
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
		{"-1", Duration{}, errNegative},
		{"-5m", Duration{}, errNegative},
		{"1.5", Duration{}, errInvalid},
		{"1500ms", Duration{}, errInvalid},
		{"1_000", Duration{}, errInvalid},
		{"\u0661\u0662", Duration{}, errInvalid},
		{"0x10", Duration{}, errInvalid},
		{"", Duration{}, errInvalid},
		{"abc", Duration{}, errInvalid},
		{"99999999999999999999", Duration{}, errInvalid},
		{"9999999999999", Duration{}, errInvalid},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !errors.Is(err, errInvalid) {
				t.Errorf("parseDuration(%q) err = %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
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
	if n, err := parseInt(" +7 "); err != nil || n != 7 {
		t.Errorf("parseInt: %d %v", n, err)
	}
	for _, s := range []string{"-1", "1.0", "x", "", "99999999999"} {
		if _, err := parseInt(s); err == nil {
			t.Errorf("parseInt(%q) accepted", s)
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
		if got := parseList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("parseList(%q) = %q", in, got)
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
