package factory_test

import (
	"log"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// Redis sessions on a client the application built and owns (its pool,
// TLS, hooks): build the backend around it and hand it to the manager.
func ExampleNewRedis() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()

	opts := settings.Default()
	opts.Type = settings.TypeRedis
	opts.Secret = "a long random text secret, at least 32 characters long"
	backend, err := factory.NewRedis(opts, client)
	if err != nil {
		log.Fatal(err)
	}
	mgr, err := session.New(opts, session.WithBackend(backend))
	if err != nil {
		log.Fatal(err)
	}
	defer mgr.Close() // the client stays open: it is the application's

	mux := http.NewServeMux()
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mgr.Middleware(mux)))
}
