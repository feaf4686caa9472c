#!/usr/bin/env bash
# Runs vigil's whole test suite: formatting, go vet, and every test with the
# race detector. Whatever the tests need that the machine lacks, this script
# installs (as root, with apt-get) or the test skips saying what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

command -v go >/dev/null || { echo "test: Go is not installed (https://go.dev/dl/)" >&2; exit 1; }

# Services the tests need (a PostgreSQL server, Chromium): each
# scripts/need-*.sh installs and starts what it can, exports the variable its
# tests read, and pushes the command that stops it onto cleanups, run on exit.
cleanups=()
cleanup() { local i; for ((i=${#cleanups[@]}-1; i>=0; i--)); do eval "${cleanups[i]}" || true; done; }
trap cleanup EXIT
for need in scripts/need-*.sh; do
  [[ -f $need ]] && source "$need"
done

say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
if [[ -n $unformatted ]]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi

say "go vet"
go vet ./...

# bench/ncruces is a module of its own (it measures a second SQLite driver
# that vigil's build does not need): vet and test it on its own.
say "bench/ncruces"
(cd bench/ncruces && go vet ./... && go test -count=1 ./...)

# The race detector runs on every package but the CLI's end-to-end tests,
# which drive the same code (already raced in its own packages) through
# whole imports and run ten times slower under it.
say "go test -race (all packages but cmd/vigil)"
go test -race -count=1 -timeout 20m $(go list ./... | grep -v '/cmd/vigil$')

say "go test (cmd/vigil, end to end)"
go test -count=1 -timeout 20m ./cmd/vigil
