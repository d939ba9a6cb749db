package settings

import (
	"fmt"
	"strings"
)

// The Pyramid side of a shared INI file. pyramid_nacl_session's
// session_factory_from_settings passes every session.* and
// pynacl.session.* option (case-sensitive prefixes) to
// EncryptedCookieSessionFactory as a keyword argument: an option it does
// not know is a TypeError at start-up; max_age, timeout and reissue_time go
// through int(); the secret through binascii.unhexlify, unstripped; a
// missing serializer means pickle; a missing httponly means no HttpOnly
// attribute. Pyramid's SignedCookieSessionFactory reads no settings itself,
// but the application code that feeds it the same keys sees the same raw
// strings.

// checkPyramid reports, for every INI file read, what a Pyramid application
// reading it would read differently (WithPyramid), or, without the mode,
// only the serializer of a Paste Deploy application file.
func (l *loader) checkPyramid(o Options) {
	switch o.Type {
	case TypeSigned:
	case TypeRedis:
		if !l.Pyramid {
			return // pyramid_redis_sessions reads redis.sessions.*, checked by its dialect
		}
		// Declared shared: the Python reader of session.* is pyramid_nacl_session.
		o.Type = TypeEncrypted
	default:
		o.Type = TypeEncrypted // an invalid type is already an error; judge the default
	}
	for _, f := range l.pyramid {
		keys := pythonKeys(f)
		if len(keys) == 0 {
			continue // the Python side is not configured from this file
		}
		if l.Pyramid {
			l.pyramidFile(f, keys, o)
		} else if f.paste && keys["serializer"] == nil {
			l.add(codePythonDivergence.diag("session.serializer", fileOrigin(f.name, f.section.line),
				"no session.serializer in this Paste Deploy application: pyramid_nacl_session would use pickle while sessconf uses JSON, so the two cannot read each other's cookies; add session.serializer = json (checkconf --pyramid checks the whole file)"))
		}
	}
}

// pythonKeys maps the options Python reads from the file's app section
// (without prefix) to their lines; the last one wins, as in Python.
func pythonKeys(f *iniFacts) map[string]*iniKey {
	keys := map[string]*iniKey{}
	for _, k := range f.section.keys {
		if opt, ok := pythonOption(k.name); ok {
			keys[opt] = k
		}
	}
	return keys
}

// pythonOption is the option name Python takes from a key, with its
// case-sensitive prefixes.
func pythonOption(key string) (string, bool) {
	for _, p := range []string{prefixSession, prefixPyNaCl} {
		if opt, ok := strings.CutPrefix(key, p); ok {
			return opt, true
		}
	}
	return "", false
}

// pyramidFile checks one file in Pyramid mode.
func (l *loader) pyramidFile(f *iniFacts, keys map[string]*iniKey, o Options) {
	header := fileOrigin(f.name, f.section.line)
	for _, k := range f.section.keys {
		opt, ok := pythonOption(k.name)
		if !ok {
			continue
		}
		origin := fileOrigin(f.name, k.line)
		warn := func(format string, args ...any) {
			l.add(codePythonDivergence.diag(k.name, origin, fmt.Sprintf(format, args...)))
		}
		key, known := keyIndex[prefixSession+opt]
		if o.Type == TypeEncrypted && (!known || !keyTable[key].Python) {
			warn("pyramid_nacl_session passes every session.* option to EncryptedCookieSessionFactory, so %q makes the Python application fail at start-up (TypeError: unexpected keyword argument); keep sessconf-only options out of the file Python reads (environment, overrides or a YAML file)", opt)
			continue
		}
		v := k.value()
		switch opt {
		case "max_age", "timeout", "reissue_time":
			if !pythonInt(v) {
				warn("Python reads %s with int(): %s makes the Python application fail at start-up (ValueError); use whole seconds (Python cannot express none here)", opt, quoteShort(strings.TrimSpace(v)))
			}
		case "secret":
			if k.continued {
				if o.Type == TypeEncrypted {
					warn("the secret is on an indented continuation line: Python reads it with a leading newline and binascii.unhexlify fails (\"Odd-length string\"); put it on the key's line")
				} else {
					warn("the secret is on an indented continuation line: Python reads it with a leading newline, so its HMAC key differs from sessconf's; put it on the key's line")
				}
			}
		}
	}
	if keys["httponly"] == nil {
		l.add(codePythonDivergence.diag("session.httponly", header,
			"no session.httponly line: sessconf sends HttpOnly by default, Pyramid does not; write session.httponly = true so both send it"))
	}
	if keys["serializer"] == nil {
		msg := "no session.serializer = json: pyramid_nacl_session would use pickle while sessconf uses JSON, so every request crossing between the applications loses the session; add session.serializer = json"
		if o.Type == TypeSigned {
			msg = "no session.serializer = json: a Pyramid application configured from this file may use pickle (Pyramid 1.x's default) while sessconf uses JSON; add session.serializer = json and pass JSONSerializer()"
		}
		l.add(codeSerializerMissing.diag("session.serializer", header, msg))
	}
}

// pythonInt reports whether Python's int() accepts s: optional sign, ASCII
// digits (sessconf accepts no more than that), surrounding blanks.
func pythonInt(s string) bool {
	t := strings.TrimSpace(s)
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	if t == "" {
		return false
	}
	for _, part := range strings.Split(t, "_") {
		if part == "" || !allDigits(part) {
			return false
		}
	}
	return true
}
