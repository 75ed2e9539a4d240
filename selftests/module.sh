#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sriov_rtt.ko loads, shows its debugfs tree, and unloads without a trace.
#
#   lab kernel
#   +-------------------------------+
#   | insmod sriov_rtt.ko           |
#   |   /sys/kernel/debug/sriov_rtt |
#   | rmmod sriov_rtt               |
#   +-------------------------------+

ALL_TESTS="
	module_load
	module_unload
"

source "$(dirname "$0")/lib.sh"

cleanup()
{
	srtt_unload 2>/dev/null
}

module_load()
{
	local want ver

	srtt_unload
	insmod "$SRTT_KO"
	check_err $? "insmod $SRTT_KO failed"
	srtt_loaded
	check_err $? "sriov_rtt not in /proc/modules"
	[ -d "$SRTT_DBG" ]
	check_err $? "$SRTT_DBG missing after insmod"
	want=$(sed -n 's/^#define SRTT_VERSION[[:space:]]*"\(.*\)"/\1/p' \
		"$LAB_TOP/module/uapi/linux/sriov_rtt.h")
	ver=$(cat "$SRTT_DBG/version" 2>/dev/null)
	check_eq "$ver" "$want" "debugfs version"
	ver=$(cat /sys/module/sriov_rtt/version 2>/dev/null)
	check_eq "$ver" "$want" "module version"
	log_test "module loads, debugfs directory appears"
}

module_unload()
{
	srtt_load
	rmmod sriov_rtt
	check_err $? "rmmod sriov_rtt failed"
	srtt_loaded
	check_fail $? "sriov_rtt still in /proc/modules"
	[ -e "$SRTT_DBG" ]
	check_fail $? "$SRTT_DBG still there after rmmod"
	[ -e /sys/module/sriov_rtt ]
	check_fail $? "/sys/module/sriov_rtt still there after rmmod"
	log_test "module unloads, debugfs directory disappears"
}

trap_cleanup
[ -r "$SRTT_KO" ] || { echo "no module at $SRTT_KO: make modules-all"; exit 1; }
tests_run
