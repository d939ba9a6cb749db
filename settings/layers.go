package settings

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
)

// layer is the canonical settings of one source.
type layer struct {
	values  map[string]any // string or []string
	origins map[string]orig
}

func newLayer() *layer { return &layer{values: map[string]any{}, origins: map[string]orig{}} }

// merge layers the sources, lowest first: a later layer's keys replace the
// earlier ones.
func merge(layers []*layer) (map[string]any, map[string]orig) {
	values, origins := map[string]any{}, map[string]orig{}
	for _, ly := range layers {
		maps.Copy(values, ly.values)
		maps.Copy(origins, ly.origins)
	}
	return values, origins
}

// inNamespace reports whether a key belongs to one of the prefixes
// sessconf reads.
func inNamespace(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, prefixSession) || strings.HasPrefix(k, prefixPyNaCl) || strings.HasPrefix(k, prefixRedisSession)
}

// optionNames lists the options (without prefix) for suggestions.
var optionNames = func() []string {
	var out []string
	for _, k := range keyTable {
		out = append(out, k.option())
	}
	return out
}()

// canonical maps a session.* / pynacl.session.* key to its canonical name.
// known is false for unknown options; suggestion is then a did-you-mean.
func canonical(raw string) (name string, known bool, suggestion string) {
	lk := strings.ToLower(strings.TrimSpace(raw))
	opt, ok := strings.CutPrefix(lk, prefixSession)
	if !ok {
		opt, _ = strings.CutPrefix(lk, prefixPyNaCl)
	}
	if _, ok := keyIndex[prefixSession+opt]; ok {
		return prefixSession + opt, true, ""
	}
	norm := strings.ReplaceAll(opt, "-", "_")
	if _, ok := keyIndex[prefixSession+norm]; ok && norm != opt {
		return "", false, prefixSession + norm
	}
	flat := strings.ReplaceAll(norm, ".", "_")
	if _, ok := keyIndex[prefixSession+flat]; ok && flat != opt {
		return "", false, prefixSession + flat
	}
	if s := suggest(opt, optionNames); s != "" {
		return "", false, prefixSession + s
	}
	return "", false, ""
}

// canonicalLayer turns the raw entries of one source into canonical keys,
// reporting unknown keys, case problems and prefix conflicts.
func (l *loader) canonicalLayer(es []entry, dialect conf.Dialect) *layer {
	ly := newLayer()
	var redis []entry
	for _, e := range es {
		if isRedisDialectKey(e.raw) {
			if dialect == conf.DialectRedisSessions {
				redis = append(redis, e)
			} else {
				l.add(codeIgnoredOption.diag(e.raw, e.origin, "ignored: session.* keys are present, so the pyramid_redis_sessions dialect (redis.sessions.*) is not read"))
			}
			continue
		}
		if strings.EqualFold(e.raw, "session") {
			l.add(codeUnknownKey.diag(e.raw, e.origin, "\"session\" must be a map of options (session.secret, …); ignored"))
			continue
		}
		if !inNamespace(e.raw) {
			continue
		}
		if dialect == conf.DialectRedisSessions {
			l.add(codeIgnoredOption.diag(e.raw, e.origin, "ignored: the pyramid_redis_sessions dialect (redis.sessions.*) is read"))
			continue
		}
		l.addCanonical(ly, e)
	}
	if len(redis) > 0 {
		l.redisDialect(ly, redis)
	}
	return ly
}

// addCanonical adds a session.* / pynacl.session.* entry to a layer.
func (l *loader) addCanonical(ly *layer, e entry) {
	lk := strings.ToLower(strings.TrimSpace(e.raw))
	opt, ok := strings.CutPrefix(lk, prefixSession)
	if !ok {
		opt, _ = strings.CutPrefix(lk, prefixPyNaCl)
	}
	if _, known := keyIndex[prefixSession+opt]; !known {
		if l.full(codeUnknownKey) {
			return // counted; the suggestion is not worth computing
		}
		_, _, sug := canonical(e.raw)
		d := codeUnknownKey.diag(e.raw, e.origin, "unknown setting; ignored")
		if strings.HasPrefix(lk, prefixPyNaCl) && sug != "" {
			sug = prefixPyNaCl + strings.TrimPrefix(sug, prefixSession)
		}
		d.Suggestion = sug
		l.add(d)
		return
	}
	name := prefixSession + opt
	origin := e.origin
	if e.raw != name {
		origin.rawKey = e.raw
	}
	if strings.ToLower(e.raw) != e.raw {
		d := codeKeyCase.diag(e.raw, origin, fmt.Sprintf("key is not lower-case; sessconf reads it, but Python code reading settings[%q] (case-sensitive) would miss it", strings.ToLower(e.raw)))
		d.Suggestion = strings.ToLower(e.raw)
		l.add(d)
	}
	if prev, ok := ly.origins[name]; ok {
		if !sameValue(ly.values[name], e.value) {
			l.add(codeAliasConflict.diag(e.raw, origin, fmt.Sprintf("conflicts with %s (%s): set the option once", displayKey(name, prev), prev)))
		}
		return
	}
	ly.values[name] = e.value
	ly.origins[name] = origin
}

func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return as == bs
	}
	al, aok := a.([]string)
	bl, bok := b.([]string)
	return aok && bok && slices.Equal(al, bl)
}

// overrideLayer parses WithOverrides pairs.
func (l *loader) overrideLayer() *layer {
	ly := newLayer()
	for i, p := range l.Overrides {
		k, val, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		origin := orig{kind: fromOverride}
		if !ok || k == "" || strings.ContainsAny(k, ": \t") {
			// The text may be "key:secret" (or "key:secret=…"): never quote it.
			l.add(codeSyntax.diag("", origin, fmt.Sprintf("override %d is not key=value (its text is not shown: it may hold a secret)", i+1)))
			continue
		}
		if !inNamespace(k) {
			if _, known := keyIndex[prefixSession+strings.ToLower(k)]; known || !strings.Contains(k, ".") {
				k = prefixSession + k
			}
		}
		if isRedisDialectKey(k) {
			l.add(codeUnknownKey.diag(k, origin, "overrides use session.* keys; ignored"))
			continue
		}
		name, known, sug := canonical(k)
		if !known {
			d := codeUnknownKey.diag(k, origin, "unknown setting; ignored")
			d.Suggestion = sug
			l.add(d)
			continue
		}
		ly.values[name] = val
		if k != name {
			origin.rawKey = k
		}
		ly.origins[name] = origin
	}
	return ly
}
