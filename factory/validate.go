package factory

import (
	"github.com/sessconf/sessconf/settings"
)

// validate applies the settings rules to options built in code, so a bad
// cookie attribute fails at construction, never at response time.
func validate(opts settings.Options) error {
	return opts.Validate()
}
