# Sourced by scripts/test.sh: gives the browser tests (package webtest) a
# headless Chromium.
#
# When VIGIL_CHROMIUM is set, it is used as it is. Otherwise, when
# /usr/bin/chromium is missing and we are root, this installs Debian's
# chromium and fonts-liberation (about 10 s after apt-get update), and
# exports VIGIL_CHROMIUM. When it cannot, it says why and carries on: the
# browser tests then skip, naming what is missing. Nothing runs in the
# background, so nothing is pushed onto cleanups.

need_chromium() {
  local say=${1:-echo}
  if [[ -n ${VIGIL_CHROMIUM:-} ]]; then
    $say "chromium: using VIGIL_CHROMIUM=$VIGIL_CHROMIUM as given"
    return 0
  fi
  local bin=/usr/bin/chromium
  if [[ ! -x $bin ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      $say "chromium: installing chromium fonts-liberation"
      if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation; } >/tmp/vigil-need-chromium-apt.log 2>&1; then
        $say "chromium: apt-get install chromium failed (see /tmp/vigil-need-chromium-apt.log)"
      fi
    else
      $say "chromium: $bin missing and not root: install it (apt-get install chromium fonts-liberation)"
    fi
  fi
  if [[ ! -x $bin ]]; then
    $say "chromium: no $bin: the browser tests will skip"
    return 0
  fi
  $say "chromium: $($bin --version 2>/dev/null || echo "$bin")"
  export VIGIL_CHROMIUM=$bin
}

if declare -F say >/dev/null; then need_chromium say; else need_chromium; fi
