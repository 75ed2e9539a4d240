#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sriov_rtt.ko loads, shows its debugfs tree, and unloads without a trace;
# its probes on KVM's tracepoints pass their check against this kernel's
# (kvm_msi_set_irq typed at build time where trace/events/kvm.h declares
# it, else both checked against the kernel's event format when kvm comes).
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
	kvm_tracepoints
"

source "$(dirname "$0")/lib.sh"

KVM_LOADED=

cleanup()
{
	srtt_unload 2>/dev/null
	[ -z "$KVM_LOADED" ] || modprobe -r kvm_amd kvm 2>/dev/null
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

# both KVM probes attach when kvm comes after a device is attached, and
# when it was there before; none is refused for its format
kvm_tracepoints()
{
	local tp before refused

	if grep -q '^kvm ' /proc/modules; then
		log_test_skip "KVM tracepoints pass their check" "kvm is loaded already"
		return
	fi
	before=$(dmesg | wc -l)
	srtt_fresh
	check_err $? "cannot attach the lab's devices"
	grep -q "tracepoint: kvm_inj_virq idle" "$SRTT_DBG/stats"
	check_err $? "kvm_inj_virq not idle without kvm: $(grep kvm_ "$SRTT_DBG/stats" | tr '\n' ';')"
	if ! modprobe kvm_amd 2>/dev/null; then
		log_test_skip "KVM tracepoints pass their check" "kvm_amd does not load here"
		return
	fi
	KVM_LOADED=1
	for tp in kvm_msi_set_irq kvm_inj_virq; do
		grep -q "tracepoint: $tp attached" "$SRTT_DBG/stats"
		check_err $? "$tp with kvm coming: $(grep "$tp" "$SRTT_DBG/stats")"
	done
	srtt_fresh
	for tp in kvm_msi_set_irq kvm_inj_virq; do
		grep -q "tracepoint: $tp attached" "$SRTT_DBG/stats"
		check_err $? "$tp with kvm there: $(grep "$tp" "$SRTT_DBG/stats")"
	done
	refused=$(dmesg | tail -n +"$((before + 1))" |
		grep -E 'sriov_rtt: .*(expects|no event format|not attaching)')
	[ -z "$refused" ]
	check_err $? "$(echo "$refused" | head -n 2 | tr '\n' ';')"
	srtt_unload
	modprobe -r kvm_amd kvm 2>/dev/null && KVM_LOADED=
	log_test "KVM tracepoints: kvm_msi_set_irq and kvm_inj_virq attach, before and after kvm"
}

trap_cleanup
[ -r "$SRTT_KO" ] || { echo "no module at $SRTT_KO: make modules-all"; exit 1; }
tests_run
