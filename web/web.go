// Package web holds vigil's web UI as vite builds it (dist/, committed, so
// that the Go build needs no Node). The source is beside it in src/; see
// README.md's "Web UI" section for rebuilding.
package web

import (
	"embed"
	"io/fs"
)

//go:generate go run ./boundgen -out public

//go:embed all:dist
var dist embed.FS

// Dist returns the built UI: index.html at its root, scripts and styles
// under assets/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded: it is always there
	}
	return sub
}
