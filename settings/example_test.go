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
	fmt.Println(res.Options.Type, res.Options.Timeout, res.Options.Secure, res.Options.HTTPOnly)
	// Output:
	// encrypted 1200 true true
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
	// Layers, lowest first: the file, the environment (ignored here), the overrides.
	res, err := settings.Load("../testdata/good/good.ini",
		settings.WithoutEnv(),
		settings.WithOverrides("session.reissue_time=30", "timeout=20m"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	o := res.Options
	fmt.Println(o.CookieName, o.Timeout, o.ReissueTime)
	// Output:
	// myapp_session 1200 30
}

func ExampleWithPyramid() {
	// app-full.ini uses sessconf-only options and Go durations, which a
	// Pyramid application reading the same file would reject.
	res, err := settings.Load("../examples/app-full.ini", settings.WithoutEnv(), settings.WithPyramid())
	fmt.Println(err == nil)
	for _, d := range res.Diagnostics {
		if d.Code == "SESSION-W015" && (d.Key == "session.type" || d.Key == "session.timeout") {
			fmt.Println(d.Pos, d.Key)
		}
	}
	// Output:
	// true
	// ../examples/app-full.ini:24 session.type
	// ../examples/app-full.ini:58 session.timeout
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
