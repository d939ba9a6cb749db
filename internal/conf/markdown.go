package conf

import (
	"fmt"
	"strings"
)

// Markdown renders the reference of every setting (key, environment
// variable, type, default, description) and every diagnostic code from a
// Report of a load without configuration. settings/OPTIONS.md and the
// README's options table are generated from it.
func Markdown(r *Report) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from the settings key table; do not edit.\n     Regenerate: go test ./settings -run TestOptionsDoc -update -->\n\n")
	b.WriteString("# sessconf settings\n\n")
	b.WriteString("Keys are read from the `[app:main]` section of a Paste Deploy INI file (or a `[session]` section with bare keys),\n")
	b.WriteString("from YAML (`session:` map or flat `session.*` keys), from a settings map, from the environment and from overrides.\n")
	b.WriteString("Precedence: defaults < files (in order) < environment < overrides.\n")
	b.WriteString("Options marked *py* are also read by pyramid_nacl_session, under `session.` and `pynacl.session.`.\n\n")
	b.WriteString("Booleans: `t true y yes on 1` / `f false n no off 0` (case-insensitive); anything else is an error.\n")
	b.WriteString("Durations: whole seconds (`1200`), a Go duration (`20m`) or `none`; YAML integers are seconds; negative values are errors.\n")
	b.WriteString("Timeouts (redis client): seconds, possibly fractional (`2.5`), or a Go duration (`500ms`).\n")
	b.WriteString("Lists: white-space or newline separated (Pyramid `aslist`), or YAML sequences.\n")
	fmt.Fprintf(&b, "`%s` (with the prefix, if any) names a file holding the secret (a regular file of at most %s); setting it together with `%s` is an error.\n",
		r.SecretFileEnv, Size(MaxSecretFileSize), strings.TrimSuffix(r.SecretFileEnv, "_FILE"))
	fmt.Fprintf(&b, "Configuration files must be regular files of at most %s.\n\n", Size(MaxConfigSize))
	b.WriteString("| key | environment | type | default | py | description |\n|---|---|---|---|---|---|\n")
	for _, s := range r.Settings {
		def := s.Default
		switch {
		case s.Secret && def != "":
			def = "(masked)"
		case def == "":
			def = "(empty)"
		}
		py := ""
		if s.Python {
			py = "py"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` | %s | %s |\n", s.Key, s.Env, s.Kind, def, py, escapePipes(s.Doc))
	}
	b.WriteString("\n## pyramid_redis_sessions dialect\n\n")
	b.WriteString("When no `session.*` key is present, `redis.sessions.*` keys are read as pyramid_redis_sessions does (the option is the last dotted component) and imply `session.type = redis`:\n\n")
	b.WriteString("| redis.sessions option | sessconf key |\n|---|---|\n")
	for _, p := range r.RedisDialect {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", p[0], p[1])
	}
	b.WriteString("| `host`, `port`, `unix_socket_path` | `session.redis.url` (ignored when `url` is set) |\n")
	b.WriteString("| `db`, `password` | `session.redis.db`, `session.redis.password` (ignored when `url` is set) |\n")
	b.WriteString("| `encoding`, `encoding_errors` | ignored (warning) |\n")
	b.WriteString("| `client_callable`, `serialize`, `deserialize`, `id_generator`, `connection_pool` | error: Python objects cannot be honoured |\n")
	b.WriteString("\n## Diagnostic codes\n\n| code | name | severity | meaning |\n|---|---|---|---|\n")
	for _, c := range r.Codes {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.ID, c.Name, c.Severity, escapePipes(c.Summary))
	}
	return b.String()
}

func escapePipes(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
