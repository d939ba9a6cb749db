package engine

import (
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/settings"
)

// NewRedisClient builds the client opts describe: a standalone server
// from URL (redis://, rediss:// or unix://, via redis.ParseURL); else,
// from Addrs, a Sentinel failover client when MasterName is set, a
// Cluster client for several addresses, or a standalone client for one
// (localhost:6379 when nothing is set). Explicit DB, Username, Password,
// TLS, timeouts and PoolSize override what the URL says. Context
// deadlines are honoured (ContextTimeoutEnabled).
func NewRedisClient(o settings.RedisOptions) (redis.UniversalClient, error) {
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
		ro.DialTimeout = or(o.DialTimeout, ro.DialTimeout)
		ro.ReadTimeout = or(o.ReadTimeout, ro.ReadTimeout)
		ro.WriteTimeout = or(o.WriteTimeout, ro.WriteTimeout)
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
		DialTimeout:           o.DialTimeout,
		ReadTimeout:           o.ReadTimeout,
		WriteTimeout:          o.WriteTimeout,
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
