// Package data embeds the data files vigil ships: the actor dictionary and
// the demo case. Each file is documented where it lies; NOTICE names the
// origin and licence of anything derived from third-party data.
package data

import "embed"

// Files holds the shipped data files.
//
//go:embed actors.json demo extract
var Files embed.FS
