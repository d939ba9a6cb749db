package settings

// Code is the stable identifier of a kind of Diagnostic, e.g.
// "SESSION-E004". The letter is the severity: E error, W warning, I info.
// Codes may be used for suppression (checkconf --ignore); settings/OPTIONS.md
// lists them all.
type Code string

// Diagnostic codes.
const (
	CodeSyntax            Code = "SESSION-E001" // the file cannot be parsed
	CodeSectionMissing    Code = "SESSION-E002" // the INI section to read is absent
	CodeDuplicateSection  Code = "SESSION-E003" // an INI section appears twice
	CodeDuplicateKey      Code = "SESSION-E004" // a key appears twice in one section or document
	CodeInterpolation     Code = "SESSION-E005" // a %(name)s reference fails
	CodeInvalidValue      Code = "SESSION-E006" // a value cannot be decoded or is out of range
	CodeSecretMissing     Code = "SESSION-E007" // no secret is configured
	CodeSecretInvalid     Code = "SESSION-E008" // an encrypted-cookie secret is not 64 hex characters
	CodeSameSiteInvalid   Code = "SESSION-E009" // samesite is not Strict, Lax or None
	CodeSameSiteInsecure  Code = "SESSION-E010" // samesite=None without secure
	CodeCookieNameInvalid Code = "SESSION-E011" // the cookie name is not a token
	CodeNegativeDuration  Code = "SESSION-E012" // a duration is negative
	CodeEnvConflict       Code = "SESSION-E013" // SESSION_SECRET and SESSION_SECRET_FILE both set
	CodeEnvFile           Code = "SESSION-E014" // the secret file cannot be read, is empty or too big
	CodeHashAlgInvalid    Code = "SESSION-E015" // the HMAC hash is unknown or refused
	CodeSerializerInvalid Code = "SESSION-E016" // the serializer is not json
	CodeAliasConflict     Code = "SESSION-E017" // session.X and pynacl.session.X differ
	CodeUnsupportedOption Code = "SESSION-E018" // a redis.sessions option names Python code
	CodeOptionConflict    Code = "SESSION-E019" // redis.sessions prefix with id_generator
	CodeUnknownOption     Code = "SESSION-E020" // an unknown redis.sessions option
	CodeUnreadable        Code = "SESSION-E021" // a configuration file cannot be read or is too big
	CodeSerializerMissing Code = "SESSION-E022" // Pyramid mode: no session.serializer = json
	CodeSecretShort       Code = "SESSION-W001" // a signing secret is short
	CodeSecretPlaceholder Code = "SESSION-W002" // the secret is a placeholder
	CodeTimeoutLtReissue  Code = "SESSION-W003" // timeout < reissue_time
	CodeMaxAgeLtTimeout   Code = "SESSION-W004" // max_age < timeout
	CodeInsecure          Code = "SESSION-W005" // secure is false
	CodeHTTPOnlyOff       Code = "SESSION-W006" // httponly is false
	CodeUnknownKey        Code = "SESSION-W007" // an unknown session.* key
	CodeUnknownEnv        Code = "SESSION-W008" // an unknown SESSION_* variable
	CodeKeyCase           Code = "SESSION-W009" // a key is not lower-case
	CodeInlineComment     Code = "SESSION-W010" // a value contains ' ;' or ' #'
	CodeShadowedByDefault Code = "SESSION-W011" // a key is also in [DEFAULT]
	CodeSecretFromEnv     Code = "SESSION-W012" // the secret must come from the environment
	CodeIgnoredOption     Code = "SESSION-W013" // a recognised option has no effect
	CodeRedisDefaultAddr  Code = "SESSION-W014" // type=redis without url or addrs
	CodePythonDivergence  Code = "SESSION-W015" // the Python side reads a key or value differently
	CodeServiceLinks      Code = "SESSION-I001" // Kubernetes service-link variables ignored
)

type codeMeta struct {
	code     Code
	name     string
	severity Severity
	summary  string
}

// codeTable holds the metadata of every code, errors first, in ID order.
var codeTable = []codeMeta{
	{CodeSyntax, "syntax", SeverityError, "the file cannot be parsed (INI line without '=', bad YAML, bad --set pair, alias expansion over its bound)"},
	{CodeSectionMissing, "section-missing", SeverityError, "the INI section to read ([app:main] or [session]) is absent"},
	{CodeDuplicateSection, "duplicate-section", SeverityError, "an INI section appears twice (configparser DuplicateSectionError)"},
	{CodeDuplicateKey, "duplicate-key", SeverityError, "a key appears twice in one section or YAML document"},
	{CodeInterpolation, "interpolation", SeverityError, "a %(name)s reference is undefined, a '%' is not escaped, or the expansion exceeds its bound"},
	{CodeInvalidValue, "invalid-value", SeverityError, "a value cannot be decoded (boolean, duration, integer, type, URL, origin, port, …)"},
	{CodeSecretMissing, "secret-missing", SeverityError, "no secret is configured"},
	{CodeSecretInvalid, "secret-invalid", SeverityError, "an encrypted-cookie secret is not 64 hexadecimal characters"},
	{CodeSameSiteInvalid, "samesite-invalid", SeverityError, "samesite is not Strict, Lax or None"},
	{CodeSameSiteInsecure, "samesite-none-insecure", SeverityError, "samesite=None without secure=true (browsers reject the cookie)"},
	{CodeCookieNameInvalid, "cookie-name-invalid", SeverityError, "the cookie name is not an RFC 6265 token"},
	{CodeNegativeDuration, "negative-duration", SeverityError, "a duration is negative"},
	{CodeEnvConflict, "env-conflict", SeverityError, "both SESSION_SECRET and SESSION_SECRET_FILE are set"},
	{CodeEnvFile, "env-file", SeverityError, "the file named by SESSION_SECRET_FILE cannot be read, is not a regular file, is too big or is empty"},
	{CodeHashAlgInvalid, "hashalg-invalid", SeverityError, "the HMAC hash is unknown or refused (md5)"},
	{CodeSerializerInvalid, "serializer-invalid", SeverityError, "the serializer is not json (pickle is refused: remote code execution)"},
	{CodeAliasConflict, "alias-conflict", SeverityError, "session.X and pynacl.session.X are both set, to different values"},
	{CodeUnsupportedOption, "unsupported-option", SeverityError, "a redis.sessions option names Python code sessconf cannot run"},
	{CodeOptionConflict, "option-conflict", SeverityError, "redis.sessions.prefix and redis.sessions.id_generator are both set"},
	{CodeUnknownOption, "unknown-option", SeverityError, "an unknown redis.sessions option (RedisSessionFactory would raise TypeError)"},
	{CodeUnreadable, "unreadable", SeverityError, "a configuration file cannot be read, is not a regular file or is too big"},
	{CodeSerializerMissing, "serializer-missing", SeverityError, "Pyramid mode: session.serializer = json is absent, so pyramid_nacl_session would use pickle and every crossing logs users out"},
	{CodeSecretShort, "secret-short", SeverityWarning, "a signing secret is shorter than the hash's recommended length"},
	{CodeSecretPlaceholder, "secret-placeholder", SeverityWarning, "the secret looks like a tutorial placeholder or a trivial pattern"},
	{CodeTimeoutLtReissue, "timeout-lt-reissue", SeverityWarning, "timeout is lower than reissue_time: sessions expire before being reissued"},
	{CodeMaxAgeLtTimeout, "maxage-lt-timeout", SeverityWarning, "max_age is shorter than timeout: the browser drops live sessions"},
	{CodeInsecure, "insecure", SeverityWarning, "secure is false: the cookie is sent over plain HTTP"},
	{CodeHTTPOnlyOff, "httponly-off", SeverityWarning, "httponly is false: scripts can read the session cookie"},
	{CodeUnknownKey, "unknown-key", SeverityWarning, "an unknown session.* key (ignored)"},
	{CodeUnknownEnv, "unknown-env", SeverityWarning, "an unknown SESSION_* environment variable (ignored)"},
	{CodeKeyCase, "key-case", SeverityWarning, "a key is not lower-case: it works here but Python (case-sensitive) would miss it"},
	{CodeInlineComment, "inline-comment", SeverityWarning, "a value contains ' ;' or ' #': INI inline comments are not stripped"},
	{CodeShadowedByDefault, "shadowed-by-default", SeverityWarning, "a key also in [DEFAULT] is dropped from the app settings by Paste Deploy"},
	{CodeSecretFromEnv, "secret-from-env", SeverityWarning, "no secret in the files; it must come from the environment at run time"},
	{CodeIgnoredOption, "ignored-option", SeverityWarning, "a recognised option has no effect (redis.sessions encoding, host with url, other dialect)"},
	{CodeRedisDefaultAddr, "redis-default-address", SeverityWarning, "type = redis without redis.url or redis.addrs: the client connects to localhost:6379"},
	{CodePythonDivergence, "python-divergence", SeverityWarning, "a Pyramid application reading the same file reads this key or value differently, or fails to start"},
	{CodeServiceLinks, "service-links", SeverityInfo, "Kubernetes service-link variables (<NAME>_PORT, <NAME>_SERVICE_HOST, …) look like settings and are ignored"},
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

// Name is the stable human name of the code, e.g. "duplicate-key".
func (c Code) Name() string { return c.meta().name }

// Severity is the severity diagnostics of this code have (summary lines of
// capped findings are SeverityInfo).
func (c Code) Severity() Severity { return c.meta().severity }

// diag builds a Diagnostic of code c.
func (c Code) diag(key string, o orig, msg string) Diagnostic {
	m := c.meta()
	d := Diagnostic{Severity: m.severity, Code: c, Name: m.name, Key: key, Message: msg}
	d.setOrigin(o)
	return d
}
