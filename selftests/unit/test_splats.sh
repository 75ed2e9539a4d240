#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/splats on kernel logs built from the reports it must tell
# apart: a soft lockup of the idle task in its halt (an emulator stall,
# named on stderr), and every other report (a splat, on stdout). One
# result line per case (selftests/lib.sh); exit 1 if a case fails.

LAB_TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$LAB_TOP/selftests/lib.sh"

SPLATS=$LAB_TOP/selftests/splats
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

# report TASK RIP: a soft lockup report of TASK with its RIP at RIP
report()
{
	local t='[  407.836828]'

	cat <<EOT
$t clocksource: Long readout interval, skipping watchdog check: cs_nsec: 189060266326 wd_nsec: 17261657860
$t watchdog: BUG: soft lockup - CPU#0 stuck for 300s! [$1]
$t Modules linked in: sriov_rtt(OE) igb igbvf
$t CPU: 0 UID: 0 PID: 0 Comm: ${1%%:*} Tainted: G           OE      6.12.95+deb12-amd64 #1
$t Hardware name: QEMU Standard PC (Q35 + ICH9, 2009)
$t RIP: 0010:$2+0xf/0x20
$t RSP: 0018:ffffffff9a603e40 EFLAGS: 00000246
$t Call Trace:
$t  <IRQ>
$t  ? watchdog_timer_fn+0x21b/0x2a0
$t  ? __hrtimer_run_queues+0x112/0x2b0
$t  </IRQ>
$t  <TASK>
$t  ? asm_sysvec_apic_timer_interrupt+0x1a/0x20
$t  ? $2+0xf/0x20
$t  default_idle+0x9/0x20
$t  do_idle+0x1e6/0x230
$t  cpu_startup_entry+0x29/0x30
$t  </TASK>
$t igb 0000:00:02.0 enp0s2: igb: enp0s2 NIC Link is Up 1000 Mbps Full Duplex
EOT
}

# expect NAME OUT_LINES ERR_LINES < LOG: splats prints OUT_LINES splat
# lines and names ERR_LINES stalls
expect()
{
	"$SPLATS" >"$TMP/out" 2>"$TMP/err"
	check_eq "$(wc -l <"$TMP/out")" "$2" \
		"splat lines [$(tr '\n' '|' <"$TMP/out")]"
	check_eq "$(wc -l <"$TMP/err")" "$3" \
		"stalls named [$(tr '\n' '|' <"$TMP/err")]"
	log_test "$1"
}

expect "idle task's lockup in the halt: a stall, no splat" 0 1 \
	< <(report swapper/0:0 pv_native_safe_halt)
grep -q 'soft lockup - CPU#0 stuck for 300s! \[swapper/0:0\], RIP in the idle halt$' "$TMP/err"
check_err $? "the stall's name: $(cat "$TMP/err")"
log_test "the stall is named with its time, CPU, task and RIP"
# the CI's case: a guest's stall named on a test's stderr, which the
# lab's console kept, and that console filtered again
expect "the stall's name read again: no splat" 0 0 \
	< <("$SPLATS" 2>&1 >/dev/null < <(report swapper/1:0 default_idle))
expect "idle task's lockup in an interrupt: a splat" 2 0 \
	< <(report swapper/0:0 srtt_tp_irq_entry)
expect "a worker's lockup: a splat" 2 0 \
	< <(report kworker/0:1 pv_native_safe_halt)
expect "a warning after a stall: a splat" 1 1 \
	< <(report swapper/0:0 pv_native_safe_halt
	    echo '[  408.000001] WARNING: CPU: 1 PID: 77 at net/core/dev.c:1 x+0x1/0x2')
expect "a stall report cut off before its end: a splat" 2 0 \
	< <(report swapper/0:0 pv_native_safe_halt | head -n 9)
expect "KFENCE, refcount, BUG lines: splats" 3 0 \
	< <(printf '%s\n' '[    1.0] KFENCE: out-of-bounds read in x+0x1/0x2' \
		'[    2.0] refcount_t: underflow; use-after-free.' \
		'[    3.0] BUG: kernel NULL pointer dereference, address: 0' \
		'[    4.0] igb: link up')
exit $EXIT_STATUS
