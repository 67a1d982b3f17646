#!/usr/bin/env bash
# Makes a private CA and the certificates for mutual TLS between Temporal and its clients, as
# docker-compose.yml mounts them (docs/SECURITY.md, "Trust boundary and deployment hardening").
#
#   bash scripts/temporal-certs.sh [DIR]     # DIR defaults to deploy/temporal-certs
#
# DIR is made 0700 and is the only protection of the keys: each container mounts just its own
# certificate and key (the images run as their own users, so the keys are 0644 inside DIR); the
# CA's key stays 0600 and is mounted nowhere. An existing DIR is left alone: remove it to make new
# certificates (then restart the stack). TEMPORAL_TLS_SERVER_NAME (default "temporal") is the
# name in the server's certificate; CERT_DAYS (default 397) their lifetime.
set -euo pipefail

dir="${1:-deploy/temporal-certs}"
server_name="${TEMPORAL_TLS_SERVER_NAME:-temporal}"
days="${CERT_DAYS:-397}"
clients=(avlasta temporal-ui temporal-admin)

command -v openssl >/dev/null || { echo "ERROR: openssl is needed (apt-get install openssl)" >&2; exit 1; }
if [[ -e "$dir/ca.pem" ]]; then
  echo "$dir already has certificates; remove the folder to make new ones" >&2
  exit 1
fi
mkdir -p "$dir"
chmod 0700 "$dir"
cd "$dir"

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

new_key ca
openssl req -x509 -new -key ca.key -out ca.pem -days "$days" -subj "/CN=Avlasta Temporal CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# issue NAME EXTENDED-KEY-USAGE [SUBJECT-ALT-NAMES]
issue() {
  local name="$1" usage="$2" san="${3:-}"
  new_key "$name"
  openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$name"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$usage"
    [[ -n "$san" ]] && echo "subjectAltName=$san"
  } >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm "$name.csr" "$name.ext"
  chmod 0644 "$name.key" "$name.pem"
}

# The server also dials its own nodes (internode), so its certificate serves both ends.
issue server "serverAuth,clientAuth" "DNS:$server_name,DNS:localhost,IP:127.0.0.1"
for client in "${clients[@]}"; do issue "$client" clientAuth; done
chmod 0600 ca.key
rm -f ca.srl
echo "certificates for Temporal ($server_name) and ${clients[*]} in $dir"
