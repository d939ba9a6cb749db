package settings

import (
	"fmt"
	"os"
	"runtime"
)

// loosePerm are the permission bits that let group or others read or
// write a file.
const loosePerm os.FileMode = 0o077

// secretKeys are the settings whose file must be private.
var secretKeys = []string{"session.secret", "session.secret_fallbacks", "session.redis.password"}

// noteMode records the permission bits of a file read.
func (l *loader) noteMode(path string, fi os.FileInfo) {
	if l.modes == nil {
		l.modes = map[string]os.FileMode{}
	}
	l.modes[path] = fi.Mode().Perm()
}

// checkSecretPerms warns once per file that holds an effective secret
// (SESSION_SECRET_FILE, or the configuration file a secret comes from)
// while group or others may read or write it. Windows has no such bits.
func (l *loader) checkSecretPerms(origins map[string]orig) {
	if runtime.GOOS == "windows" {
		return
	}
	reported := map[string]bool{}
	for _, key := range secretKeys {
		o, ok := origins[key]
		if !ok {
			continue
		}
		var path string
		switch o.kind {
		case fromFile:
			path = o.pos.File
		case fromEnv:
			if key == "session.secret" && l.secretFile != "" && o.env == envName(l.EnvPrefix, key)+"_FILE" {
				path = l.secretFile
			}
		}
		mode, ok := l.modes[path]
		if !ok || mode&loosePerm == 0 || reported[path] {
			continue
		}
		reported[path] = true
		l.add(codeSecretFilePerm.diag(displayKey(key, o), o, fmt.Sprintf(
			"%s holds the secret but group or others may read or write it (mode %04o); restrict it: chmod 600 %s", path, mode, path)))
	}
}
