#!/usr/bin/env bash
# A local PostgreSQL for the sync server's tests: installs Debian's `postgresql` if missing, starts a cluster,
# creates a role and a database, and prints the connection URL (the only line on stdout; progress goes to stderr).
#
#   export MRC_TEST_POSTGRES_URL="$(scripts/postgres.sh)"
#
# Idempotent: a running cluster, an existing role or database are reused. Runs as root (CI and the dev machines
# are root); the cluster itself runs as the `postgres` user. Settings: MRC_PG_USER, MRC_PG_PASSWORD, MRC_PG_DB.
set -euo pipefail

user="${MRC_PG_USER:-mrc}"
password="${MRC_PG_PASSWORD:-mrc}"
db="${MRC_PG_DB:-mrc_test}"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "run as root (it installs packages and starts the cluster as the postgres user)"
    exit 1
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    log "installing postgresql"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version="$(basename "$(dirname "$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")")")"

# Debian's cluster tools: use the `main` cluster of the newest version, creating it if the package did not.
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    log "creating cluster $version/main"
    pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    log "starting cluster $version/main"
    pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"

for _ in $(seq 1 50); do
    if runuser -u postgres -- pg_isready -q -p "$port"; then break; fi
    sleep 0.2
done
runuser -u postgres -- pg_isready -q -p "$port" || { log "the cluster does not answer on port $port"; exit 1; }

psql_admin() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != "1" ]; then
    log "creating role $user"
    psql_admin -c "CREATE ROLE \"$user\" LOGIN PASSWORD '$password'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    log "creating database $db"
    psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$user\"" >&2
fi

echo "postgresql://$user:$password@127.0.0.1:$port/$db"
