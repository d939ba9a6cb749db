package settings

import (
	"github.com/sessconf/sessconf/internal/conf"
)

// fillReport tells checkconf and the documentation what Result does not
// carry: the key table with effective values and origins, and the codes.
func fillReport(rep *conf.Report, dialect conf.Dialect, files []string, o Options, origins map[string]orig, bad map[string]bool, prefix string) {
	def := Default()
	rep.Dialect = dialect
	rep.Files = files
	rep.SecretFileEnv = envName(prefix, "session.secret") + "_FILE"
	rep.Settings = rep.Settings[:0]
	for _, k := range keyTable {
		origin, ok := origins[k.Name]
		if !ok {
			origin = orig{kind: fromDefault}
		}
		rep.Settings = append(rep.Settings, conf.Setting{
			Key: k.Name, Kind: k.Kind.String(), Doc: k.Doc, Env: k.envName(prefix),
			Secret: k.Secret, Python: k.Python,
			Value: k.value(&o), Default: k.value(&def), Origin: origin.String(), Invalid: bad[k.Name],
		})
	}
	rep.Codes = rep.Codes[:0]
	for _, c := range codeTable {
		rep.Codes = append(rep.Codes, conf.CodeInfo{ID: string(c.code), Name: c.name, Severity: string(c.severity), Summary: c.summary})
	}
	rep.RedisDialect = rep.RedisDialect[:0]
	for _, opt := range []string{"secret", "timeout", "cookie_name", "cookie_max_age", "cookie_path", "cookie_domain", "cookie_secure", "cookie_httponly", "cookie_on_exception", "url", "socket_timeout", "prefix"} {
		rep.RedisDialect = append(rep.RedisDialect, [2]string{opt, redisDirect[opt]})
	}
}
