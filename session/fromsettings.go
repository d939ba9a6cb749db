package session

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/sessconf/sessconf/settings"
)

// WithLoadOptions passes options to settings.Load when FromSettings reads
// the configuration (an environment prefix, extra files, overrides…).
func WithLoadOptions(opts ...settings.LoadOption) Option {
	return func(m *Manager) { m.loadOptions = append(m.loadOptions, opts...) }
}

// FromSettings builds a Manager from configuration. cfg is anything
// settings.Load takes: a config file path (INI or YAML), a Paste-style
// map[string]string of settings, a *viper.Viper the application already
// uses, or a settings.Options value. Environment variables (SESSION_*)
// override files. A settings.Options value is used as it is: files, the
// environment and overrides do not apply to it, and load options that
// would read them (WithFiles, WithEnvPrefix, WithSection, WithOverrides
// or WithPyramid passed through WithLoadOptions) make FromSettings
// return a SESSION-E018 error. Warnings (and information such as ignored Kubernetes
// service-link variables) are logged through the manager's logger;
// errors are returned, each naming its key and position (use errors.As
// with settings.Diagnostics to get them all).
func FromSettings(cfg any, options ...Option) (*Manager, error) {
	probe := &Manager{} // collects the logger and load options
	WithLogger(nil)(probe)
	for _, o := range options {
		if o != nil {
			o(probe)
		}
	}
	res, err := settings.Load(cfg, probe.loadOptions...)
	if res != nil {
		for _, d := range res.Diagnostics {
			level := slog.LevelWarn
			switch d.Severity {
			case settings.SeverityError:
				continue // returned as err
			case settings.SeverityInfo:
				level = slog.LevelInfo
			}
			probe.logger.Log(context.Background(), level, "session setting", "code", d.Code, "key", d.Key, "source", d.Source, "pos", d.Pos.String(), "msg", d.Message)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("session settings: %w", err)
	}
	return newManager(res.Options, options) // Load validated them
}
