// Package docs holds tests that keep README.md in step with the code.
package docs
