package settings

// Code is the stable identifier of a kind of Diagnostic, e.g.
// "SESSION-E004"; the letter is the severity (E error, W warning, I info).
// Codes never change meaning, so a program may compare them with literals
// (d.Code == "SESSION-W012") and checkconf --ignore takes them.
// settings/OPTIONS.md lists them all with their names; the most common:
//
//	SESSION-E001 syntax              the file cannot be parsed
//	SESSION-E006 invalid-value       a value cannot be decoded or is out of range
//	SESSION-E007 secret-missing      no secret is configured
//	SESSION-E021 unreadable          a file cannot be read, is not regular or is too big
//	SESSION-E022 serializer-missing  WithPyramid: no session.serializer = json
//	SESSION-W007 unknown-key         an unknown session.* key
//	SESSION-W012 secret-from-env     the secret must come from the environment
//	SESSION-W015 python-divergence   Pyramid reads a key or value differently
type Code string

// The codes, with their metadata in codeTable.
const (
	codeSyntax            Code = "SESSION-E001" // the file cannot be parsed
	codeSectionMissing    Code = "SESSION-E002" // the INI section to read is absent
	codeDuplicateSection  Code = "SESSION-E003" // an INI section appears twice
	codeDuplicateKey      Code = "SESSION-E004" // a key appears twice in one section or document
	codeInterpolation     Code = "SESSION-E005" // a %(name)s reference fails
	codeInvalidValue      Code = "SESSION-E006" // a value cannot be decoded or is out of range
	codeSecretMissing     Code = "SESSION-E007" // no secret is configured
	codeSecretInvalid     Code = "SESSION-E008" // an encrypted-cookie secret is not 64 hex characters
	codeSameSiteInvalid   Code = "SESSION-E009" // samesite is not Strict, Lax or None
	codeSameSiteInsecure  Code = "SESSION-E010" // samesite=None without secure
	codeCookieNameInvalid Code = "SESSION-E011" // the cookie name is not a token
	codeNegativeDuration  Code = "SESSION-E012" // a duration is negative
	codeEnvConflict       Code = "SESSION-E013" // SESSION_SECRET and SESSION_SECRET_FILE both set
	codeEnvFile           Code = "SESSION-E014" // the secret file cannot be read, is empty or too big
	codeHashAlgInvalid    Code = "SESSION-E015" // the HMAC hash is unknown or refused
	codeSerializerInvalid Code = "SESSION-E016" // the serializer is not json
	codeAliasConflict     Code = "SESSION-E017" // session.X and pynacl.session.X differ
	codeUnsupportedOption Code = "SESSION-E018" // an option cannot apply (Python code, load options with Options)
	codeOptionConflict    Code = "SESSION-E019" // redis.sessions prefix with id_generator
	codeUnknownOption     Code = "SESSION-E020" // an unknown redis.sessions option
	codeUnreadable        Code = "SESSION-E021" // a configuration file cannot be read or is too big
	codeSerializerMissing Code = "SESSION-E022" // Pyramid mode: no session.serializer = json
	codeSecretShort       Code = "SESSION-W001" // a signing secret is short
	codeSecretPlaceholder Code = "SESSION-W002" // the secret is a placeholder
	codeTimeoutLtReissue  Code = "SESSION-W003" // timeout < reissue_time
	codeMaxAgeLtTimeout   Code = "SESSION-W004" // max_age < timeout
	codeInsecure          Code = "SESSION-W005" // secure is false
	codeHTTPOnlyOff       Code = "SESSION-W006" // httponly is false
	codeUnknownKey        Code = "SESSION-W007" // an unknown session.* key
	codeUnknownEnv        Code = "SESSION-W008" // an unknown SESSION_* variable
	codeKeyCase           Code = "SESSION-W009" // a key is not lower-case
	codeInlineComment     Code = "SESSION-W010" // a value contains ' ;' or ' #'
	codeShadowedByDefault Code = "SESSION-W011" // a key is also in [DEFAULT]
	codeSecretFromEnv     Code = "SESSION-W012" // the secret must come from the environment
	codeIgnoredOption     Code = "SESSION-W013" // a recognised option has no effect
	codeRedisDefaultAddr  Code = "SESSION-W014" // type=redis without url or addrs
	codePythonDivergence  Code = "SESSION-W015" // the Python side reads a key or value differently
	codeSecretFilePerm    Code = "SESSION-W016" // a file holding a secret is group or world accessible
	codeServiceLinks      Code = "SESSION-I001" // Kubernetes service-link variables ignored
)

type codeMeta struct {
	code     Code
	name     string
	severity Severity
	summary  string
}

// codeTable holds the metadata of every code, errors first, in ID order.
var codeTable = []codeMeta{
	{codeSyntax, "syntax", SeverityError, "the file cannot be parsed (INI line without '=', bad YAML, bad --set pair, alias expansion over its bound)"},
	{codeSectionMissing, "section-missing", SeverityError, "the INI section to read ([app:main] or [session]) is absent"},
	{codeDuplicateSection, "duplicate-section", SeverityError, "an INI section appears twice (configparser DuplicateSectionError)"},
	{codeDuplicateKey, "duplicate-key", SeverityError, "a key appears twice in one section or YAML document"},
	{codeInterpolation, "interpolation", SeverityError, "a %(name)s reference is undefined, a '%' is not escaped, or the expansion exceeds its bound"},
	{codeInvalidValue, "invalid-value", SeverityError, "a value cannot be decoded (boolean, duration, integer, type, URL, origin, port, …)"},
	{codeSecretMissing, "secret-missing", SeverityError, "no secret is configured"},
	{codeSecretInvalid, "secret-invalid", SeverityError, "an encrypted-cookie secret is not 64 hexadecimal characters"},
	{codeSameSiteInvalid, "samesite-invalid", SeverityError, "samesite is not Strict, Lax or None"},
	{codeSameSiteInsecure, "samesite-none-insecure", SeverityError, "samesite=None without secure=true (browsers reject the cookie)"},
	{codeCookieNameInvalid, "cookie-name-invalid", SeverityError, "the cookie name is not an RFC 6265 token"},
	{codeNegativeDuration, "negative-duration", SeverityError, "a duration is negative"},
	{codeEnvConflict, "env-conflict", SeverityError, "both SESSION_SECRET and SESSION_SECRET_FILE are set"},
	{codeEnvFile, "env-file", SeverityError, "the file named by SESSION_SECRET_FILE cannot be read, is not a regular file, is too big or is empty"},
	{codeHashAlgInvalid, "hashalg-invalid", SeverityError, "the HMAC hash is unknown or refused (md5)"},
	{codeSerializerInvalid, "serializer-invalid", SeverityError, "the serializer is not json (pickle is refused: remote code execution)"},
	{codeAliasConflict, "alias-conflict", SeverityError, "session.X and pynacl.session.X are both set, to different values"},
	{codeUnsupportedOption, "unsupported-option", SeverityError, "an option cannot apply: a redis.sessions option names Python code sessconf cannot run, or Load got files, environment or overrides with an Options value"},
	{codeOptionConflict, "option-conflict", SeverityError, "redis.sessions.prefix and redis.sessions.id_generator are both set"},
	{codeUnknownOption, "unknown-option", SeverityError, "an unknown redis.sessions option (RedisSessionFactory would raise TypeError)"},
	{codeUnreadable, "unreadable", SeverityError, "a configuration file cannot be read, is not a regular file or is too big"},
	{codeSerializerMissing, "serializer-missing", SeverityError, "Pyramid mode: session.serializer = json is absent, so pyramid_nacl_session would use pickle and every crossing logs users out"},
	{codeSecretShort, "secret-short", SeverityWarning, "a signing secret is shorter than the hash's recommended length"},
	{codeSecretPlaceholder, "secret-placeholder", SeverityWarning, "the secret looks like a tutorial placeholder or a trivial pattern"},
	{codeTimeoutLtReissue, "timeout-lt-reissue", SeverityWarning, "timeout is lower than reissue_time: sessions expire before being reissued"},
	{codeMaxAgeLtTimeout, "maxage-lt-timeout", SeverityWarning, "max_age is shorter than timeout: the browser drops live sessions"},
	{codeInsecure, "insecure", SeverityWarning, "secure is false: the cookie is sent over plain HTTP"},
	{codeHTTPOnlyOff, "httponly-off", SeverityWarning, "httponly is false: scripts can read the session cookie"},
	{codeUnknownKey, "unknown-key", SeverityWarning, "an unknown session.* key (ignored)"},
	{codeUnknownEnv, "unknown-env", SeverityWarning, "an unknown SESSION_* environment variable (ignored)"},
	{codeKeyCase, "key-case", SeverityWarning, "a key is not lower-case: it works here but Python (case-sensitive) would miss it"},
	{codeInlineComment, "inline-comment", SeverityWarning, "a value contains ' ;' or ' #': INI inline comments are not stripped"},
	{codeShadowedByDefault, "shadowed-by-default", SeverityWarning, "a key also in [DEFAULT] is dropped from the app settings by Paste Deploy"},
	{codeSecretFromEnv, "secret-from-env", SeverityWarning, "no secret in the files; it must come from the environment at run time"},
	{codeIgnoredOption, "ignored-option", SeverityWarning, "a recognised option has no effect (redis.sessions encoding, host with url, other dialect)"},
	{codeRedisDefaultAddr, "redis-default-address", SeverityWarning, "type = redis without redis.url or redis.addrs: the client connects to localhost:6379"},
	{codePythonDivergence, "python-divergence", SeverityWarning, "a Pyramid application reading the same file reads this key or value differently, or fails to start"},
	{codeSecretFilePerm, "secret-file-permissions", SeverityWarning, "a file holding a secret (SESSION_SECRET_FILE, or the configuration file the secret comes from) is readable or writable by group or others"},
	{codeServiceLinks, "service-links", SeverityInfo, "Kubernetes service-link variables (<NAME>_PORT, <NAME>_SERVICE_HOST, …) look like settings and are ignored"},
}

var codeIndex = func() map[Code]int {
	m := make(map[Code]int, len(codeTable))
	for i, c := range codeTable {
		m[c.code] = i
	}
	return m
}()

func (c Code) meta() codeMeta {
	if i, ok := codeIndex[c]; ok {
		return codeTable[i]
	}
	return codeMeta{code: c, name: "unknown", severity: SeverityError}
}

// name is the stable human name of the code, e.g. "duplicate-key".
func (c Code) name() string { return c.meta().name }

// severity is the severity diagnostics of this code have (summary lines of
// capped findings are SeverityInfo).
func (c Code) severity() Severity { return c.meta().severity }

// diag builds a Diagnostic of code c.
func (c Code) diag(key string, o orig, msg string) Diagnostic {
	m := c.meta()
	d := Diagnostic{Severity: m.severity, Code: c, Name: m.name, Key: key, Message: msg}
	d.setOrigin(o)
	return d
}
