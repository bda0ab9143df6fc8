#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for `make pg-test` (the database layer on a real server).
#
#   scripts/postgres.sh install   apt-get install postgresql if missing (idempotent; exits 0
#                                 with a "skipped" message when it cannot be installed)
#   scripts/postgres.sh start     cluster under var/postgres, 127.0.0.1:${TROLY_PG_PORT:-55432}
#                                 only, trust auth from loopback, database ${TROLY_PG_DB:-troly06_test}
#                                 (idempotent: does nothing when it is already running)
#   scripts/postgres.sh stop      stop it (idempotent)
#   scripts/postgres.sh url       the SQLAlchemy URL of the test database
#   scripts/postgres.sh check     exit 0 when the server binaries are installed, 1 otherwise
#   scripts/postgres.sh running   exit 0 when this cluster runs, 1 otherwise (make stops only
#                                 the clusters it started)
#
# As root the cluster belongs to the `postgres` user (PostgreSQL refuses to run as root).
# Nothing listens outside loopback and there is no Unix socket. The data is disposable:
# fsync is off, `rm -rf var/postgres` (after `stop`) removes everything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${TROLY_PG_PORT:-55432}"
BASE="${TROLY_PG_DIR:-$ROOT/var/postgres}"
DATA="$BASE/data"
LOG="$BASE/postgres.log"
DB="${TROLY_PG_DB:-troly06_test}"
HOST="127.0.0.1"
SUPERUSER="postgres"

say() { echo "postgres.sh: $*"; }
die() { echo "postgres.sh: ERROR $*" >&2; exit 1; }

# Directory of the newest installed server binaries (Debian: /usr/lib/postgresql/<v>/bin).
bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
        return 0
    fi
    local initdb
    initdb="$(command -v initdb 2>/dev/null || true)"
    if [ -n "$initdb" ] && [ -x "$(dirname "$initdb")/pg_ctl" ]; then
        dirname "$initdb"
        return 0
    fi
    return 1
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$SUPERUSER" -- "$@"
    else
        "$@"
    fi
}

cmd_install() {
    if dir="$(bin_dir)"; then
        say "PostgreSQL already installed ($dir)"
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            say "skipped: not root and no password-less sudo; cannot install PostgreSQL"
            return 0
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "skipped: apt-get is not available; cannot install PostgreSQL"
        return 0
    fi
    say "installing PostgreSQL with apt-get"
    if $sudo apt-get update -qq \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    then
        if dir="$(bin_dir)"; then
            say "installed PostgreSQL ($dir)"
        else
            say "skipped: apt-get installed postgresql but no server binaries were found"
        fi
    else
        say "skipped: apt-get install postgresql failed"
    fi
    return 0
}

is_running() {
    local dir="$1"
    [ -f "$DATA/PG_VERSION" ] && as_owner "$dir/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

ready() {
    "$1/pg_isready" -q -h "$HOST" -p "$PORT" -U "$SUPERUSER" -d postgres
}

psql_c() {
    local dir="$1"
    shift
    "$dir/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$SUPERUSER" "$@"
}

ensure_database() {
    local dir="$1" exists
    exists="$(psql_c "$dir" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
    if [ "$exists" != "1" ]; then
        psql_c "$dir" -d postgres -c "CREATE DATABASE $DB ENCODING 'UTF8' TEMPLATE template0"
        say "created database $DB"
    fi
}

init_cluster() {
    local dir="$1"
    mkdir -p "$BASE"
    if [ "$(id -u)" -eq 0 ]; then
        id "$SUPERUSER" >/dev/null 2>&1 || die "no '$SUPERUSER' user to own the cluster"
        chown "$SUPERUSER:" "$BASE"
        as_owner test -w "$BASE" \
            || die "$SUPERUSER cannot write $BASE (a parent folder is not traversable)"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "initdb $DATA"
        # C collation: text sorts byte-wise, as in SQLite
        as_owner "$dir/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust -E UTF8 --locale=C \
            >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; die "initdb failed"; }
        as_owner tee "$DATA/pg_hba.conf" >/dev/null <<'EOF'
# troly06 throw-away cluster: loopback TCP only, no password (trust)
host    all             all             127.0.0.1/32            trust
EOF
        echo "include_if_exists = 'troly.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
    fi
    # rewritten at every start, so TROLY_PG_PORT may change between runs
    as_owner tee "$DATA/troly.conf" >/dev/null <<EOF
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
}

cmd_start() {
    local dir
    dir="$(bin_dir)" || die "PostgreSQL is not installed (run: scripts/postgres.sh install)"
    if is_running "$dir"; then
        say "already running on $HOST:$PORT ($DATA)"
        ready "$dir" || die "the cluster runs but does not answer on $HOST:$PORT"
        ensure_database "$dir"
        return 0
    fi
    init_cluster "$dir"
    if ready "$dir"; then
        die "another server already answers on $HOST:$PORT (set TROLY_PG_PORT)"
    fi
    say "starting $("$dir/postgres" --version) on $HOST:$PORT"
    as_owner "$dir/pg_ctl" start -W -D "$DATA" -l "$LOG" >/dev/null
    # poll with pg_isready (up to 60 s); give up early when the postmaster has exited
    local tries=0
    until ready "$dir"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 600 ] \
            || { [ "$tries" -gt 20 ] && ! as_owner "$dir/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }
        then
            tail -n 20 "$LOG" >&2 || true
            die "the server did not become ready on $HOST:$PORT (log: $LOG)"
        fi
        sleep 0.1
    done
    ensure_database "$dir"
    say "ready: $(cmd_url)"
}

cmd_stop() {
    local dir
    if ! dir="$(bin_dir)" || ! is_running "$dir"; then
        say "not running"
        return 0
    fi
    as_owner "$dir/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    say "stopped"
}

cmd_url() {
    echo "postgresql+psycopg://$SUPERUSER@$HOST:$PORT/$DB"
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    check) bin_dir >/dev/null ;;
    running) { dir="$(bin_dir)" && is_running "$dir"; } || exit 1 ;;
    *)
        echo "usage: $0 install|start|stop|url|check|running" >&2
        exit 2
        ;;
esac
