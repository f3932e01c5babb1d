#!/bin/sh
# Certificates for docker-compose's Kafka (SASL_SSL listeners), made with openssl:
#   infra/kafka/make-certs.sh [--force] [--out DIR]      (default DIR: .local/kafka-certs)
#
#   ca.pem               the CA the services and tools trust (KAFKA_SSL_CA)
#   ca.key               the CA's private key: keep it, or delete it once the broker cert is made
#   kafka.keystore.pem   the broker's private key and certificate (CN kafka; SAN kafka, localhost, 127.0.0.1)
#
# Never committed (.local/ is ignored). A deployment uses certificates from its own PKI: the broker
# needs a PEM keystore and the clients the CA bundle, as below. Existing files are kept unless --force.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.local/kafka-certs"
force=no
days=${CIT_KAFKA_CERT_DAYS:-825}
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--force] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

command -v openssl > /dev/null || { echo "make-certs: openssl is required" >&2; exit 1; }
if [ -f "$out/kafka.keystore.pem" ] && [ "$force" = no ]; then
  echo "make-certs: $out already holds certificates (--force makes new ones)"
  exit 0
fi
umask 077
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days "$days" \
  -subj "/O=CIT Platform/CN=CIT Platform local Kafka CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2> /dev/null

openssl req -newkey rsa:3072 -sha256 -nodes -subj "/O=CIT Platform/CN=kafka" \
  -keyout "$tmp/kafka.key" -out "$tmp/kafka.csr" 2> /dev/null
cat > "$tmp/kafka.ext" << 'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:kafka,DNS:localhost,IP:127.0.0.1
EXT
openssl x509 -req -sha256 -days "$days" -in "$tmp/kafka.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
  -CAcreateserial -extfile "$tmp/kafka.ext" -out "$tmp/kafka.pem" 2> /dev/null

# Kafka's PEM keystore: the unencrypted PKCS#8 key, then the certificate chain.
openssl pkcs8 -topk8 -nocrypt -in "$tmp/kafka.key" > "$tmp/kafka.keystore.pem"
cat "$tmp/kafka.pem" "$tmp/ca.pem" >> "$tmp/kafka.keystore.pem"
openssl verify -CAfile "$tmp/ca.pem" "$tmp/kafka.pem" > /dev/null

mv "$tmp/ca.pem" "$tmp/ca.key" "$tmp/kafka.keystore.pem" "$out/"
# The broker container runs as uid 1000 (appuser) and the tools as node (1000): readable by that uid.
chmod 0755 "$out"
chmod 0644 "$out/ca.pem"
chmod 0600 "$out/ca.key"
chmod 0640 "$out/kafka.keystore.pem"
if [ "$(id -u)" = 0 ]; then chown 1000:1000 "$out/kafka.keystore.pem"; fi
echo "make-certs: wrote $out/ca.pem, ca.key, kafka.keystore.pem (valid $days days)"
