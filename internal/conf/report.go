package conf

// Report is what Load tells checkconf and the documentation generator
// beyond settings.Result.
type Report struct {
	// Dialect is the dialect that was read (DialectSession or
	// DialectRedisSessions).
	Dialect Dialect
	// Files lists the sources read, in layering order.
	Files []string
	// Settings lists every key in documentation order with its effective
	// value (secrets included: callers that print must mask Secret ones).
	Settings []Setting
	// SecretFileEnv is the variable naming a secret file (SESSION_SECRET_FILE).
	SecretFileEnv string
	// Codes lists every diagnostic code, errors first.
	Codes []CodeInfo
	// RedisDialect maps pyramid_redis_sessions options onto sessconf keys.
	RedisDialect [][2]string
}

// Setting is one key of the key table and its effective value.
type Setting struct {
	Key     string // canonical name, "session.timeout"
	Kind    string // string, bool, duration, timeout, int, list
	Doc     string // one line
	Env     string // environment variable, with the prefix
	Secret  bool   // never print the value
	Python  bool   // pyramid_nacl_session reads it too
	Value   string // effective value in settings syntax
	Default string // default value in settings syntax
	Origin  string // "file:line", "env:NAME", "default", "override", …
	Invalid bool   // the configured value could not be decoded; Value is the default
}

// CodeInfo describes one diagnostic code.
type CodeInfo struct {
	ID       string // "SESSION-E004"
	Name     string // "duplicate-key"
	Severity string // "error", "warning" or "info"
	Summary  string // one line
}
