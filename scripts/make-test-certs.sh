#!/usr/bin/env bash
# Regenerates the test PKI in test/fixtures/tls (committed; valid for 100 years): a test CA, a server certificate
# for 127.0.0.1 / 127.0.0.2 / ::1 / localhost / vendor.test signed by it, a client certificate (PEM, encrypted PEM
# and PKCS#12, passphrase "fixture-pass"), and an unrelated CA that must NOT be trusted. Run from the repo root.
set -euo pipefail
d=test/fixtures/tls
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
days=36500
pass=fixture-pass
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca-key.pem" -out "$d/ca-cert.pem" -days $days \
  -subj "/CN=API Auth Explorer Test CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/other-ca-key.pem" -out "$d/other-ca-cert.pem" -days $days \
  -subj "/CN=Unrelated Test CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
sign() { # name subject extfile-lines
  openssl req -newkey rsa:2048 -nodes -keyout "$d/$1-key.pem" -out "$t/$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" >"$t/$1.ext"
  openssl x509 -req -in "$t/$1.csr" -CA "$d/ca-cert.pem" -CAkey "$t/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
    -days $days -extfile "$t/$1.ext" -out "$d/$1-cert.pem" 2>/dev/null
}
sign server "/CN=vendor.test" "subjectAltName=DNS:vendor.test,DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:::1
extendedKeyUsage=serverAuth"
sign client "/CN=api-auth-test-client" "extendedKeyUsage=clientAuth"
openssl pkey -in "$d/client-key.pem" -aes256 -passout "pass:$pass" -out "$d/client-key-encrypted.pem"
openssl pkcs12 -export -in "$d/client-cert.pem" -inkey "$d/client-key.pem" -passout "pass:$pass" -out "$d/client.pfx"
echo "test PKI written to $d"
