#!/bin/bash
# test_https.sh - the web listener with [http] cert and key: HTTPS only,
# TLS 1.2 and 1.3 (1.1 refused), and the session cookie marked Secure.
. "$(dirname "$0")/../lib/common.sh"
test_init "REST API over HTTPS"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" 2>/dev/null ||
	fatal "openssl could not make a certificate"
ONDO_EXTRA_CONF="[http]
cert = $T_DIR/cert.pem
key = $T_DIR/key.pem"
start_ondo
provision tenant add A a.test
provision user add adma --role admin --tenant a.test --password adma-pass-1
URL=https://127.0.0.1:$ONDO_HTTP_PORT

check "the log says https" grep -q "web panel and API on https://" "$ONDO_LOG"
hdrs=$(curl -s --cacert "$T_DIR/cert.pem" -D - -o "$T_DIR/body" \
	-H 'Content-Type: application/json' \
	-d '{"username":"adma","password":"adma-pass-1"}' "$URL/api/v1/login")
if grep -q '^HTTP/1.1 200' <<<"$hdrs" && grep -qi '^set-cookie:.*; Secure' <<<"$hdrs"; then
	pass "log-in over HTTPS (the certificate checked) sets a Secure cookie"
else
	fail "log-in over HTTPS: $hdrs $(cat "$T_DIR/body")"
fi
# handshake VERSION: 0 if a client offering only that version (and,
# past the client's own defaults, any cipher) completes a handshake.
handshake() {
	openssl s_client -connect "127.0.0.1:$ONDO_HTTP_PORT" "-$1" \
		-cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$T_DIR/s_client.$1" 2>&1 &&
		grep -q '^New, TLSv1' "$T_DIR/s_client.$1"
}
check "a TLS 1.2 client completes the handshake" handshake tls1_2
check "a TLS 1.3 client completes the handshake" handshake tls1_3
if handshake tls1_1; then
	fail "a TLS 1.1 client was served: $(grep -m1 '^New, ' "$T_DIR/s_client.tls1_1")"
else
	pass "a TLS 1.1 client is refused"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$ONDO_HTTP_PORT/" || true)
check "plain HTTP to the HTTPS port gets no page (got '$code')" [ "$code" != 200 ]
stop_ondo
finish
