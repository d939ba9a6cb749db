package factory

import (
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/settings"
)

// RedisOption customises a backend built by NewRedis.
type RedisOption = engine.RedisOption

// WithInitialData sets data merged into a session when its record is
// first created in Redis (websauna's initial_data, e.g. the client
// address). Keys the handler set in that request win; later requests
// never overwrite these values. f runs once per created record, at commit.
func WithInitialData(f func(r *http.Request) map[string]any) RedisOption {
	return engine.WithInitialData(f)
}

// NewRedis validates opts and builds the Redis backend around a client
// the application made (pyramid_redis_sessions' client_callable): a
// *redis.Client, *redis.ClusterClient or failover client. opts.Redis's
// URL, Addrs and connection fields are ignored, except that ReadTimeout
// + WriteTimeout (1 s when they are 0) bound each session load and save:
// on the socket only if client sets ContextTimeoutEnabled (go-redis
// otherwise applies its own timeouts to each command), else only the
// wait for a pooled connection and retries.
// The caller keeps ownership of client: the backend never closes it.
func NewRedis(opts settings.Options, client redis.UniversalClient, options ...RedisOption) (Backend, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return engine.NewRedis(opts, client, options...)
}
