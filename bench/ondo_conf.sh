#!/bin/bash
# bench/ondo_conf.sh DIR SIP_PORT HTTP_PORT RTP_WORKERS DOMAIN - prints the
# daemon's config for the SIP benchmarks (run.sh, mem.sh): loopback, the
# files under DIR, RTP ports 20000-40000, warnings only, flood limits off.
[ $# -eq 5 ] || { echo "usage: ondo_conf.sh DIR SIP_PORT HTTP_PORT RTP_WORKERS DOMAIN" >&2; exit 2; }
cat <<EOC
[sip]
listen = 127.0.0.1:$2
default_tenant = $5
[rtp]
ports = 20000-40000
workers = $4
[db]
path = $1/ondo.db
[spool]
dir = $1/spool
[ctl]
socket = $1/ondo.sock
[log]
level = warn
[http]
listen = 127.0.0.1:$3
[security]
; The load generator is one address sending thousands of requests a
; second: the flood limits would measure themselves (docs/security.md).
req_rate = 0
invite_rate = 0
EOC
