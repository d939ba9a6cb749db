package settings_test

import (
	"errors"
	"fmt"

	"github.com/sessconf/sessconf/settings"
)

func ExampleLoad() {
	// A Paste-style settings dict, as Pyramid passes it to main().
	cfg := map[string]string{
		"session.secret":          "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3",
		"session.timeout":         "20m",
		"session.secure":          "yes",
		"pynacl.session.httponly": "on",
	}
	res, err := settings.Load(cfg, settings.WithoutEnv())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Options.Type, res.Options.Timeout, res.Options.Secure)
	fmt.Println(res.Origins["session.httponly"], res.Origins["session.path"])
	// Output:
	// encrypted 1200 true
	// settings:pynacl.session.httponly default
}

func ExampleLoad_errors() {
	cfg := map[string]string{
		"session.secret":   "not-hex",
		"session.secure":   "enabled",
		"session.samesite": "sometimes",
	}
	_, err := settings.Load(cfg, settings.WithoutEnv())
	var ds settings.Diagnostics
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Println(d.Code, d.Key)
		}
	}
	// Output:
	// SESSION-E006 session.secure
	// SESSION-E008 session.secret
	// SESSION-E009 session.samesite
}

func ExampleLoad_overrides() {
	env := map[string]string{"MYAPP_SESSION_TIMEOUT": "600"}
	res, err := settings.Load(
		settings.Source{Name: "inline.ini", Data: []byte("[app:main]\nsession.type = signed\nsession.secret = a-sufficiently-long-random-signing-secret-of-64-characters-xxxxx\nsession.secure = true\n")},
		settings.WithEnvPrefix("MYAPP"),
		settings.WithEnvLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok }),
		settings.WithOverrides("session.reissue_time=30"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range []string{"session.type", "session.timeout", "session.reissue_time"} {
		key, _ := settings.LookupKey(k)
		fmt.Printf("%s = %s (%s)\n", k, key.Value(&res.Options), res.Origins[k])
	}
	// Output:
	// session.type = signed (inline.ini:2)
	// session.timeout = 600 (env:MYAPP_SESSION_TIMEOUT)
	// session.reissue_time = 30 (override)
}

func ExampleOptions_Validate() {
	o := settings.Default()
	o.Secret = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"
	o.SameSite = "None" // requires Secure
	o.CSRFTrustedOrigins = []string{"https://app.example.com/login"}
	err := o.Validate()
	var ds settings.Diagnostics
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Println(d.Code, d.Key)
		}
	}
	// Output:
	// SESSION-E010 session.samesite
	// SESSION-E006 session.csrf_trusted_origins
}

func ExampleParseDuration() {
	for _, s := range []string{"1200", "20m", "none", "-5"} {
		d, err := settings.ParseDuration(s)
		fmt.Println(d, err != nil)
	}
	// Output:
	// 1200 false
	// 1200 false
	// none false
	// 0 true
}

func ExampleEnvName() {
	fmt.Println(settings.EnvName("", "session.secret"))
	fmt.Println(settings.EnvName("myapp", "session.redis.url"))
	// Output:
	// SESSION_SECRET
	// MYAPP_SESSION_REDIS_URL
}
