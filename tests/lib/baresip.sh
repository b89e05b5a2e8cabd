# shellcheck shell=bash disable=SC2034
# baresip.sh - real phones for end-to-end tests: baresip 1.0.0 run headless,
# one config dir per phone, driven through ctrl_tcp. Sourced by common.sh.
#
# What baresip 1.0.0 needs, found by trying:
# - it binds SIP/TLS on the sip_listen port + 1, so a phone takes 2 ports;
# - ctrl_tcp sends events only to the newest connection, so tests read the
#   phone's stdout (call established / terminated / registration lines)
#   and use a short connection per command;
# - sndfile.so writes dump-<time>-enc.wav (what the phone sent) and
#   dump-<time>-dec.wav (what it received and decoded) into snd_path;
# - the call ends when the aufile source reaches its end, so tone files are
#   padded with silence well past any call in a test;
# - the player is aubridge (a device of no name that nothing reads): it
#   pulls the received audio every ptime, in real time. ALSA's "null"
#   device takes it as fast as the phone can decode, which cost each
#   phone nearly a whole core and made the suite CPU-bound.

declare -A BS_DIR=() BS_SIP=() BS_CTRL=() BS_PID=() BS_NS=()

# make_tone FILE HZ: 6 s of HZ at half scale, then 24 s of silence; 8 kHz
# mono 16-bit.
make_tone() {
	sox -n -r 8000 -c 1 -b 16 "$1" synth 6 sine "$2" vol 0.5 pad 0 24
}

# baresip_setup NAME ACCOUNT_LINE WAV: a phone's config dir T_DIR/NAME.
# ACCOUNT_LINE is the accounts file line without outbound/codec params,
# e.g. "<sip:1001@t1.test>;auth_pass=pw1"; the outbound proxy is the test
# daemon. The codec list is BS_CODECS (default PCMU) at BS_SRATE Hz
# (default 8000; 16000 for a G722 phone). BS_REGINT=0 makes a phone that
# never registers (reached by its address). In a test's own network
# namespace (tests/netns/): BS_NETNS names it, BS_IP is the phone's
# address there and BS_PROXY its outbound proxy (default the test daemon).
baresip_setup() {
	local name=$1 acc=$2 wav=$3 dir=$T_DIR/$1 sip ctrl rtp
	local ip=${BS_IP:-127.0.0.1}
	local proxy=${BS_PROXY:-sip:127.0.0.1:${ONDO_SIP_PORT:-}}
	mkdir -p "$dir/snd"
	sip=$(free_port_range 2)
	ctrl=$(free_port)
	rtp=$(free_port_range 20)
	BS_DIR[$name]=$dir
	BS_SIP[$name]=$sip
	BS_CTRL[$name]=$ctrl
	BS_NS[$name]=${BS_NETNS:-}
	cat >"$dir/config" <<EOF
# baresip config for test phone $name, written by tests/lib/baresip.sh
poll_method		epoll
sip_listen		$ip:$sip
call_local_timeout	60
call_max_calls		4
audio_player		aubridge,nil
audio_alert		aubridge,nil
audio_source		aufile,$wav
ausrc_srate		${BS_SRATE:-8000}
auplay_srate		${BS_SRATE:-8000}
ausrc_channels		1
auplay_channels		1
audio_buffer		40
rtp_ports		$rtp-$((rtp + 19))
rtcp_mux		no
jitter_buffer_delay	2-10
net_interface		$ip
dns_server		127.0.0.1:53
module_path		/usr/lib/baresip/modules
module			g711.so
module			g722.so
module			aufile.so
module			aubridge.so
module			sndfile.so
snd_path		$dir/snd
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctrl
EOF
	printf '%s;outbound="%s";regint=%s;audio_codecs=%s\n' \
		"$acc" "$proxy" "${BS_REGINT:-600}" "${BS_CODECS:-PCMU}" \
		>"$dir/accounts"
}

# baresip_start NAME: runs the phone in the background (it quits by itself
# after 110 s) and waits for it to take commands. BS_VERBOSE=1 logs more,
# among it each RFC 4733 key the phone receives ("received event: '5'
# (end=0)").
baresip_start() {
	local name=$1 dir=${BS_DIR[$1]}
	${BS_NS[$name]:+nsenter --net="/run/netns/${BS_NS[$name]}" --} \
		baresip ${BS_VERBOSE:+-v} -f "$dir" -t "${BS_SECONDS:-110}" \
		</dev/null >>"$dir/out" 2>&1 &
	BS_PID[$name]=$!
	track_pid $!
	if ! wait_until 10 grep -qa 'baresip is ready' "$dir/out"; then
		fatal "phone $name (baresip) did not start:$(echo; tail -n 10 "$dir/out" | sed 's/^/       /')"
	fi
}

# baresip_stop NAME: SIGTERM by PID, then wait.
baresip_stop() {
	local pid=${BS_PID[$1]:-} i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	untrack_pid "$pid"
	BS_PID[$1]=
}

# baresip_cmd NAME COMMAND [PARAMS]: one ctrl_tcp command; prints the JSON
# response.
baresip_cmd() {
	${BS_NS[$1]:+nsenter --net="/run/netns/${BS_NS[$1]}" --} \
		"$PYTHON" "$TESTS_LIB/bctl.py" "${BS_CTRL[$1]}" cmd "$2" "${3:-}"
}

# baresip_keys NAME DIGITS: keys DIGITS on the phone, one RFC 4733 event
# each, 0.3 s apart (a faster command can be merged into the previous
# event by baresip).
baresip_keys() {
	local i
	for ((i = 0; i < ${#2}; i++)); do
		baresip_cmd "$1" sndcode "${2:i:1}" >/dev/null
		sleep 0.3
	done
}

# baresip_out NAME: the phone's log without the status-line noise.
baresip_out() {
	sed 's/\x1b\[[0-9;]*m//g; s/\[[0-9]:[0-9][0-9]:[0-9][0-9]\] audio=[0-9]*\/[0-9]* (bit\/s) *//g' \
		"${BS_DIR[$1]}/out"
}

# baresip_count NAME REGEX: how many log lines of the phone match.
baresip_count() {
	baresip_out "$1" | grep -cE "$2" || true
}

# baresip_wait_log NAME SECONDS REGEX [MIN_COUNT]: waits until the phone's
# log has at least MIN_COUNT (default 1) lines matching REGEX.
baresip_wait_log() {
	local name=$1 limit=$2 re=$3 min=${4:-1} i
	for ((i = 0; i <= limit * 10; i++)); do
		[ "$(baresip_count "$name" "$re")" -ge "$min" ] && return 0
		sleep 0.1
	done
	return 1
}

# Registration outcome lines of baresip 1.0.0 look like
#   "1001@t1.test: {0/UDP/v4} 200 OK (ondo) [1 binding]"
#   "reg: sip:1001@t1.test: 403 Forbidden ()"
BS_REG_OK='\{[0-9]+/(UDP|TCP)/v4\} 200 '
BS_REG_FAIL='reg: [^ ]+: [3-6][0-9][0-9] |\{[0-9]+/(UDP|TCP)/v4\} [3-6][0-9][0-9] '

# baresip_wait_registered NAME [MIN_COUNT]: up to 10 s.
baresip_wait_registered() {
	baresip_wait_log "$1" 10 "$BS_REG_OK" "${2:-1}"
}

# baresip_dec_wav NAME: the newest recording of what the phone received
# (by the start time in its name: a phone that holds and resumes starts a
# new one, and the older file may be closed last).
baresip_dec_wav() {
	ls "${BS_DIR[$1]}"/snd/dump-*-dec.wav 2>/dev/null | sort | tail -n 1
}

# baresip_heard PHONE HZ FROM [FRACTION]: the phone's newest recording of
# what it received holds the HZ tone that FROM (words for the report) sent,
# in at least FRACTION (default 0.3) of its 20 ms blocks. One pass or fail
# line.
baresip_heard() {
	local wav out
	wav=$(baresip_dec_wav "$1")
	[ -n "$wav" ] || { fail "$1 recorded nothing"; return; }
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction "${4:-0.3}" "$wav" "$2"); then
		pass "$1 heard $3's $2 Hz tone: $out"
	else
		fail "$1 did not hear $3's $2 Hz tone: $out"
	fi
}

# baresip_log_tail NAME: the last lines of its log, indented, for failures.
baresip_log_tail() {
	echo
	baresip_out "$1" | grep -v '^\s*$' | tail -n "${2:-12}" | sed 's/^/       /'
}

# baresip_started NAME: the time (epoch s) the phone's newest recording
# began (its file name holds it).
baresip_started() {
	local f
	f=$(basename "$(baresip_dec_wav "$1")")
	date -d "$(sed -E 's/dump-([0-9]{4})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2}).*/\1-\2-\3 \4:\5:\6/' <<<"$f")" +%s
}

# baresip_heard_window PHONE HZ WHO T0 T1 [LACKS]: between epoch times T0
# and T1 the phone's newest recording holds HZ (WHO's tone, words for the
# report) and none of LACKS (comma list); HZ "-": some audio, none of
# LACKS. One pass or fail line.
baresip_heard_window() {
	local wav out a b
	wav=$(baresip_dec_wav "$1")
	[ -n "$wav" ] || { fail "$1 recorded nothing"; return; }
	read -r a b <<<"$(awk -v a="$4" -v b="$5" -v s="$(baresip_started "$1")" \
		'BEGIN { printf "%.2f %.2f", a - s + 0.5, b - s - 0.3 }')"
	if [ "$2" = - ]; then
		# Some audio, and none of LACKS if given.
		if out=$("$PYTHON" "$TESTS_LIB/tones.py" "$wav" "$a" "$b" \
			${6:+--lacks "$6"}); then
			pass "$1 heard $3${6:+, not $6 Hz}: $out"
		else
			fail "$1 did not hear $3${6:+ without $6 Hz}: $out"
		fi
	elif out=$("$PYTHON" "$TESTS_LIB/tones.py" "$wav" "$a" "$b" --has "$2" \
		${6:+--lacks "$6"}); then
		pass "$1 heard $3 ($2 Hz)${6:+, not $6 Hz}: $out"
	else
		fail "$1 did not hear $3 ($2 Hz)${6:+ alone}: $out"
	fi
}
