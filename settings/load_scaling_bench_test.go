package settings

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// loadShapes build the large inputs of the scaling benchmarks: each is a
// valid configuration (under the 1 MiB limit at 100k) whose size grows
// with n. Time and allocations per op should grow linearly from 10k to
// 100k; compare the two sizes of each shape.
var loadShapes = []struct {
	name   string
	format string
	build  func(n int) string
}{
	{"ini-keys-one-section", "ini", func(n int) string {
		var b strings.Builder
		b.WriteString("[app:main]\nsession.secret = " + testHex + "\n")
		for i := range n {
			fmt.Fprintf(&b, "k%x=1\n", i)
		}
		return b.String()
	}},
	{"ini-continuation-lines", "ini", func(n int) string {
		var b strings.Builder
		b.WriteString("[app:main]\nsession.secret = " + testHex + "\nsession.salt =\n")
		for i := range n {
			fmt.Fprintf(&b, " .%x\n", i)
		}
		return b.String()
	}},
	{"ini-sections", "ini", func(n int) string {
		var b strings.Builder
		b.WriteString("[app:main]\nsession.secret = " + testHex + "\n")
		for i := range n {
			fmt.Fprintf(&b, "[%x]\n", i)
		}
		return b.String()
	}},
	{"yaml-unknown-keys", "yaml", func(n int) string {
		var b strings.Builder
		b.WriteString("session: {secret: '" + testHex + "'")
		for i := range n {
			fmt.Fprintf(&b, ", %x", i)
		}
		b.WriteString("}\n")
		return b.String()
	}},
}

func BenchmarkLoadScaling(b *testing.B) {
	for _, s := range loadShapes {
		for _, n := range []int{10_000, 100_000} {
			src := conf.Source{Name: "bench." + s.format, Format: s.format, Data: []byte(s.build(n))}
			b.Run(fmt.Sprintf("%s/%dk", s.name, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(src.Data)))
				for b.Loop() {
					if _, err := Load(src, WithoutEnv()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestLoadScalingShapesLoad checks the benchmark inputs at their largest:
// accepted (within the size limit), with capped findings.
func TestLoadScalingShapesLoad(t *testing.T) {
	for _, s := range loadShapes {
		data := s.build(100_000)
		if len(data) > conf.MaxConfigSize {
			t.Fatalf("%s: %d bytes is over the limit", s.name, len(data))
		}
		res, err := Load(conf.Source{Name: "x." + s.format, Format: s.format, Data: []byte(data)}, WithoutEnv())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res.Diagnostics) > 2*maxFindingsPerCode+2 {
			t.Errorf("%s: %d diagnostics, findings not capped", s.name, len(res.Diagnostics))
		}
	}
}
