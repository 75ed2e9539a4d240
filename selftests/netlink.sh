#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family refuses malformed requests with their errno
# and extended-ACK text and without a change of state
# (selftests/nl/nl_malformed.c), and refuses writes without CAP_NET_ADMIN.
#
#   root ns: PF eth0 [attached] <-- raw NETLINK_GENERIC requests

ALL_TESTS="
	malformed
	no_capability
"

source "$(dirname "$0")/lib.sh"

NLM=$LAB_TOP/build/nl/nl_malformed

cleanup()
{
	srtt_unload
}

malformed()
{
	local line

	srtt_unload
	srtt_load
	srtt_ctl "" attach "$PF"
	# each case of the C test is a test here
	while IFS= read -r line; do
		case "$line" in
		"# "*) ktap "$line" ;;
		"not ok "*) check_err 1 "${line#not ok }"; log_test "${line#not ok [0-9]* }" ;;
		"ok "*) log_test "${line#ok [0-9]* }" ;;
		esac
	done < <("$NLM" "$PF")
}

# As root without CAP_NET_ADMIN, and as nobody: every write is EPERM.
no_capability()
{
	local out

	out=$(setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
		"$NLM" "$PF" | grep -c '^# .*errno 1 ')
	[ "$out" -ge 5 ]
	check_err $? "$out writes refused with EPERM without CAP_NET_ADMIN"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NLM" "$PF" | grep -c '^# .*errno 1 ')
	[ "$out" -ge 5 ]
	check_err $? "$out writes refused with EPERM as nobody"
	log_test "netlink writes need CAP_NET_ADMIN"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit $ksft_skip; }
[ -x "$NLM" ] || { echo "$NLM missing: make check builds it"; exit 1; }
tests_run
