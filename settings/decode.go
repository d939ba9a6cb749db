package settings

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// decodeInto decodes every configured value into o. A value that fails is
// reported at its origin, marks its key bad, and leaves the default.
func (l *loader) decodeInto(o *Options, values map[string]any, origins map[string]orig) {
	// socket_timeout first so that explicit read/write timeouts win.
	order := slices.Clone(keyTable)
	slices.SortStableFunc(order, func(a, b keyDef) int {
		as, bs := a.Name == "session.redis.socket_timeout", b.Name == "session.redis.socket_timeout"
		switch {
		case as && !bs:
			return -1
		case bs && !as:
			return 1
		}
		return 0
	})
	for _, k := range order {
		origin, set := origins[k.Name]
		if !set {
			continue
		}
		val, d := decode(k, values[k.Name])
		if d != nil {
			d.setOrigin(origin)
			d.Key = displayKey(k.Name, origin)
			l.add(*d)
			l.bad[k.Name] = true
			continue
		}
		k.set(o, val)
	}
}

// decode turns a raw value (string or []string) into the key's Go value.
func decode(k keyDef, raw any) (any, *Diagnostic) {
	name := k.Name
	fail := func(c Code, err error) (any, *Diagnostic) {
		d := c.diag(name, orig{}, strings.TrimPrefix(err.Error(), errInvalid.Error()+": "))
		return nil, &d
	}
	if k.Kind == kindList {
		switch x := raw.(type) {
		case []string:
			var out []string
			for _, e := range x {
				out = append(out, parseList(e)...)
			}
			return out, nil
		case string:
			return parseList(x), nil
		}
		return []string(nil), nil
	}
	s, ok := raw.(string)
	if !ok {
		d := codeInvalidValue.diag(name, orig{}, fmt.Sprintf("expected a single %s value, got a list", k.Kind))
		return nil, &d
	}
	switch k.Kind {
	case kindBool:
		b, err := parseBool(s)
		if err != nil {
			return fail(codeInvalidValue, err)
		}
		return b, nil
	case kindDuration:
		dur, err := parseDuration(s)
		if err != nil {
			if errors.Is(err, errNegative) {
				return fail(codeNegativeDuration, fmt.Errorf("negative duration %s (use 0, a positive number of seconds, or none)", quoteShort(s)))
			}
			return fail(codeInvalidValue, err)
		}
		return dur, nil
	case kindTimeout:
		dur, err := parseTimeout(s)
		if err != nil {
			if errors.Is(err, errNegative) {
				return fail(codeNegativeDuration, fmt.Errorf("negative duration %s", quoteShort(s)))
			}
			return fail(codeInvalidValue, err)
		}
		return dur, nil
	case kindInt:
		n, err := parseInt(s)
		if err != nil {
			return fail(codeInvalidValue, err)
		}
		return n, nil
	}
	switch name {
	case "session.secret", "session.redis.url", "session.redis.password", "session.serializer":
		return strings.TrimSpace(s), nil
	case "session.samesite":
		if strings.TrimSpace(s) == "" {
			d := codeSameSiteInvalid.diag(name, orig{}, "empty samesite (use Strict, Lax or None)")
			return nil, &d
		}
	}
	if k.norm != nil {
		if n, ok := k.norm(s); ok {
			return n, nil
		}
		return strings.TrimSpace(s), nil
	}
	return s, nil
}
