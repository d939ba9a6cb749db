package settings

// Source kinds of a value (Diagnostic.Source).
const (
	fromDefault  = "default"  // Default() (or a dialect's own default)
	fromFile     = "file"     // an INI or YAML file
	fromSettings = "settings" // a Paste-style settings map passed to Load
	fromViper    = "viper"    // a *viper.Viper passed to Load
	fromEnv      = "env"      // an environment variable
	fromOverride = "override" // a WithOverrides pair
	fromOptions  = "options"  // an Options value passed to Load or Validate
)

// orig records where an effective value came from.
type orig struct {
	kind string   // one of the from* constants
	pos  Position // file position for fromFile
	env  string   // variable name for fromEnv
	// rawKey is the key as written when it differs from the canonical key
	// ("pynacl.session.secure", "redis.sessions.cookie_secure").
	rawKey string
}

func fileOrigin(name string, line int) orig {
	return orig{kind: fromFile, pos: Position{File: name, Line: line}}
}

// String renders the origin: "file:line", "env:NAME", "default", "override".
func (o orig) String() string {
	switch o.kind {
	case fromFile:
		return o.pos.String()
	case fromEnv:
		return "env:" + o.env
	case fromSettings, fromViper:
		if o.rawKey != "" {
			return o.kind + ":" + o.rawKey
		}
		return o.kind
	case "":
		return fromDefault
	}
	return o.kind
}

// displayKey is the key as the user wrote it, when known.
func displayKey(canon string, o orig) string {
	if o.rawKey != "" {
		return o.rawKey
	}
	return canon
}
