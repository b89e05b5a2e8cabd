#!/bin/bash
# deps.sh - installs the Debian packages that building Ondo PBX and running
# its tests need. Idempotent: asks dpkg first, and runs apt-get (update,
# then install) only when something is missing.
set -euo pipefail

PACKAGES=(
	# build
	autoconf automake libtool pkg-config make gcc
	libsofia-sip-ua-dev libspandsp-dev libsndfile1-dev libsqlite3-dev
	libmicrohttpd-dev libinih-dev libcmocka-dev libjansson-dev
	libsodium-dev libpcre2-dev libspeexdsp-dev libcurl4-openssl-dev
	espeak-ng sox
	# fuzz targets (fuzz/run.sh): clang's libFuzzer
	clang
	# tests
	sqlite3 sip-tester baresip-core sox python3 sipsak valgrind sipvicious
	# the cluster test (tests/netns): the Kamailio front, ip netns, curl
	kamailio kamailio-sqlite-modules iproute2 curl nftables
	# browser tests of the panel (tests/web): headless chromium
	chromium
)
# ... driven by playwright-core from npm (tests/web/package.json), so node
# and npm too, unless a node is installed already (another packaging of
# node brings its own npm and would conflict with Debian's).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	PACKAGES+=(nodejs npm)
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${PACKAGES[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#PACKAGES[@]} packages installed"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps: missing ${missing[*]}; run as root or install sudo" >&2
		exit 1
	}
	SUDO=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
