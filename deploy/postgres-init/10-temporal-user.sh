#!/usr/bin/env bash
# Run by the postgres image once, when its volume is first made (docker-compose.yml): Temporal
# gets its own user owning its own two databases, so Avlasta's credentials open neither Temporal's
# histories nor the other way round. A volume made before this script needs it run by hand.
set -euo pipefail
: "${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal LOGIN PASSWORD :'password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;
REVOKE ALL ON DATABASE avlasta FROM PUBLIC;
SQL
