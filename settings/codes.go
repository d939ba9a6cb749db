package settings

// Code describes one stable diagnostic code.
type Code struct {
	ID       string   // "SESSION-E004"
	Name     string   // "duplicate-key"
	Severity Severity // the severity diagnostics of this code always have
	Summary  string   // one line, for docs and --help
}

// Diagnostic codes. IDs and names are stable: they may be used for
// suppression and are documented in OPTIONS.md.
var (
	CodeSyntax            = Code{"SESSION-E001", "syntax", SeverityError, "the file cannot be parsed (INI line without '=', bad YAML, bad --set pair)"}
	CodeSectionMissing    = Code{"SESSION-E002", "section-missing", SeverityError, "the INI section to read ([app:main] or [session]) is absent"}
	CodeDuplicateSection  = Code{"SESSION-E003", "duplicate-section", SeverityError, "an INI section appears twice (configparser DuplicateSectionError)"}
	CodeDuplicateKey      = Code{"SESSION-E004", "duplicate-key", SeverityError, "a key appears twice in one section or YAML document"}
	CodeInterpolation     = Code{"SESSION-E005", "interpolation", SeverityError, "a %(name)s reference is undefined or a '%' is not escaped"}
	CodeInvalidValue      = Code{"SESSION-E006", "invalid-value", SeverityError, "a value cannot be decoded (boolean, duration, integer, type, URL, …)"}
	CodeSecretMissing     = Code{"SESSION-E007", "secret-missing", SeverityError, "no secret is configured"}
	CodeSecretInvalid     = Code{"SESSION-E008", "secret-invalid", SeverityError, "an encrypted-cookie secret is not 64 hexadecimal characters"}
	CodeSameSiteInvalid   = Code{"SESSION-E009", "samesite-invalid", SeverityError, "samesite is not Strict, Lax or None"}
	CodeSameSiteInsecure  = Code{"SESSION-E010", "samesite-none-insecure", SeverityError, "samesite=None without secure=true (browsers reject the cookie)"}
	CodeCookieNameInvalid = Code{"SESSION-E011", "cookie-name-invalid", SeverityError, "the cookie name is not an RFC 6265 token"}
	CodeNegativeDuration  = Code{"SESSION-E012", "negative-duration", SeverityError, "a duration is negative"}
	CodeEnvConflict       = Code{"SESSION-E013", "env-conflict", SeverityError, "both SESSION_SECRET and SESSION_SECRET_FILE are set"}
	CodeEnvFile           = Code{"SESSION-E014", "env-file", SeverityError, "the file named by SESSION_SECRET_FILE cannot be read or is empty"}
	CodeHashAlgInvalid    = Code{"SESSION-E015", "hashalg-invalid", SeverityError, "the HMAC hash is unknown or refused (md5)"}
	CodeSerializerInvalid = Code{"SESSION-E016", "serializer-invalid", SeverityError, "the serializer is not json (pickle is refused: remote code execution)"}
	CodeAliasConflict     = Code{"SESSION-E017", "alias-conflict", SeverityError, "session.X and pynacl.session.X are both set, to different values"}
	CodeUnsupportedOption = Code{"SESSION-E018", "unsupported-option", SeverityError, "a redis.sessions option names Python code sessconf cannot run"}
	CodeOptionConflict    = Code{"SESSION-E019", "option-conflict", SeverityError, "redis.sessions.prefix and redis.sessions.id_generator are both set"}
	CodeUnknownOption     = Code{"SESSION-E020", "unknown-option", SeverityError, "an unknown redis.sessions option (RedisSessionFactory would raise TypeError)"}
	CodeUnreadable        = Code{"SESSION-E021", "unreadable", SeverityError, "a configuration file cannot be read"}
	CodeSecretShort       = Code{"SESSION-W001", "secret-short", SeverityWarning, "a signing secret is shorter than the hash's recommended length"}
	CodeSecretPlaceholder = Code{"SESSION-W002", "secret-placeholder", SeverityWarning, "the secret looks like a tutorial placeholder or a trivial pattern"}
	CodeTimeoutLtReissue  = Code{"SESSION-W003", "timeout-lt-reissue", SeverityWarning, "timeout is lower than reissue_time: sessions expire before being reissued"}
	CodeMaxAgeLtTimeout   = Code{"SESSION-W004", "maxage-lt-timeout", SeverityWarning, "max_age is shorter than timeout: the browser drops live sessions"}
	CodeInsecure          = Code{"SESSION-W005", "insecure", SeverityWarning, "secure is false: the cookie is sent over plain HTTP"}
	CodeHTTPOnlyOff       = Code{"SESSION-W006", "httponly-off", SeverityWarning, "httponly is false: scripts can read the session cookie"}
	CodeUnknownKey        = Code{"SESSION-W007", "unknown-key", SeverityWarning, "an unknown session.* key (ignored)"}
	CodeUnknownEnv        = Code{"SESSION-W008", "unknown-env", SeverityWarning, "an unknown SESSION_* environment variable (ignored)"}
	CodeKeyCase           = Code{"SESSION-W009", "key-case", SeverityWarning, "a key is not lower-case: it works here but Python (case-sensitive) would miss it"}
	CodeInlineComment     = Code{"SESSION-W010", "inline-comment", SeverityWarning, "a value contains ' ;' or ' #': INI inline comments are not stripped"}
	CodeShadowedByDefault = Code{"SESSION-W011", "shadowed-by-default", SeverityWarning, "a key also in [DEFAULT] is dropped from the app settings by Paste Deploy"}
	CodeSecretFromEnv     = Code{"SESSION-W012", "secret-from-env", SeverityWarning, "no secret in the files; it must come from the environment at run time"}
	CodeIgnoredOption     = Code{"SESSION-W013", "ignored-option", SeverityWarning, "a recognised option has no effect (redis.sessions encoding, host with url, other dialect)"}
)

// Codes lists every diagnostic code, errors first, in ID order.
func Codes() []Code {
	return []Code{
		CodeSyntax, CodeSectionMissing, CodeDuplicateSection, CodeDuplicateKey,
		CodeInterpolation, CodeInvalidValue, CodeSecretMissing, CodeSecretInvalid,
		CodeSameSiteInvalid, CodeSameSiteInsecure, CodeCookieNameInvalid,
		CodeNegativeDuration, CodeEnvConflict, CodeEnvFile, CodeHashAlgInvalid,
		CodeSerializerInvalid, CodeAliasConflict, CodeUnsupportedOption,
		CodeOptionConflict, CodeUnknownOption, CodeUnreadable,
		CodeSecretShort, CodeSecretPlaceholder, CodeTimeoutLtReissue,
		CodeMaxAgeLtTimeout, CodeInsecure, CodeHTTPOnlyOff, CodeUnknownKey,
		CodeUnknownEnv, CodeKeyCase, CodeInlineComment, CodeShadowedByDefault,
		CodeSecretFromEnv, CodeIgnoredOption,
	}
}

// diag builds a Diagnostic of code c.
func (c Code) diag(key string, origin Origin, msg string) Diagnostic {
	return Diagnostic{Severity: c.Severity, Code: c.ID, Name: c.Name, Key: key, Message: msg, Origin: origin}
}
