package settings

import (
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// Identical findings (same code, key, message and position) are listed and
// counted once; different lines stay separate.
func TestIdenticalFindingsMerged(t *testing.T) {
	src := "x: &x {a: 1}\nsession:\n  secret: '" + testHex + "'\n  secure: true\n" +
		"  csrf_trusted_origins: [*x, *x, *x, *x, *x, *x, *x, *x, *x]\n" +
		"  redis:\n    addrs:\n      - *x\n      - *x\n"
	res, _ := Load(conf.Source{Name: "a.yaml", Data: []byte(src)}, WithoutEnv())
	lines := map[string][]int{}
	for _, d := range res.Diagnostics {
		if d.Code == codeInvalidValue {
			lines[d.Key] = append(lines[d.Key], d.Pos.Line)
		}
	}
	if got := lines["session.csrf_trusted_origins"]; len(got) != 1 || got[0] != 5 {
		t.Errorf("csrf_trusted_origins findings at lines %v, want [5]", got)
	}
	if got := lines["session.redis.addrs"]; len(got) != 2 || got[0] != 8 || got[1] != 9 {
		t.Errorf("redis.addrs findings at lines %v, want [8 9]", got)
	}
}
