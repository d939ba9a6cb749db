package settings

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
)

// envLayer reads the environment: one variable per key, plus
// <PREFIX_>SESSION_SECRET_FILE, which names a file holding the secret.
func (l *loader) envLayer() (env, secretFile *layer) {
	env, secretFile = newLayer(), newLayer()
	if l.NoEnv {
		return env, secretFile
	}
	known := map[string]bool{}
	var names []string
	for _, k := range keyTable {
		n := envName(l.EnvPrefix, k.Name)
		known[n] = true
		names = append(names, n)
		if v, ok := l.Lookup(n); ok && v != "" {
			env.values[k.Name] = v
			env.origins[k.Name] = orig{kind: fromEnv, env: n}
		}
	}
	secretEnv := envName(l.EnvPrefix, "session.secret")
	fileEnv := secretEnv + "_FILE"
	known[fileEnv] = true
	names = append(names, fileEnv)
	if path, ok := l.Lookup(fileEnv); ok && path != "" {
		l.readSecretFile(env, secretFile, secretEnv, fileEnv, path)
	}
	l.unknownEnv(known, names)
	return env, secretFile
}

// readSecretFile reads the file named by SESSION_SECRET_FILE: a regular
// file of at most 64 KiB.
func (l *loader) readSecretFile(env, secretFile *layer, secretEnv, fileEnv, path string) {
	origin := orig{kind: fromEnv, env: fileEnv}
	if _, both := env.values["session.secret"]; both {
		l.bad["session.secret"] = true
		l.add(codeEnvConflict.diag("session.secret", origin, fmt.Sprintf("both %s and %s are set; set only one", secretEnv, fileEnv)))
		return
	}
	data, fi, err := conf.ReadRegularInfo(path, conf.MaxSecretFileSize)
	if err == nil {
		l.noteMode(path, fi)
		l.secretFile = path
	}
	switch s := strings.TrimSpace(string(data)); {
	case err != nil:
		l.bad["session.secret"] = true
		msg := fmt.Sprintf("cannot read the secret file %s: %v", path, unwrapPathErr(err))
		if errors.Is(err, conf.ErrLimit) {
			msg = "cannot use the secret file: " + err.Error() // names the path
		}
		l.add(codeEnvFile.diag("session.secret", origin, msg))
	case s == "":
		l.bad["session.secret"] = true
		l.add(codeEnvFile.diag("session.secret", origin, fmt.Sprintf("the secret file %s is empty", path)))
	default:
		secretFile.values["session.secret"] = s
		secretFile.origins["session.secret"] = origin
	}
}

// serviceLink matches the variables Kubernetes injects for a Service named
// NAME: NAME_SERVICE_HOST, NAME_SERVICE_PORT[_PORTNAME], NAME_PORT and
// NAME_PORT_<n>_<PROTO>[_PROTO|_PORT|_ADDR].
var serviceLink = regexp.MustCompile(`^[A-Z0-9_]+?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)$`)

// isServiceLink reports a Kubernetes service-link variable. A bare NAME_PORT
// must also hold a proto://addr:port value.
func isServiceLink(name, value string) bool {
	m := serviceLink.FindStringSubmatch(name)
	if m == nil {
		return false
	}
	if m[1] == "PORT" {
		for _, p := range []string{"tcp://", "udp://", "sctp://"} {
			if strings.HasPrefix(value, p) {
				return true
			}
		}
		return false
	}
	return true
}

// unknownEnv warns about variables that look like settings but are not,
// and notes (once) the Kubernetes service links it ignores.
func (l *loader) unknownEnv(known map[string]bool, names []string) {
	pfx := envName(l.EnvPrefix, "session") + "_"
	var links []string
	for _, kv := range l.Environ {
		n, v, _ := strings.Cut(kv, "=")
		if known[n] || !strings.HasPrefix(strings.ToUpper(n), pfx) {
			continue
		}
		if isServiceLink(n, v) {
			links = append(links, n)
			continue
		}
		if l.full(codeUnknownEnv) {
			continue
		}
		d := codeUnknownEnv.diag("", orig{kind: fromEnv, env: n}, "environment variable does not match any setting; ignored")
		d.Suggestion = suggest(strings.ToUpper(n), names)
		l.add(d)
	}
	if len(links) > 0 {
		slices.Sort(links)
		shown := links[:min(len(links), 3)]
		more := ""
		if len(links) > len(shown) {
			more = fmt.Sprintf(", … (%d in all)", len(links))
		}
		l.add(codeServiceLinks.diag("", orig{kind: fromEnv}, fmt.Sprintf("ignored %d Kubernetes service-link variable(s): %s%s", len(links), strings.Join(shown, ", "), more)))
	}
}
