#!/usr/bin/env bash
# Makes a PostgreSQL server on 127.0.0.1 ready for the storage tests, and prints the line to eval:
#   eval "$(.ci/postgres.sh)"   →   export JINKA_POSTGRES='Host=127.0.0.1;...'
# Idempotent: installs Debian's postgresql only when missing, creates the cluster, role and database only once,
# starts the cluster only when it is down. Everything but the export line goes to stderr.
set -euo pipefail

port="${JINKA_POSTGRES_PORT:-5432}"
role=jinka
password=jinka
database=jinka_test

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "postgres.sh: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Another apt may hold the lock (the CI installs several packages): wait for it rather than fail.
    for _ in $(seq 1 60); do
        if as_root apt-get install -y -q postgresql >&2 2>&1; then break; fi
        as_root apt-get update -q >&2 || true
        sleep 5
    done
fi

version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    echo "postgres.sh: creating cluster $version/main" >&2
    as_root pg_createcluster "$version" main >&2
fi

# Settings in a conf.d drop-in (Debian's postgresql.conf includes conf.d), rewritten each run; a change of
# address or port needs a restart, so remember what the running cluster was started with.
conf="/etc/postgresql/$version/main/conf.d/jinka.conf"
wanted="listen_addresses = '127.0.0.1'
port = $port
max_connections = 200"
restart=no
if [ "$(cat "$conf" 2>/dev/null || true)" != "$wanted" ]; then
    printf '%s\n' "$wanted" | as_root tee "$conf" >/dev/null
    as_root chown postgres:postgres "$conf"
    restart=yes
fi

status="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }')"
if [ "$status" != "online" ]; then
    echo "postgres.sh: starting cluster $version/main on 127.0.0.1:$port" >&2
    as_root pg_ctlcluster "$version" main start >&2
elif [ "$restart" = yes ]; then
    as_root pg_ctlcluster "$version" main restart >&2
fi

for _ in $(seq 1 30); do
    if as_postgres pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
    sleep 1
done

as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  END IF;
END \$\$;
SQL
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_postgres createdb -p "$port" -O "$role" "$database" >&2
fi

echo "export JINKA_POSTGRES='Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$password'"
