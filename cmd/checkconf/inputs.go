package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/settings"
)

// envOnlyName names the report of a check without FILE.
const envOnlyName = "<environment>"

// check loads every input and returns one report per input (one in all
// with --merge, or for the environment alone).
func check(c *config, stdin io.Reader, envOpts []settings.LoadOption) ([]report, error) {
	if countStdin(c.files) > 1 {
		return nil, errors.New("- (stdin) may be given only once")
	}
	opts := slices.Clone(envOpts)
	if c.section != "" {
		opts = append(opts, settings.WithSection(c.section))
	}
	if len(c.sets) > 0 {
		opts = append(opts, settings.WithOverrides(c.sets...))
	}
	if c.pyramid {
		opts = append(opts, settings.WithPyramid())
	}
	opts = append(opts, conf.WithDialect(c.dialect))

	if len(c.files) == 0 {
		return []report{load(c, envOnlyName, nil, opts)}, nil
	}
	var ins []any
	for _, f := range c.files {
		in, err := input(c, f, stdin)
		if err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	if c.merge {
		mopts := slices.Clone(opts)
		for _, in := range ins[1:] {
			mopts = append(mopts, asOption(in))
		}
		return []report{load(c, strings.Join(displayNames(c.files), " + "), ins[0], mopts)}, nil
	}
	var reports []report
	for i, in := range ins {
		reports = append(reports, load(c, displayNames(c.files)[i], in, opts))
	}
	return reports, nil
}

// load runs settings.Load on one input.
func load(c *config, name string, in any, opts []settings.LoadOption) report {
	var rep conf.Report
	res, _ := settings.Load(in, append(slices.Clone(opts), conf.WithReport(&rep))...)
	r := report{name: name, res: res}
	for _, d := range res.Diagnostics {
		if d.Code == codeUnreadable {
			r.unreadable = true
		}
	}
	if c.show && !r.unreadable {
		r.show = effective(&rep)
	}
	return r
}

// asOption layers an input after the first one.
func asOption(in any) settings.LoadOption {
	switch x := in.(type) {
	case string:
		return settings.WithFiles(x)
	case conf.Source:
		return conf.WithSources(x)
	}
	return func(*conf.Config) {}
}

// input turns a FILE argument into a Load input: a path, or a Source for
// stdin and for files read with an explicit --input-format.
func input(c *config, f string, stdin io.Reader) (any, error) {
	if f == "-" {
		data, err := conf.ReadLimited(stdin, "<stdin>", conf.MaxConfigSize)
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		return conf.Source{Name: "<stdin>", Format: c.inputFormat, Data: data}, nil
	}
	if c.inputFormat == "" {
		return f, nil
	}
	data, err := conf.ReadRegular(f, conf.MaxConfigSize)
	if err != nil {
		return f, nil // Load reports it as unreadable, with the reason
	}
	return conf.Source{Name: f, Format: c.inputFormat, Data: data}, nil
}

func displayNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		if f == "-" {
			f = "<stdin>"
		}
		out[i] = f
	}
	return out
}

func countStdin(files []string) int {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	return n
}
