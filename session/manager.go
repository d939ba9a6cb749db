package session

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/settings"
)

// Manager builds sessions for requests: it holds the backend, the options
// and the error policy. Build one at start-up with New or FromSettings and
// wrap the handler with Middleware.
type Manager struct {
	backend      engine.Backend
	opts         settings.Options
	lifetime     engine.Lifetime
	now          func() time.Time
	logger       *slog.Logger
	errorHandler func(http.ResponseWriter, *http.Request, error)
	loadOptions  []settings.LoadOption       // used by FromSettings
	observer     Observer                    // nil: no events
	origins      *http.CrossOriginProtection // nil: CheckCSRF does not check origins
	optionErr    error                       // an Option that could not be applied
	rejections   rejectionMonitor
}

// Option customises a Manager.
type Option func(*Manager)

// WithClock sets the clock (for tests); the default (and nil) is time.Now.
func WithClock(now func() time.Time) Option {
	return func(m *Manager) {
		if now == nil {
			now = time.Now
		}
		m.now = now
	}
}

// WithLogger sets where the manager logs; the default is slog.Default().
// Refused cookies are logged at debug level with their reason; a burst
// of cookies failing authentication (a secret rotated without
// secret_fallbacks) is summed up in one warning a minute.
func WithLogger(l *slog.Logger) Option {
	return func(m *Manager) {
		if l == nil {
			l = slog.Default()
		}
		m.logger = l
	}
}

// WithErrorHandler sets what answers the request when the session cannot
// be loaded or saved (store down, cookie too large). It runs before any
// header is written. The default (and nil) logs once and answers 503 for
// ErrUnavailable and 500 otherwise.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(m *Manager) {
		if h == nil {
			h = m.defaultErrorHandler
		}
		m.errorHandler = h
	}
}

// WithBackend uses b instead of building the backend opts.Type names, for
// example a Redis backend around a client the application built
// (factory.NewRedis).
func WithBackend(b factory.Backend) Option {
	return func(m *Manager) {
		eb, ok := b.(engine.Backend)
		if !ok && b != nil {
			m.optionErr = fmt.Errorf("session: WithBackend: %T was not built by package factory", b)
			return
		}
		m.backend = eb
	}
}

// New validates opts and builds a Manager from them, such as
// settings.Default() with a Secret set.
func New(opts settings.Options, options ...Option) (*Manager, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return newManager(opts, options)
}

// newManager builds a Manager from validated options.
func newManager(opts settings.Options, options []Option) (*Manager, error) {
	m := &Manager{opts: opts, lifetime: engine.LifetimeOf(opts), now: time.Now, logger: slog.Default()}
	m.errorHandler = m.defaultErrorHandler
	if opts.CSRFCheckOrigin {
		m.origins = http.NewCrossOriginProtection()
		for _, o := range opts.CSRFTrustedOrigins {
			if err := m.origins.AddTrustedOrigin(o); err != nil {
				return nil, fmt.Errorf("session: csrf_trusted_origins: %w", err)
			}
		}
	}
	for _, o := range options {
		if o != nil {
			o(m)
		}
	}
	if m.optionErr != nil {
		return nil, m.optionErr
	}
	if m.backend == nil {
		b, err := engine.New(opts)
		if err != nil {
			return nil, err
		}
		m.backend = b
	}
	return m, nil
}

func (m *Manager) defaultErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	code := http.StatusInternalServerError
	if errors.Is(err, ErrUnavailable) {
		code = http.StatusServiceUnavailable
	}
	m.logger.ErrorContext(r.Context(), "session commit failed", "method", r.Method, "path", r.URL.Path, "status", code, "backend", m.backend.Name(), "err", err)
	http.Error(w, http.StatusText(code), code)
}

// Close releases what the backend holds, such as a Redis client the
// backend built from the settings. A client passed in by the application
// stays the application's to close.
func (m *Manager) Close() error {
	if c, ok := m.backend.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
