#!/bin/bash
# test_torture.sh - the SIP robustness suite: the RFC 4475 torture
# messages and a few hundred hostile ones of our own over UDP and TCP
# (whole and cut short), the 4527 PROTOS c07-sip cases over UDP, and
# slow-loris TCP connections. Checked answer by answer
# (tests/lib/sip_torture.py):
# - each of the 50 RFC 4475 files, on a socket of its own, gets an
#   answer the RFC's text allows for it, or none where that is right
#   (tests/lib/rfc4475_answers.py; responses in the corpus get nothing);
# - each PROTOS INVITE gets a 4xx refusal (or 505) or nothing, never a
#   lone 1xx, a 2xx, 3xx, other 5xx or 6xx;
# - no unauthenticated INVITE, REGISTER, SUBSCRIBE, MESSAGE or REFER gets
#   a 2xx; 24 malformed or misplaced requests of our own get exactly the
#   answer RFC 3261 gives them (or none);
# afterwards the daemon is still there (and, in the sanitizer build,
# reported nothing) and a phone still registers and calls.
. "$(dirname "$0")/../lib/common.sh"
test_init "SIP robustness: torture, PROTOS and hostile messages"

CORPORA=$SRC_ROOT/../shared/sip-corpora
[ -d "$CORPORA" ] || CORPORA=/work/shared/sip-corpora
[ -d "$CORPORA/rfc4475" ] || { info "SKIP: no SIP corpora at $CORPORA"; exit 77; }

DOM=a.test
# The suite sends thousands of requests a second from one address: the
# flood limit (tests/sip/test_flood.sh) would answer most of them 503
# before the parser and the handlers they are meant to try.
ONDO_EXTRA_CONF=$'[security]\nreq_rate = 0'
start_ondo
provision tenant add ta "$DOM"
provision ext add "$DOM" 1001 --password pw-1001-torture
provision ext add "$DOM" 1002 --password pw-1002-torture
# Most RFC 4475 messages are for example.com: served here (with no
# extensions), they get the answer a phone's request would get, not 404.
provision tenant add tex example.com

if out=$(timeout 100 "$PYTHON" "$TESTS_LIB/sip_torture.py" --port "$ONDO_SIP_PORT" \
	--domain "$DOM" --rfc4475 "$CORPORA/rfc4475" --own --exact --tcp --slow 20 \
	--protos "$CORPORA/protos-c07-sip/c07-sip-r2-testcases.zip" 2>&1); then
	pass "every request answered as the RFCs allow, none let through:$(echo; sed 's/^/       /' <<<"$out")"
else
	fail "a request was answered otherwise than the RFCs allow (or let through):$(echo; sed 's/^/       /' <<<"$out")"
fi
check "the daemon is still running" kill -0 "$ONDO_PID"
check "it still answers its control socket" ondoctl calls

# A phone still registers and calls.
u=$(free_port)
mu=$(free_port_range 4)
sipp_register reg1002 "$u" 1002 pw-1002-torture 300 || fail "1002 cannot register after the torture"
sipp_bg uas uas_answer.xml -p "$u" -mp "$mu"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"
sipp_run uac uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 1002 -au 1001 -ap pw-1001-torture
check "1001 still calls 1002 after the torture ($(sipp_codes uac))" [ "$SIPP_RC" -eq 0 ]
sipp_wait uas
stop_ondo
finish
