// Package e2e runs the sessconf demo (examples/demo) in headless Chromium
// on encrypted, signed and Redis sessions, and checks what the page shows
// and what the browser stores. It is a module of its own so that chromedp
// never enters the main module. Everything is in its tests:
//
//	cd e2e && go test ./... -args -screenshots=/tmp/shots
package e2e
