#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress, bounded: insmod/rmmod cycles with the PF attached under a ping
# flood; attach/detach cycles of the PF and a VF while a ping flood and
# STAMP probes run; sriov_numvfs toggled with the VFs attached; a VF moved
# between namespaces while attached. After each: no kernel splat (the lab
# boots with panic_on_warn=1 slub_debug=FZPU kfence.sample_interval=10),
# the module's reference count back to 0 (rmmod works), and a clean run's
# stats consistent (hits + lost = the packets sent).
# Runs after lifecycle.sh (which removed the VFs) and makes its own.
#
#   root ns: PF eth0 192.0.2.1 ---- st-vf (netns srtt-st): VF0 192.0.2.31
#   ping -i 0.002 and sriov-rtt probe from srtt-st to the PF
#
# Counts: `make check` runs 5 insmod/rmmod, 8 attach/detach, 2 toggles
# and 2 moves. STRESS_FULL=1 runs 100, 500, 20 and 10 (about 13 minutes
# under TCG; give it a longer per-script limit), and STRESS_INSMOD,
# STRESS_ATTACH, STRESS_TOGGLE, STRESS_MOVE set each:
#   STRESS_FULL=1 SELFTEST_TIMEOUT=3600 selftests/run stress.sh
# Under TCG with two vCPUs, flipping tracepoint static keys while packets
# run through the patched code can end in "Oops: int3" in
# dev_hard_start_xmit: the emulator, not this module (tracefs does the
# same without it, see Documentation/sriov_rtt.rst, "The lab"). Every
# attach and detach flips such keys, so make check keeps the counts low;
# run the full counts with `scripts/lab --smp 1`.

ALL_TESTS="
	insmod_rmmod_cycles
	attach_detach_cycles
	numvfs_toggle
	netns_moves
"

source "$(dirname "$0")/lib.sh"

if [ "${STRESS_FULL:-0}" = 1 ]; then
	N_INSMOD=${STRESS_INSMOD:-100}
	N_ATTACH=${STRESS_ATTACH:-500}
	N_TOGGLE=${STRESS_TOGGLE:-20}
	N_MOVE=${STRESS_MOVE:-10}
else
	N_INSMOD=${STRESS_INSMOD:-5}
	N_ATTACH=${STRESS_ATTACH:-8}
	N_TOGGLE=${STRESS_TOGGLE:-2}
	N_MOVE=${STRESS_MOVE:-2}
fi
NS=srtt-st
# traffic during the cycles; a one-vCPU lab needs less, or the floods
# starve the cycles (STRESS_FLOOD_INTERVAL=0.01 STRESS_PROBE_INTERVAL=0.02)
FLOOD_INTERVAL=${STRESS_FLOOD_INTERVAL:-0.002}
PROBE_INTERVAL=${STRESS_PROBE_INTERVAL:-0.005}
VF_IP=192.0.2.31
SRTT=$LAB_TOP/user/build/sriov-rtt
REFLECTOR=$LAB_TOP/user/build/sriov-rtt-reflector
TMP=$(mktemp -d)
BG=()

cleanup()
{
	bg_stop
	srtt_unload
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}

bg_stop()
{
	local p

	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${BG[@]}"; do
		wait "$p" 2>/dev/null
	done
	BG=()
}

# VFS: the VF netdev names (in the root namespace, right after creation)
make_vfs()
{
	local i n

	echo 0 >"/sys/class/net/$PF/device/sriov_numvfs" || return 1
	echo 2 >"/sys/class/net/$PF/device/sriov_numvfs" || return 1
	VFS=()
	for i in 0 1; do
		for n in $(seq 50); do
			[ -d "/sys/class/net/$PF/device/virtfn$i/net" ] && break
			sleep 0.1
		done
		VFS+=("$(ls "/sys/class/net/$PF/device/virtfn$i/net" 2>/dev/null)")
	done
	[ -n "${VFS[0]}" ] && [ -n "${VFS[1]}" ]
}

# VF0 into $NS with an address, the PF answering: a path to flood
setup_path()
{
	ip netns del "$NS" 2>/dev/null
	make_vfs || return 1
	ip netns add "$NS" || return 1
	ip link set "${VFS[0]}" netns "$NS" || return 1
	ip -n "$NS" addr add "$VF_IP/24" dev "${VFS[0]}" &&
	ip -n "$NS" link set "${VFS[0]}" up &&
	ip -n "$NS" link set lo up || return 1
	VF=${VFS[0]}
	# a new VF's link comes up some seconds after the PF answers its
	# mailbox (longer on 6.1): wait for the path, up to 30 s
	for _ in $(seq 30); do
		ip netns exec "$NS" ping -q -c 1 -W 1 "$PF_IP4" >/dev/null && return 0
	done
	return 1
}

flood_start()
{
	ip netns exec "$NS" ping -q -i "$FLOOD_INTERVAL" "$PF_IP4" >/dev/null 2>&1 &
	BG+=($!)
}

splat_free()
{
	[ -z "$(dmesg | splats)" ]
}

insmod_rmmod_cycles()
{
	local i bad=0

	srtt_unload
	setup_path
	check_err $? "setup: VFs and a path"
	flood_start
	for i in $(seq "$N_INSMOD"); do
		# attached, the module is pinned: rmmod is refused
		insmod "$SRTT_KO" && srtt_ctl "" attach "$PF" &&
			! rmmod sriov_rtt 2>/dev/null &&
			echo detach-all >"$SRTT_DBG/control" && rmmod sriov_rtt ||
			{ bad=$i; break; }
	done
	bg_stop
	check_eq "$bad" 0 "cycle that failed"
	! srtt_loaded
	check_err $? "the module is still loaded"
	splat_free
	check_err $? "splat: $(dmesg | splats | head -n 3)"
	log_test "$N_INSMOD insmod/attach/rmmod cycles under a ping flood (rmmod refused while attached, done after detach-all): no splat, unloaded"
}

# stages_consistent N: on a fresh attach, N pings give hits + lost = N
stages_consistent()
{
	local n=$1 s h l

	srtt_ctl "" attach "$PF"
	ip netns exec "$NS" ping -q -c "$n" -i 0.01 "$PF_IP4" >/dev/null
	sleep 0.5
	for s in rx_drv rx_stack tx_drv tx_drv_done; do
		h=$(srtt_stat "$PF" $s hits)
		l=$(srtt_stat "$PF" $s lost)
		check_eq "$((h + l))" "$n" "$PF $s hits $h + lost $l"
	done
	srtt_ctl "" detach "$PF"
}

attach_detach_cycles()
{
	local i bad=0 refcnt

	srtt_unload
	srtt_load
	srtt_ctl "" set stamp_port 8620
	ip netns exec "$NS" "$REFLECTOR" --port 8620 2>/dev/null &
	BG+=($!)
	flood_start
	"$SRTT" probe "$VF_IP" --port 8620 --count 100000 --interval "$PROBE_INTERVAL" \
		--plain --no-stages >/dev/null 2>&1 &
	BG+=($!)
	for i in $(seq "$N_ATTACH"); do
		srtt_ctl "" attach "$PF" && srtt_ctl "$NS" attach "$VF" &&
		srtt_ctl "" detach "$PF" && srtt_ctl "$NS" detach "$VF" ||
			{ bad=$i; break; }
	done
	bg_stop
	check_eq "$bad" 0 "cycle that failed ($(grep last_error "$SRTT_DBG/control"))"
	refcnt=$(cat /sys/module/sriov_rtt/refcnt)
	check_eq "$refcnt" 0 "module refcount with nothing attached"
	stages_consistent 200
	srtt_unload
	! srtt_loaded
	check_err $? "rmmod after the cycles"
	splat_free
	check_err $? "splat: $(dmesg | splats | head -n 3)"
	log_test "$N_ATTACH attach/detach cycles of PF and VF under a flood and probes: refcount 0, hits + lost = pings, no splat"
}

numvfs_toggle()
{
	local i v bad=0 n=0

	srtt_unload
	srtt_load
	for i in $(seq "$N_TOGGLE"); do
		make_vfs || { bad=$i; break; }
		srtt_ctl "" attach "${VFS[0]}" && srtt_ctl "" attach "${VFS[1]}" &&
			srtt_ctl "" attach "$PF" || { bad=$i; break; }
		echo 0 >"/sys/class/net/$PF/device/sriov_numvfs" || { bad=$i; break; }
		# both VFs went away attached: detached, and said so
		for v in "${VFS[@]}"; do
			grep -q "^$v " "$SRTT_DBG/devices" && { bad=$i; break 2; }
			grep -q "event: $v: detached: device unregistered" \
				"$SRTT_DBG/devices" && n=$((n + 1))
		done
		srtt_ctl "" detach "$PF"
	done
	check_eq "$bad" 0 "toggle that failed ($(grep last_error "$SRTT_DBG/control"))"
	check_eq "$n" $((2 * N_TOGGLE)) "VFs reported detached as unregistered"
	check_eq "$(cat /sys/module/sriov_rtt/refcnt)" 0 "module refcount"
	srtt_unload
	! srtt_loaded
	check_err $? "rmmod after the toggles"
	splat_free
	check_err $? "splat: $(dmesg | splats | head -n 3)"
	log_test "sriov_numvfs 2 -> 0 $N_TOGGLE times with both VFs attached: detached each time, no splat"
}

netns_moves()
{
	local i bad=0

	srtt_unload
	srtt_load
	setup_path
	check_err $? "setup: VFs and a path"
	flood_start
	for i in $(seq "$N_MOVE"); do
		srtt_ctl "$NS" attach "$VF" &&
		ip -n "$NS" link set "$VF" netns 1 &&
		ip link set "$VF" netns "$NS" &&
		ip -n "$NS" addr add "$VF_IP/24" dev "$VF" &&
		ip -n "$NS" link set "$VF" up || { bad=$i; break; }
		# moved while attached: detached, and attachable again
		grep -q "^$VF " "$SRTT_DBG/devices" && { bad=$i; break; }
	done
	bg_stop
	check_eq "$bad" 0 "move that failed or left the VF attached"
	check_eq "$(cat /sys/module/sriov_rtt/refcnt)" 0 "module refcount"
	srtt_unload
	splat_free
	check_err $? "splat: $(dmesg | splats | head -n 3)"
	log_test "$N_MOVE netns moves of an attached VF under a flood: detached each time, no splat"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit "$ksft_skip"; }
tests_run
