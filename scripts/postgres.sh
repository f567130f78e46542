#!/usr/bin/env bash
# Starts the local PostgreSQL cluster if it is stopped, makes sure the test role exists (CREATEDB, so
# pytest-django can create its test database) and prints the DATABASE_URL to use.
set -euo pipefail
ROLE=buenaspracticas
PASSWORD=buenaspracticas
DB=buenaspracticas
if [ -n "${DATABASE_URL_PG:-}" ]; then echo "$DATABASE_URL_PG"; exit 0; fi
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
if [ -z "$version" ]; then echo "postgres.sh: no PostgreSQL cluster (run scripts/system-deps.sh)" >&2; exit 1; fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qAt" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL
su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1 \
  || su postgres -c "createdb -O $ROLE $DB" >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$port/$DB"
