package main

import (
	"fmt"
	"strings"

	"github.com/sessconf/sessconf/settings"
)

// ignoreSet holds the codes --ignore suppresses.
type ignoreSet map[settings.Code]bool

// parseIgnores reads --ignore values: codes ("SESSION-W012") or names
// ("secret-from-env"), comma-separated; an unknown one is a usage error.
func parseIgnores(values []string) (ignoreSet, error) {
	known := map[string]settings.Code{}
	for _, c := range reference().Codes {
		known[strings.ToUpper(c.ID)] = settings.Code(c.ID)
		known[strings.ToUpper(c.Name)] = settings.Code(c.ID)
	}
	set := ignoreSet{}
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			c, ok := known[strings.ToUpper(f)]
			if !ok {
				return nil, fmt.Errorf("--ignore: unknown code %q (see settings/OPTIONS.md)", f)
			}
			set[c] = true
		}
	}
	return set, nil
}

// filter drops the ignored findings.
func (s ignoreSet) filter(ds settings.Diagnostics) settings.Diagnostics {
	if len(s) == 0 {
		return ds
	}
	out := ds[:0:0]
	for _, d := range ds {
		if !s[d.Code] {
			out = append(out, d)
		}
	}
	return out
}
