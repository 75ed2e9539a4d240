#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's "single" topology works before sriov_rtt touches anything:
# the PF lists its VFs, and every path of the emulated eSwitch carries
# IPv4 and IPv6.
#
#   root ns: PF 192.0.2.1 2001:db8:5::1
#        |
#   [ igb eSwitch ]---- guest1: VF0 192.0.2.11 2001:db8:5::11
#        |
#        `------------- guest2: VF1 192.0.2.12 2001:db8:5::12

ALL_TESTS="
	pf_lists_vfs
	ping_guest1_pf
	ping_guest2_pf
	ping_guest1_guest2
"

source "$(dirname "$0")/lib.sh"

PING_COUNT=${PING_COUNT:-5}

cleanup() { :; }

pf_lists_vfs()
{
	local n

	n=$(ip link show "$PF" | grep -c '^ *vf [0-9]')
	check_eq "$n" 2 "VF lines in 'ip link show $PF'"
	n=$(cat "/sys/class/net/$PF/device/sriov_numvfs")
	check_eq "$n" 2 "sriov_numvfs"
	log_test "ip link show $PF lists 2 VFs"
}

# ping_ok NS DST: all PING_COUNT echoes answered
ping_ok()
{
	local ns=$1 dst=$2 out

	out=$(in_ns "$ns" ping -q -c "$PING_COUNT" -i 0.2 -W 3 "$dst" 2>&1)
	echo "$out" | grep -q "$PING_COUNT packets transmitted, $PING_COUNT received"
	check_err $? "ping $dst from ${ns:-root}: $(echo "$out" | grep transmitted)"
}

ping_guest1_pf()
{
	ping_ok guest1 "$PF_IP4"
	log_test "guest1 VF -> PF IPv4"
	ping_ok guest1 "$PF_IP6"
	log_test "guest1 VF -> PF IPv6"
}

ping_guest2_pf()
{
	ping_ok guest2 "$PF_IP4"
	log_test "guest2 VF -> PF IPv4"
	ping_ok guest2 "$PF_IP6"
	log_test "guest2 VF -> PF IPv6"
}

ping_guest1_guest2()
{
	ping_ok guest1 "$VF1_IP4"
	log_test "guest1 VF -> guest2 VF IPv4 (eSwitch)"
	ping_ok guest1 "$VF1_IP6"
	log_test "guest1 VF -> guest2 VF IPv6 (eSwitch)"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit $ksft_skip; }
tests_run
