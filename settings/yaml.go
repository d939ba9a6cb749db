package settings

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sessconf/sessconf/internal/conf"
)

var yamlErrLine = regexp.MustCompile(`line (\d+)`)

// parseYAML reads session settings from YAML: a nested "session:" map,
// flat "session.secret:" keys, or a mix (a key set both ways is a
// duplicate). Scalars are kept as their source text, so an integer
// duration means seconds.
func parseYAML(src conf.Source) ([]entry, Diagnostics) {
	name := src.Name
	var doc yaml.Node
	if err := yaml.Unmarshal(src.Data, &doc); err != nil {
		line := 1
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n > 0 {
				line = n
			}
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, Diagnostics{codeSyntax.diag("", fileOrigin(name, line), "cannot parse YAML: "+msg)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil // empty document
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, Diagnostics{codeSyntax.diag("", fileOrigin(name, max(root.Line, 1)), "expected a mapping at the top of the YAML document")}
	}
	w := yamlWalker{name: name, seen: map[string]int{}}
	w.walk(root, "", 0, false)
	return w.out, w.diags
}

// Bounds of alias expansion. The walker expands aliases itself (the YAML
// library's own alias limits only apply when it decodes into Go values), so
// without them an 800-byte file of nested aliases expands to gigabytes.
const (
	maxYAMLAliases  = 1000   // alias references followed
	maxYAMLExpanded = 10_000 // mapping entries visited through aliases
)

type yamlWalker struct {
	name     string
	out      []entry
	diags    Diagnostics
	seen     map[string]int // flat key (lower-case) -> line
	aliases  int
	expanded int
	stopped  bool
}

// deref follows an alias, counting it; ok is false once the bound is hit
// (the walk then stops with one positioned error).
func (w *yamlWalker) deref(n *yaml.Node) (*yaml.Node, bool) {
	if n.Kind != yaml.AliasNode || n.Alias == nil {
		return n, true
	}
	w.aliases++
	if w.aliases > maxYAMLAliases {
		w.stop(n, fmt.Sprintf("more than %d alias references: alias expansion is bounded", maxYAMLAliases))
		return nil, false
	}
	return n.Alias, true
}

func (w *yamlWalker) stop(n *yaml.Node, msg string) {
	if !w.stopped {
		w.stopped = true
		w.diags = append(w.diags, codeSyntax.diag("", fileOrigin(w.name, max(n.Line, 1)), msg))
	}
}

// walk visits a mapping; aliased is true below an alias or merge key.
func (w *yamlWalker) walk(n *yaml.Node, path string, depth int, aliased bool) {
	if depth > 64 {
		w.diags = append(w.diags, codeSyntax.diag(path, fileOrigin(w.name, max(n.Line, 1)), "YAML nesting is too deep"))
		return
	}
	if n.Kind == yaml.AliasNode {
		var ok bool
		if n, ok = w.deref(n); !ok {
			return
		}
		aliased = true
	}
	for i := 0; i+1 < len(n.Content) && !w.stopped; i += 2 {
		if aliased {
			w.expanded++
			if w.expanded > maxYAMLExpanded {
				w.stop(n.Content[i], fmt.Sprintf("aliases expand to more than %d entries: alias expansion is bounded", maxYAMLExpanded))
				return
			}
		}
		k, ok := w.deref(n.Content[i])
		if !ok {
			return
		}
		v := n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.diags = append(w.diags, codeSyntax.diag(path, fileOrigin(w.name, max(k.Line, 1)), "mapping keys must be scalars"))
			continue
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			target, ok := w.deref(v)
			if !ok {
				return
			}
			if target.Kind == yaml.MappingNode {
				w.walk(target, path, depth+1, true)
			}
			continue
		}
		key := k.Value
		if path != "" {
			key = path + "." + key
		}
		// Only our namespaces are descended into.
		lk := strings.ToLower(key)
		if !strings.HasPrefix(prefixSession, lk+".") && !strings.HasPrefix(prefixPyNaCl, lk+".") && !strings.HasPrefix(prefixRedisSession, lk+".") &&
			!inNamespace(lk) && lk != "session" {
			continue
		}
		val, ok := w.deref(v)
		if !ok {
			return
		}
		switch val.Kind {
		case yaml.MappingNode:
			w.walk(val, key, depth+1, aliased || v != val)
		case yaml.SequenceNode:
			if aliased || v != val {
				w.expanded += len(val.Content)
				if w.expanded > maxYAMLExpanded {
					w.stop(v, fmt.Sprintf("aliases expand to more than %d entries: alias expansion is bounded", maxYAMLExpanded))
					return
				}
			}
			var items []string
			for _, use := range val.Content {
				it, ok := w.deref(use)
				if !ok {
					return
				}
				if it.Kind != yaml.ScalarNode {
					// Positioned where the item is written (an alias's use,
					// not its anchor), so repeats on one line merge.
					w.diags = append(w.diags, codeInvalidValue.diag(key, fileOrigin(w.name, max(use.Line, 1)), "list items must be scalars"))
					continue
				}
				items = append(items, scalarText(it))
			}
			w.add(key, items, k.Line)
		default:
			w.add(key, scalarText(val), k.Line)
		}
	}
}

func (w *yamlWalker) add(key string, value any, line int) {
	line = max(line, 1)
	lk := strings.ToLower(key)
	if prev, ok := w.seen[lk]; ok {
		w.diags = append(w.diags, codeDuplicateKey.diag(key, fileOrigin(w.name, line), fmt.Sprintf("already set at line %d", prev)))
		return
	}
	w.seen[lk] = line
	w.out = append(w.out, entry{raw: key, value: value, origin: fileOrigin(w.name, line)})
}

// scalarText is the source text of a scalar; null is "".
func scalarText(n *yaml.Node) string {
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}
