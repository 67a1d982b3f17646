#!/usr/bin/env bash
# Creates Avlasta's two PostgreSQL roles, run once by a superuser:
#   owner (AVLASTA_OWNER_ROLE, default avlasta_owner): creates and owns the schema; runs
#         `avlasta db migrate --grant-to <app role>` and nothing else.
#   app   (AVLASTA_APP_ROLE, default avlasta_app): what the workers and the server connect as; may
#         only SELECT and INSERT the audit log (migrate grants that), so no bug or stolen password
#         in the application can rewrite it.
# docker-compose.yml runs this as an initdb script of the postgres image; by hand:
#   PGHOST=db.example PGUSER=postgres AVLASTA_OWNER_PASSWORD=… AVLASTA_APP_PASSWORD=… bash deploy/postgres-init/20-avlasta-roles.sh
set -euo pipefail
: "${AVLASTA_DB:=avlasta}" "${AVLASTA_OWNER_ROLE:=avlasta_owner}" "${AVLASTA_APP_ROLE:=avlasta_app}"
: "${AVLASTA_OWNER_PASSWORD:?set AVLASTA_OWNER_PASSWORD}" "${AVLASTA_APP_PASSWORD:?set AVLASTA_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-${PGUSER:-postgres}}" --dbname "${POSTGRES_DB:-postgres}" \
  -v db="$AVLASTA_DB" -v owner="$AVLASTA_OWNER_ROLE" -v app="$AVLASTA_APP_ROLE" \
  -v owner_pw="$AVLASTA_OWNER_PASSWORD" -v app_pw="$AVLASTA_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'owner_pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app', :'app_pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE DATABASE %I', :'db')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('GRANT CONNECT, CREATE ON DATABASE %I TO %I', :'db', :'owner') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'app') \gexec
SQL
