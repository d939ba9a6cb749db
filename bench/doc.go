// Package bench compares sessconf's cookie sessions with gorilla/sessions'
// CookieStore on the same handler work and the same session data. It is a
// separate module so that peer libraries never enter sessconf's go.mod;
// everything lives in its tests. See BENCHMARKS.md at the repository root.
package bench
