#!/bin/bash
# Runs once, after postgres-init.sql, when the postgres container initialises an empty data volume
# (docker-compose.yml mounts it into /docker-entrypoint-initdb.d). One runtime role per service:
# it logs in, owns nothing, is no superuser and cannot bypass row-level security. Migrations run
# as postgres (the owner) and grant these roles DML on their service's tables after every run.
# Passwords come from CIT_DB_PASSWORD_<SERVICE> (required; the services' DATABASE_URL carries the
# same value, so it must be URL-safe: A-Z a-z 0-9 . _ ~ -, at least 16 characters).
set -euo pipefail

for service in intake triage referral conference followup; do
  variable="CIT_DB_PASSWORD_${service^^}"
  password="${!variable:-}"
  if [[ ! "$password" =~ ^[A-Za-z0-9._~-]{16,}$ ]]; then
    echo "postgres-init-roles: $variable must be 16 or more of A-Z a-z 0-9 . _ ~ -" >&2
    exit 1
  fi
  # psql interpolates :'password' as a quoted literal (stdin scripts only, not -c).
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$password" << SQL
CREATE ROLE cit_${service} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
done
