package vectors

import (
	"os"
	"testing"
)

// RequirePythonEnv, when set to 1 (as in CI), turns a missing Python
// (python3 importing pyramid, webob and nacl) into a failure.
const RequirePythonEnv = "SESSCONF_REQUIRE_PYTHON"

// PythonMissing ends a test that needs Python with pyramid, webob and
// nacl, reason saying what is missing: it fails the test when
// SESSCONF_REQUIRE_PYTHON=1 and skips it otherwise.
func PythonMissing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequirePythonEnv) == "1" {
		t.Fatalf("%s=1 but %s", RequirePythonEnv, reason)
	}
	t.Skipf("skipping the Python cross-check: %s; set %s=1 to make this a failure", reason, RequirePythonEnv)
}
