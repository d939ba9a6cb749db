package engine

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/settings"
)

// Bounds that keep a stalled or unreachable Redis from holding requests:
// go-redis' own defaults (5 s dial, 3 s read and write, a pool wait of
// read timeout + 1 s, 3 retries, 5 dial attempts) let a load against a
// stopped server take 40 s. With these, a load or save answers 503
// within about a second.
const (
	// defaultTimeout replaces a dial, read or write timeout left at 0,
	// and is the pool wait.
	defaultTimeout = 500 * time.Millisecond
	// maxRetries: one retry, for a pooled connection the server closed
	// (a restart); a second would only wait out another timeout.
	maxRetries = 1
	// dialAttempts: a refused connection is tried twice, not five times.
	dialAttempts = 2
)

// opTimeout bounds one Load or one Save (all its round trips): a write
// and a read timeout, 1 s with the defaults.
func opTimeout(o settings.RedisOptions) time.Duration {
	return or(o.WriteTimeout, defaultTimeout) + or(o.ReadTimeout, defaultTimeout)
}

// NewRedisClient builds the client opts describe: a standalone server
// from URL (redis://, rediss:// or unix://, via redis.ParseURL); else,
// from Addrs, a Sentinel failover client when MasterName is set, a
// Cluster client for several addresses, or a standalone client for one
// (localhost:6379 when nothing is set). Explicit DB, Username, Password,
// TLS, timeouts and PoolSize override what the URL says; timeouts left
// at 0 (settings.Default sets them) become 500 ms (dial, read, write and
// pool wait), with one retry.
// Context deadlines are honoured (ContextTimeoutEnabled). go-redis' own
// log lines go to slog (see routeRedisLog).
func NewRedisClient(o settings.RedisOptions) (redis.UniversalClient, error) {
	routeRedisLog()
	if o.URL != "" {
		ro, err := redis.ParseURL(o.URL)
		if err != nil {
			return nil, fmt.Errorf("factory: session.redis.url: %w", err)
		}
		if o.DB != 0 {
			ro.DB = o.DB
		}
		if o.Username != "" {
			ro.Username = o.Username
		}
		if o.Password != "" {
			ro.Password = o.Password
		}
		if o.TLS && ro.TLSConfig == nil && ro.Network != "unix" {
			ro.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: hostOf(ro.Addr)}
		}
		// Explicit settings win over the URL's query, which wins over
		// the bounded defaults.
		ro.DialTimeout = or(o.DialTimeout, or(ro.DialTimeout, defaultTimeout))
		ro.ReadTimeout = or(o.ReadTimeout, or(ro.ReadTimeout, defaultTimeout))
		ro.WriteTimeout = or(o.WriteTimeout, or(ro.WriteTimeout, defaultTimeout))
		ro.PoolTimeout = or(o.PoolTimeout, or(ro.PoolTimeout, defaultTimeout))
		if ro.MaxRetries == 0 {
			ro.MaxRetries = maxRetries
		}
		if ro.DialerRetries == 0 {
			ro.DialerRetries = dialAttempts
		}
		if o.PoolSize > 0 {
			ro.PoolSize = o.PoolSize
		}
		ro.ContextTimeoutEnabled = true
		return redis.NewClient(ro), nil
	}
	uo := &redis.UniversalOptions{
		Addrs:                 o.Addrs,
		MasterName:            o.MasterName,
		DB:                    o.DB,
		Username:              o.Username,
		Password:              o.Password,
		DialTimeout:           or(o.DialTimeout, defaultTimeout),
		ReadTimeout:           or(o.ReadTimeout, defaultTimeout),
		WriteTimeout:          or(o.WriteTimeout, defaultTimeout),
		PoolTimeout:           or(o.PoolTimeout, defaultTimeout),
		MaxRetries:            maxRetries,
		DialerRetries:         dialAttempts,
		PoolSize:              o.PoolSize,
		ContextTimeoutEnabled: true,
	}
	if len(uo.Addrs) == 0 {
		uo.Addrs = []string{"localhost:6379"}
	}
	if o.TLS {
		uo.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		if len(uo.Addrs) == 1 || o.MasterName == "" {
			uo.TLSConfig.ServerName = hostOf(uo.Addrs[0])
		}
	}
	return redis.NewUniversalClient(uo), nil
}

// routeRedisLog sends go-redis' log lines (such as "connection pool:
// failed to dial") to slog.Default() at debug level, once per process,
// when sessconf builds a client itself. They would otherwise go to
// stderr outside slog, and every one of them repeats a failure the
// session error handler already logs once per request, structured.
// go-redis has only a process-wide logger, so this is done only for
// clients sessconf builds (type=redis from the settings), never for a
// client passed to NewRedis; an application that wants the lines
// elsewhere calls redis.SetLogger after building its Manager.
func routeRedisLog() { routeOnce.Do(func() { redis.SetLogger(slogRedisLogger{}) }) }

var routeOnce sync.Once

// slogRedisLogger is a go-redis logger writing to slog.Default().
type slogRedisLogger struct{}

func (slogRedisLogger) Printf(ctx context.Context, format string, v ...any) {
	l := slog.Default()
	if ctx == nil {
		ctx = context.Background()
	}
	if l.Enabled(ctx, slog.LevelDebug) {
		l.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
	}
}

func or(a, b time.Duration) time.Duration {
	if a != 0 {
		return a
	}
	return b
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}
