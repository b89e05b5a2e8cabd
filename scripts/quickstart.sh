#!/bin/sh
# quickstart.sh - installs what is missing, builds, and starts Ondo PBX on
# its embedded defaults (state under ./ondo-data, SIP on 5060 UDP+TCP).
# On the first start it creates the demo tenant demo.localhost with
# extensions 1001 and 1002 and prints their passwords.
set -e
cd "$(dirname "$0")/.."
bash scripts/deps.sh
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure
make -j"$(nproc)"
echo "Starting ondo (Ctrl-C stops it; state is kept in ./ondo-data)"
exec ./ondo
