package main

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/settings"
)

// setting is one line of --show.
type setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
}

// effective lists the effective settings with secrets masked.
func effective(rep *conf.Report) []setting {
	var out []setting
	for _, s := range rep.Settings {
		val := s.Value
		switch {
		case s.Invalid:
			val = "<invalid>"
		case s.Secret:
			val = mask(s.Key, val)
		}
		out = append(out, setting{Key: s.Key, Value: val, Origin: s.Origin})
	}
	return out
}

// mask hides a secret value: its length only, or a URL with the password
// redacted.
func mask(key, v string) string {
	if v == "" {
		return "<unset>"
	}
	if key == "session.redis.url" {
		if u, err := url.Parse(v); err == nil {
			return u.Redacted()
		}
	}
	if key == "session.secret_fallbacks" {
		return fmt.Sprintf("<%d secret(s), masked>", len(strings.Fields(v)))
	}
	return fmt.Sprintf("<%d chars, masked>", len([]rune(v)))
}

// reference is the key table and codes with default values and prefix.
func reference(prefix ...string) *conf.Report {
	var rep conf.Report
	opts := []settings.LoadOption{settings.WithoutEnv(), conf.WithReport(&rep)}
	if len(prefix) > 0 && prefix[0] != "" {
		opts = append(opts, settings.WithEnvPrefix(prefix[0]))
	}
	_, _ = settings.Load(nil, opts...)
	return &rep
}

func envHelp(w io.Writer, prefix string) {
	rep := reference(prefix)
	fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", "SETTING", "ENVIRONMENT VARIABLE", "TYPE", "DEFAULT")
	for _, s := range rep.Settings {
		def := s.Default
		if s.Secret && def != "" {
			def = "<masked>"
		}
		fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", s.Key, s.Env, s.Kind, def)
	}
	fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", "session.secret (from a file)", rep.SecretFileEnv, "path", "")
}
