#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attached devices that change under the module: renamed, moved to another
# namespace, removed with sriov_numvfs; and rmmod under a ping flood
# (refused while anything is attached, then after detach-all). No
# splat, no stale device, 'devices' says what happened; a VF taken down
# and up keeps its interrupt stamps. Runs last: it takes the VFs away.
#
#   root ns: PF eth0 [attached] ---- sriov_numvfs 2 -> 0
#   guest1: VF0 [attached]  rename -> vf0x
#   guest2: VF1 [attached]  netns move -> mover

ALL_TESTS="
	rename_follows
	up_again_rx_irq
	rmmod_under_flood
	attach_rmmod_race
	netns_move_detaches
	vf_removal_detaches
"

source "$(dirname "$0")/lib.sh"

NL_RACE=$LAB_TOP/build/nl/nl_attach_race
RACE_SECONDS=${RACE_SECONDS:-20}
TMP=$(mktemp -d)
cleanup()
{
	[ -n "${FLOOD:-}" ] && kill "$FLOOD" 2>/dev/null
	[ -n "${RACERS:-}" ] && kill $RACERS 2>/dev/null
	srtt_unload
	ip netns del mover 2>/dev/null
	rm -rf "$TMP"
}

rename_follows()
{
	srtt_fresh
	check_err $? "attach"
	ip -n guest1 link set "$VF0" down
	ip -n guest1 link set "$VF0" name vf0x
	check_err $? "rename $VF0"
	ip -n guest1 link set vf0x up
	grep -q '^vf0x id=' "$SRTT_DBG/devices"
	check_err $? "devices does not list vf0x"
	grep -q "event: $VF0: renamed to vf0x" "$SRTT_DBG/devices"
	check_err $? "no rename event"
	[ -d "$SRTT_DBG/hist/vf0x" ] && [ ! -e "$SRTT_DBG/hist/$VF0" ]
	check_err $? "hist/ did not follow the rename"
	ip -n guest1 link set vf0x down
	ip -n guest1 link set vf0x name "$VF0"
	ip -n guest1 link set "$VF0" up
	log_test "rename while attached: devices and hist/ follow"
}

# The vectors are found again when VF0 comes up, and its RX vector is
# still told from its TX vector by name: ICMP replies keep their rx_irq.
up_again_rx_irq()
{
	local round h n out

	srtt_fresh
	check_err $? "attach"
	for round in first "after down and up"; do
		if [ "$round" != first ]; then
			ip -n guest1 link set "$VF0" down
			ip -n guest1 link set "$VF0" up
		fi
		h=$(srtt_stat "$VF0" rx_irq hits)
		out=$(ip netns exec guest1 ping -c 20 -i 0.05 -w 20 "$PF_IP4")
		echo "$out" | grep -q "20 received"
		check_err $? "$round: ping: $(echo "$out" | grep received)"
		n=$(($(srtt_stat "$VF0" rx_irq hits) - h))
		[ "$n" -ge 18 ] && [ "$n" -le 20 ]
		check_err $? "$round: $VF0 rx_irq for $n of 20 replies"
	done
	log_test "$VF0 down and up while attached: replies keep rx_irq (18-20 of 20)"
}

rmmod_under_flood()
{
	ip netns exec guest1 ping -q -f -w 20 "$PF_IP4" >/dev/null 2>&1 &
	FLOOD=$!
	sleep 2
	# attached devices pin the module: refused, and nothing changes
	rmmod sriov_rtt 2>"$TMP/rmmod.err"
	check_fail $? "rmmod with devices attached"
	grep -q "in use" "$TMP/rmmod.err"
	check_err $? "rmmod's refusal: $(cat "$TMP/rmmod.err")"
	check_eq "$(grep -c ' id=' "$SRTT_DBG/devices")" 3 "devices still attached"
	echo detach-all >"$SRTT_DBG/control"
	check_err $? "detach-all under flood"
	rmmod sriov_rtt
	check_err $? "rmmod under flood after detach-all"
	[ -e "$SRTT_DBG" ]
	check_fail $? "$SRTT_DBG still there"
	srtt_load
	srtt_attach_all
	check_err $? "attach again under flood"
	sleep 1
	srtt_unload
	check_err $? "second detach-all and rmmod under flood"
	kill "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	FLOOD=
	log_test "rmmod under a ping flood: refused while attached (in use, nothing changed), done after detach-all"
}

# attach and detach, through debugfs and netlink at once, against insmod
# and rmmod for RACE_SECONDS under a ping flood (the lab boots with
# slub_debug and kfence): no splat, and at the end the reference count
# is 0. Every other rmmod follows a detach-all; either goes through only
# when no racer has the PF attached. An attach racing the unload fails
# (the ways in go first, the pin refuses). With the exit order of old
# (devices detached while the family and debugfs still took attaches)
# and no pin, an rmmod with the PF attached went through, and an attach
# waiting for the detach registered its probes into an unloaded module.
attach_rmmod_race()
{
	local end loads=0 unloads=0 refused=0 tries=0 way refcnt from nl dbg

	from=$(dmesg | wc -l)
	srtt_unload
	ip netns exec guest1 ping -q -f -w $((RACE_SECONDS + 5)) "$PF_IP4" >/dev/null 2>&1 &
	FLOOD=$!
	# build/nl/nl_attach_race, three by netlink and one by debugfs: while
	# an unload holds the locks, an attach waits
	RACERS=
	for way in netlink netlink netlink debugfs; do
		"$NL_RACE" "$way" "$PF" "$RACE_SECONDS" >>"$TMP/race" &
		RACERS="$RACERS $!"
	done
	end=$((SECONDS + RACE_SECONDS))
	while [ $SECONDS -lt $end ]; do
		if ! srtt_loaded; then
			insmod "$SRTT_KO" && loads=$((loads + 1))
		elif { [ $((++tries % 2)) = 0 ] ||
		       echo detach-all >"$SRTT_DBG/control"; } 2>/dev/null
		     rmmod sriov_rtt 2>/dev/null; then
			unloads=$((unloads + 1))
		else
			refused=$((refused + 1))
		fi
	done
	# shellcheck disable=SC2086
	wait $RACERS
	RACERS=
	kill "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	FLOOD=
	srtt_load
	echo detach-all >"$SRTT_DBG/control"
	refcnt=$(cat /sys/module/sriov_rtt/refcnt)
	check_eq "$refcnt" 0 "reference count with nothing attached"
	rmmod sriov_rtt
	check_err $? "rmmod at the end"
	ktap "# attach_rmmod_race: ${RACE_SECONDS} s: $loads insmod, $unloads rmmod, $refused refused (in use); $(tr '\n' ';' <"$TMP/race")"
	nl=$(awk '/^netlink/ { n += $3 } END { print n + 0 }' "$TMP/race")
	dbg=$(awk '/^debugfs/ { n += $3 } END { print n + 0 }' "$TMP/race")
	[ "$unloads" -gt 0 ] && [ "$nl" -gt 0 ] && [ "$dbg" -gt 0 ]
	check_err $? "the race did not happen: $unloads rmmod, attaches $nl by netlink, $dbg by debugfs"
	[ -z "$(dmesg | tail -n +$((from + 1)) | splats)" ]
	check_err $? "splat: $(dmesg | tail -n +$((from + 1)) | splats | head -n 3)"
	log_test "attach/detach by debugfs and netlink against insmod/rmmod for ${RACE_SECONDS} s under a flood: no splat, reference count 0"
}

netns_move_detaches()
{
	srtt_load
	srtt_attach_all
	ip netns add mover
	ip -n guest2 link set "$VF1" netns mover
	check_err $? "netns move"
	grep -q "^$VF1 id=" "$SRTT_DBG/devices"
	check_fail $? "$VF1 still attached after moving namespace"
	grep -q "event: $VF1: detached: device moved to another network namespace" "$SRTT_DBG/devices"
	check_err $? "no netns move event"
	[ -e "$SRTT_DBG/hist/$VF1" ]
	check_fail $? "hist/$VF1 left behind"
	ip -n mover link set "$VF1" netns guest2
	srtt_ctl guest2 attach "$VF1"
	check_err $? "attach $VF1 again in guest2"
	log_test "netns move while attached: detached, and attachable again"
}

vf_removal_detaches()
{
	local n

	echo 0 >"/sys/class/net/$PF/device/sriov_numvfs"
	check_err $? "sriov_numvfs 0"
	n=$(grep -c 'detached: device unregistered' "$SRTT_DBG/devices")
	check_eq "$n" 2 "VFs detached as unregistered"
	grep -q "^$PF id=.* vfs=0 " "$SRTT_DBG/devices"
	check_err $? "PF not listed with vfs=0: $(grep "^$PF " "$SRTT_DBG/devices")"
	ip netns exec guest1 true
	srtt_unload
	check_err $? "detach-all and rmmod after VF removal"
	log_test "VF removal by sriov_numvfs while attached: detached cleanly"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit $ksft_skip; }
tests_run
