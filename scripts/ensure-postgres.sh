#!/usr/bin/env bash
# Starts the local PostgreSQL cluster when it is not running, and makes sure
# the tests can sign in as postgres/postgres over TCP on 127.0.0.1:5432.
# Tests create (and drop) a database of their own each.
set -euo pipefail

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  echo "==> creating PostgreSQL $version cluster"
  pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  echo "==> starting PostgreSQL $version"
  pg_ctlcluster "$version" main start
fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
for _ in $(seq 1 30); do
  as_postgres "psql -qAtc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
as_postgres "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
