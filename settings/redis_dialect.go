package settings

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// The pyramid_redis_sessions / websauna dialect: keys
// "redis.sessions.<anything>.<option>", where the option is the last dotted
// component (pyramid_redis_sessions strips everything before it).

func isRedisDialectKey(raw string) bool {
	return strings.HasPrefix(strings.ToLower(raw), prefixRedisSession)
}

// redisOption is the option name of a redis.sessions key.
func redisOption(raw string) string {
	k := strings.ToLower(raw)
	return k[strings.LastIndexByte(k, '.')+1:]
}

// redisDirect maps redis.sessions options onto canonical keys.
var redisDirect = map[string]string{
	"secret":              "session.secret",
	"timeout":             "session.timeout",
	"cookie_name":         "session.cookie_name",
	"cookie_max_age":      "session.max_age",
	"cookie_path":         "session.path",
	"cookie_domain":       "session.domain",
	"cookie_secure":       "session.secure",
	"cookie_httponly":     "session.httponly",
	"cookie_on_exception": "session.set_on_exception",
	"url":                 "session.redis.url",
	"socket_timeout":      "session.redis.socket_timeout",
	"prefix":              "session.redis.key_prefix",
}

// Options that configure the connection when url is absent.
var redisConn = map[string]bool{"host": true, "port": true, "db": true, "password": true, "unix_socket_path": true}

// Options naming Python callables or objects, which sessconf cannot honour.
var redisUnsupported = map[string]string{
	"client_callable": "it names a Python callable that builds the Redis client; configure session.redis.* instead",
	"serialize":       "it names a Python serializer (default pickle.dumps); sessconf stores JSON",
	"deserialize":     "it names a Python deserializer (default pickle.loads, which runs code); sessconf reads JSON",
	"id_generator":    "it names a Python id generator; sessconf generates 64-hex-character ids (use prefix for a key prefix)",
	"connection_pool": "it names a Python connection pool object; use session.redis.pool_size",
}

// Options accepted by RedisSessionFactory that have no effect here.
var redisIgnored = map[string]string{
	"encoding":        "Redis values are JSON bytes; the client encoding is irrelevant",
	"encoding_errors": "Redis values are JSON bytes; the client encoding is irrelevant",
}

var redisKnown = func() []string {
	var out []string
	for k := range redisDirect {
		out = append(out, k)
	}
	for k := range redisConn {
		out = append(out, k)
	}
	for k := range redisUnsupported {
		out = append(out, k)
	}
	for k := range redisIgnored {
		out = append(out, k)
	}
	return out
}()

// redisDialectDefaults is the lowest file layer of the redis dialect:
// pyramid_redis_sessions' own defaults where they differ from ours.
func redisDialectDefaults() *layer {
	ly := newLayer()
	o := orig{kind: fromDefault, rawKey: "redis.sessions"}
	ly.values["session.type"] = TypeRedis
	ly.origins["session.type"] = o
	ly.values["session.redis.key_prefix"] = "" // the key is the session id itself
	ly.origins["session.redis.key_prefix"] = o
	ly.values["session.redis.url"] = "redis://localhost:6379"
	ly.origins["session.redis.url"] = o
	return ly
}

// redisDialect translates the redis.sessions entries of one source.
func (l *loader) redisDialect(ly *layer, es []entry) {
	byOpt := map[string]entry{}
	var order []string
	for _, e := range es {
		opt := redisOption(e.raw)
		e.origin.rawKey = e.raw
		if prev, ok := byOpt[opt]; ok {
			// Python: later keys overwrite earlier ones (dict order).
			l.add(codeDuplicateKey.diag(e.raw, e.origin, fmt.Sprintf("option %q is already set by %s (%s)", opt, prev.raw, prev.origin)))
			continue
		}
		byOpt[opt] = e
		order = append(order, opt)
	}
	_, hasURL := byOpt["url"]
	if p, ok := byOpt["prefix"]; ok {
		if g, ok2 := byOpt["id_generator"]; ok2 {
			l.add(codeOptionConflict.diag(g.raw, g.origin, fmt.Sprintf("cannot specify a custom id_generator and a key prefix (%s) together (pyramid_redis_sessions raises ConfigurationError)", p.raw)))
		}
	}
	for _, opt := range order {
		e := byOpt[opt]
		if canon, ok := redisDirect[opt]; ok {
			ly.values[canon] = e.value
			ly.origins[canon] = e.origin
			continue
		}
		if redisConn[opt] {
			if hasURL {
				l.add(codeIgnoredOption.diag(e.raw, e.origin, "ignored: url is set, and redis-py's from_url drops host, port, db, password and unix_socket_path"))
			}
			continue
		}
		if why, ok := redisUnsupported[opt]; ok {
			l.add(codeUnsupportedOption.diag(e.raw, e.origin, "cannot be honoured: "+why))
			continue
		}
		if why, ok := redisIgnored[opt]; ok {
			l.add(codeIgnoredOption.diag(e.raw, e.origin, "ignored: "+why))
			continue
		}
		d := codeUnknownOption.diag(e.raw, e.origin, fmt.Sprintf("unknown option %q (RedisSessionFactory raises TypeError: unexpected keyword argument)", opt))
		if s := suggest(opt, redisKnown); s != "" {
			d.Suggestion = strings.TrimSuffix(e.raw, opt) + s
		}
		l.add(d)
	}
	if hasURL {
		return
	}
	// Build a URL from host/port/unix_socket_path; db and password map
	// onto their own keys.
	str := func(opt string) (string, entry, bool) {
		e, ok := byOpt[opt]
		if !ok {
			return "", e, false
		}
		s, _ := e.value.(string)
		return strings.TrimSpace(s), e, true
	}
	if v, e, ok := str("db"); ok {
		ly.values["session.redis.db"] = v
		ly.origins["session.redis.db"] = e.origin
	}
	if _, e, ok := str("password"); ok {
		ly.values["session.redis.password"] = e.value
		ly.origins["session.redis.password"] = e.origin
	}
	if path, e, ok := str("unix_socket_path"); ok {
		for _, o := range []string{"host", "port"} {
			if he, ok := byOpt[o]; ok {
				l.add(codeIgnoredOption.diag(he.raw, he.origin, "ignored: unix_socket_path is set"))
			}
		}
		ly.values["session.redis.url"] = (&url.URL{Scheme: "unix", Path: path}).String()
		ly.origins["session.redis.url"] = e.origin
		return
	}
	host, he, hasHost := str("host")
	port, pe, hasPort := str("port")
	if !hasHost && !hasPort {
		return
	}
	if !hasHost || host == "" {
		host = "localhost"
	}
	origin := he.origin
	if !hasHost {
		origin = pe.origin
	}
	if hasPort {
		n, err := parseInt(port)
		if err != nil || n < 1 || n > 65535 {
			msg := "port must be an integer from 1 to 65535"
			if err != nil {
				msg = strings.TrimPrefix(err.Error(), errInvalid.Error()+": ")
			}
			l.add(codeInvalidValue.diag(pe.raw, pe.origin, msg))
			return
		}
		port = strconv.Itoa(n)
	} else {
		port = "6379"
	}
	ly.values["session.redis.url"] = "redis://" + net.JoinHostPort(host, port)
	ly.origins["session.redis.url"] = origin
}
