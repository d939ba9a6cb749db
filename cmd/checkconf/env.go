package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/settings"
)

// environment builds the load options for the environment: the process
// environment (or env), plus --env-file variables, or none with --no-env.
func environment(c *config, env func(string) (string, bool)) ([]settings.LoadOption, error) {
	var opts []settings.LoadOption
	if c.envPrefix != "" {
		opts = append(opts, settings.WithEnvPrefix(c.envPrefix))
	}
	if c.noEnv {
		return append(opts, settings.WithoutEnv(), conf.WithRuntimeSecret()), nil
	}
	var environ []string
	if env == nil {
		env = os.LookupEnv
		environ = os.Environ()
	}
	if c.envFile != "" {
		vars, order, err := readEnvFile(c.envFile)
		if err != nil {
			return nil, fmt.Errorf("--env-file: %w", err)
		}
		base := env
		env = func(k string) (string, bool) {
			if v, ok := vars[k]; ok {
				return v, true
			}
			return base(k)
		}
		for _, k := range order {
			environ = append(environ, k+"="+vars[k])
		}
	}
	// One entry per name, with the value the lookup sees.
	seen := map[string]bool{}
	var list []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if seen[k] {
			continue
		}
		seen[k] = true
		if v, ok := env(k); ok {
			list = append(list, k+"="+v)
		}
	}
	return append(opts, conf.WithEnviron(list), conf.WithEnvLookup(env)), nil
}

// readEnvFile reads NAME=VALUE lines; blank lines and # comments are
// skipped, "export " prefixes and surrounding quotes are removed.
func readEnvFile(path string) (map[string]string, []string, error) {
	data, err := conf.ReadRegular(path, conf.MaxConfigSize)
	if err != nil {
		return nil, nil, err
	}
	vars := map[string]string{}
	var order []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, conf.MaxConfigSize)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, nil, fmt.Errorf("%s:%d: expected NAME=VALUE", path, n)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if _, dup := vars[k]; !dup {
			order = append(order, k)
		}
		vars[k] = v
	}
	return vars, order, sc.Err()
}
