package engine

// testHookRenew, when set (by tests), runs between renew's two writes.
var testHookRenew func()

// SetRenewHook makes renew call f between its two writes (the new record
// and the forward), for tests that interleave a request there. It
// returns a function that removes the hook.
func SetRenewHook(f func()) (restore func()) {
	testHookRenew = f
	return func() { testHookRenew = nil }
}
