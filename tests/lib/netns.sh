# shellcheck shell=bash
# netns.sh - a small network of hosts on this machine for tests that need
# several addresses (tests/netns/): each host is a network namespace of
# its own with one interface on a bridge that lives in a namespace of the
# test too. Nothing touches the machine's own network: the test addresses
# only its namespaces, and cleanup (common.sh) deletes them after it has
# killed every process it started. Source after common.sh.

# netns_init: the switch. Exits 77 (SKIP) where namespaces cannot be made
# (no root, no CAP_SYS_ADMIN). Names are unique to the test run.
netns_init() {
	NS_PREFIX="ondo$$"
	NS_SW="$NS_PREFIX-sw"
	if ! ip netns add "$NS_SW" 2>"$T_DIR/netns.err"; then
		echo "SKIP: cannot create a network namespace ($(cat "$T_DIR/netns.err"))"
		exit 77
	fi
	T_NETNS+=("$NS_SW")
	ip -n "$NS_SW" link add br0 type bridge
	ip -n "$NS_SW" link set br0 up
	NS_N=0
}

# netns_host NAME IP/PREFIX: a host NAME (namespace "$NS_PREFIX-NAME",
# printed by netns_of) with eth0 at IP on the bridge, and its loopback up.
netns_host() {
	local ns="$NS_PREFIX-$1" port="v$NS_N-$$"
	NS_N=$((NS_N + 1))
	ip netns add "$ns"
	T_NETNS+=("$ns")
	ip -n "$NS_SW" link add "${port:0:15}" type veth peer name eth0 netns "$ns"
	ip -n "$NS_SW" link set "${port:0:15}" master br0 up
	ip -n "$ns" addr add "$2" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
}

# netns_of NAME: the namespace of host NAME.
netns_of() {
	echo "$NS_PREFIX-$1"
}

# in_host NAME COMMAND...: runs COMMAND in host NAME's namespace (nsenter
# joins it and execs COMMAND). For a process to track by PID, write the
# nsenter command out instead: `in_host ... &` backgrounds a subshell,
# and $! would not be the process's PID.
in_host() {
	local ns="$NS_PREFIX-$1"
	shift
	nsenter --net="/run/netns/$ns" -- "$@"
}

# netns_nat_host NAME IP ROUTER ROUTER_IP: host NAME behind a NAT router:
# ROUTER (a host on the bridge at ROUTER_IP/PREFIX) masquerades the
# private net 192.168.77.0/24 where NAME sits at IP (a 192.168.77.x
# address), with ROUTER as its default gateway: what a phone in an office
# behind a home router looks like from the PBX.
netns_nat_host() {
	local ns="$NS_PREFIX-$1" rt="$NS_PREFIX-$3"
	netns_host "$3" "$4"
	ip netns add "$ns"
	T_NETNS+=("$ns")
	ip -n "$rt" link add eth1 type veth peer name eth0 netns "$ns"
	ip -n "$rt" addr add 192.168.77.1/24 dev eth1
	ip -n "$rt" link set eth1 up
	ip -n "$ns" addr add "$2/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" route add default via 192.168.77.1
	ip netns exec "$rt" sysctl -q -w net.ipv4.ip_forward=1
	ip netns exec "$rt" nft -f - <<NFT
table ip nat {
	chain post {
		type nat hook postrouting priority 100;
		oifname "eth0" masquerade
	}
}
NFT
}
