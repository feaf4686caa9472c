# Sourced by scripts/test.sh: checks that the committed build of the web UI
# (web/dist, embedded in the binary) is what its sources build to.
#
# When npm is present, this runs `npm ci && npm run build` in web/ and fails
# the run when git sees web/dist differ from what is committed: rebuild (see
# README.md, "Web UI") and commit the result. Without npm it says so and the
# committed build is tested as it is. (That the map's boundaries in
# web/public match the gazetteer's units is a test of web/boundgen.)

need_web() {
  local say=${1:-echo}
  if ! command -v npm >/dev/null; then
    $say "web: npm not found: testing the committed web/dist as it is"
    return 0
  fi
  $say "web: npm ci && npm run build (web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error >/tmp/vigil-need-web-npm.log 2>&1 && npm run build >>/tmp/vigil-need-web-npm.log 2>&1) || {
    $say "web: the build failed (see /tmp/vigil-need-web-npm.log)"
    return 1
  }
  if ! git diff --quiet --exit-code -- web/dist || [[ -n $(git status --porcelain --untracked-files=all -- web/dist) ]]; then
    $say "web: the committed web/dist is stale; rebuild it (cd web && npm ci && npm run build) and commit it:"
    git status --short -- web/dist
    return 1
  fi
  $say "web: web/dist is what its sources build to"
}

if declare -F say >/dev/null; then need_web say || exit 1; else need_web; fi
