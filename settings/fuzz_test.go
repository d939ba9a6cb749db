package settings

import (
	"github.com/sessconf/sessconf/internal/conf"
	"strings"
	"testing"
)

// checkPositions: every error coming from a file carries that file and a
// line (except whole-file findings: a missing secret or section).
func checkPositions(t *testing.T, name string, res *Result) {
	t.Helper()
	for _, d := range res.Diagnostics.filter(SeverityError) {
		switch d.Code {
		case codeSecretMissing, codeSectionMissing:
			if d.Pos.File != name {
				t.Fatalf("no file: %v", d)
			}
			continue
		}
		if d.Source == fromDefault || d.Source == fromOptions {
			// A semantic check on a default value cannot fail on its own,
			// only together with a value from the file.
			if d.Code == codeSameSiteInsecure || d.Code == codeSecretInvalid {
				continue
			}
		}
		if d.Pos.File != name || d.Pos.Line < 1 {
			t.Fatalf("unpositioned error from a file: %v (%+v)", d, d)
		}
	}
}

func FuzzLoadINI(f *testing.F) {
	for _, s := range []string{
		"[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\n",
		"[DEFAULT]\nx = 1\n[app:main]\nsession.path = %(x)s%%\nsession.timeout = 20m\n",
		"[app:main]\nsession.secret =\n    " + testHex + "\n  # c\nsession.redis.addrs =\n a:1\n\n b:2\n",
		"[session]\nsecret = x\n[session]\n",
		"[app:main]\nget session.secret = x\nset y = %(z)s\n",
		"[app: main]\nredis.sessions.secret = s\nredis.sessions.port = x\nredis.sessions.prefix = p\nredis.sessions.id_generator = g\n",
		"x\n[",
		"[app:main]\nsession.secret = \"\"\"\nmulti\n\"\"\"\n",
		"[app:main]\n`session.secret` = x\n",
		"\xef\xbb\xbf[app:main]\r\nsession.samesite = none\r\n",
		interpolationBomb(4),
		interpolationBomb(9),
		"[DEFAULT]\na = %(b)s\nb = %(a)s\n[app:main]\nsession.path = %(a)s\n",
		"[app:main]\nsession.redis.addrs =\n" + strings.Repeat("    h:1\n\n", 2000),
		"[app:main]\nsession.secret =\n    " + testHex + "\nsession.serializer = json\nuse = egg:app\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		src := conf.Source{Name: "fuzz.ini", Format: "ini", Data: []byte(data), Here: "/here"}
		res, err := Load(src, WithoutEnv())
		if (err != nil) != (res.Diagnostics.Err() != nil) {
			t.Fatalf("err %v vs diagnostics %v", err, res.Diagnostics)
		}
		checkPositions(t, "fuzz.ini", res)
	})
}

func FuzzLoadYAML(f *testing.F) {
	for _, s := range []string{
		"session:\n  secret: '" + testHex + "'\n  timeout: 1200\n",
		"session.secret: x\nsession:\n  secret: y\n",
		"a: &a {secure: true}\nsession:\n  <<: *a\n",
		"session:\n  redis:\n    addrs: [a:1, [b]]\n",
		"- list\n",
		"session: {secret: ~, timeout: -5, samesite: None}\n",
		"redis:\n  sessions:\n    secret: s\n    foo.timeout: 5\n",
		"{",
		"",
		aliasBomb(3),
		aliasBomb(9),
		"a: &a [x, y]\nsession:\n  redis:\n    addrs: *a\n    static_extensions: [*a]\n",
		"a: &a\n  b: *a\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		src := conf.Source{Name: "fuzz.yaml", Format: "yaml", Data: []byte(data)}
		res, err := Load(src, WithoutEnv())
		if (err != nil) != (res.Diagnostics.Err() != nil) {
			t.Fatalf("err %v vs diagnostics %v", err, res.Diagnostics)
		}
		checkPositions(t, "fuzz.yaml", res)
	})
}

func FuzzParseBool(f *testing.F) {
	for _, s := range []string{"true", " YES ", "0", "", "enabled", "\u0130"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseBool(s)
		w := strings.ToLower(strings.TrimSpace(s))
		inT, inF := false, false
		for _, x := range truthy {
			inT = inT || x == w
		}
		for _, x := range falsey {
			inF = inF || x == w
		}
		switch {
		case inT && (err != nil || !b), inF && (err != nil || b), !inT && !inF && err == nil:
			t.Fatalf("parseBool(%q) = %v, %v", s, b, err)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"1200", "20m", "none", "-1", "1_000", "1.5", "+5", "9223372036854775807", "1h0m0.000000001s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err != nil {
			return
		}
		if !d.None && (d.Value < 0 || d.Value%1e9 != 0) {
			t.Fatalf("parseDuration(%q) = %v", s, d)
		}
		// Round trip through the settings form.
		d2, err := parseDuration(d.String())
		if err != nil || d2 != d {
			t.Fatalf("round trip %q -> %q -> %v, %v", s, d.String(), d2, err)
		}
	})
}

func FuzzLoadSettings(f *testing.F) {
	f.Add("session.secret", testHex, "session.timeout", "20m")
	f.Add("pynacl.session.secure", "yes", "session.secure", "no")
	f.Add("redis.sessions.a.b.port", "x", "redis.sessions.host", "h")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		res, err := Load(map[string]string{k1: v1, k2: v2}, WithoutEnv())
		if (err != nil) != (res.Diagnostics.Err() != nil) {
			t.Fatal("err/diagnostics mismatch")
		}
		for _, d := range res.Diagnostics {
			for _, v := range []string{v1, v2} {
				if len(strings.TrimSpace(v)) >= 16 && strings.Contains(strings.ToLower(k1+k2), "secret") && strings.Contains(d.Message, strings.TrimSpace(v)) && d.Key == "session.secret" {
					t.Fatalf("secret in message: %v", d)
				}
			}
		}
	})
}
