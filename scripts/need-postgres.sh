# Sourced by scripts/test.sh: gives the tests a PostgreSQL server.
#
# When VIGIL_TEST_POSTGRES is set, it is used as it is. Otherwise this
# installs PostgreSQL 15 and PostGIS 3 from Debian when they are missing and
# we are root, starts a private cluster in a temporary directory on a free
# port (fsync off: the data is thrown away), creates the database vigil_test
# (with PostGIS when it is installed), exports VIGIL_TEST_POSTGRES and pushes
# the command that stops the cluster and removes its directory onto the
# caller's cleanups array. When it cannot, it says why and carries on: the
# PostgreSQL tests then skip, naming what is missing.
#
# By hand: `cleanups=(); source scripts/need-postgres.sh`, then run the tests,
# then `eval "${cleanups[-1]}"`.

need_postgres() {
  local say=${1:-echo}
  if [[ -n ${VIGIL_TEST_POSTGRES:-} ]]; then
    $say "postgres: using VIGIL_TEST_POSTGRES as given"
    return 0
  fi
  local bin=/usr/lib/postgresql/15/bin
  local want=()
  [[ -x $bin/initdb ]] || want+=(postgresql-15)
  [[ -e /usr/share/postgresql/15/extension/postgis.control ]] || want+=(postgresql-15-postgis-3)
  if ((${#want[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      $say "postgres: installing ${want[*]}"
      if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}"; } >/tmp/vigil-need-postgres-apt.log 2>&1; then
        $say "postgres: apt-get install ${want[*]} failed (see /tmp/vigil-need-postgres-apt.log)"
      fi
    else
      $say "postgres: ${want[*]} missing and not root: install them (apt-get install ${want[*]})"
    fi
  fi
  if [[ ! -x $bin/initdb ]]; then
    $say "postgres: no PostgreSQL 15 server ($bin/initdb): the PostgreSQL tests will skip"
    return 0
  fi
  local run=()
  if [[ $(id -u) == 0 ]]; then
    # initdb refuses root: the cluster runs as the postgres user.
    if ! id postgres >/dev/null 2>&1; then
      $say "postgres: running as root and there is no postgres user: the PostgreSQL tests will skip"
      return 0
    fi
    run=(runuser -u postgres --)
  fi
  local root port
  root=$(mktemp -d /tmp/vigil-pg.XXXXXX)
  chmod 755 "$root"
  [[ $(id -u) == 0 ]] && chown postgres: "$root"
  # A free port: ask the kernel for one, then let the server take it.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  if ! "${run[@]}" "$bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1; then
    $say "postgres: initdb failed (see $root/initdb.log): the PostgreSQL tests will skip"
    return 0
  fi
  if ! "${run[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/log" -w -t 30 \
    -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
    $say "postgres: the server did not start (see $root/log): the PostgreSQL tests will skip"
    return 0
  fi
  cleanups+=("${run[*]} $bin/pg_ctl -D $root/data -m immediate -w stop >/dev/null 2>&1; rm -rf $root")
  local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
  if ! "${psql[@]}" -d postgres -c "CREATE DATABASE vigil_test" >/dev/null; then
    $say "postgres: could not create the database: the PostgreSQL tests will skip"
    return 0
  fi
  if "${psql[@]}" -d vigil_test -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null 2>&1; then
    $say "postgres: PostgreSQL 15 with PostGIS on 127.0.0.1:$port"
  else
    $say "postgres: PostgreSQL 15 without PostGIS on 127.0.0.1:$port"
  fi
  export VIGIL_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/vigil_test?sslmode=disable"
}

if declare -F say >/dev/null; then need_postgres say; else need_postgres; fi
