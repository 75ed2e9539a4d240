#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2034,SC2154 # ALL_TESTS, SCRIPT, ksft_*: lib.sh
#
# sriov-rtt watch when records are lost: the module's rings overflow
# ("lost N" lines) and this tool's socket overflows while it is stopped
# ("lost socket-overrun" lines); watching goes on and the summary adds
# them up. Slow under TCG (floods of pings); run it on its own:
#
#   scripts/lab --run selftests/run watch_loss.sh
#
#   root ns: PF (igb) [attached]   guest1: VF0 [attached]  guest2: VF1 [attached]
#   ping -f guest1 -> PF and guest2 -> PF while sriov-rtt -j watch reads

ALL_TESTS="
	ring_lost_lines
	socket_overrun
"

LAB_TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

SCRIPT=watch_loss
B=$LAB_TOP/user/build/sriov-rtt
TMP=$(mktemp -d)

cleanup()
{
	srtt_unload
	rm -rf "$TMP"
}

# floods N: N pings as fast as they come back, from both guests at once
floods()
{
	local p1 p2

	ip netns exec "$VF0_NS" ping -q -f -c "$1" -w 120 "$PF_IP4" >/dev/null &
	p1=$!
	ip netns exec "$VF1_NS" ping -q -f -c "$1" -w 120 "$PF_IP4" >/dev/null &
	p2=$!
	wait $p1 $p2
}

# summary FILE: "records lost overruns" from the watch summary line
summary()
{
	sed -n 's/^watch: \([0-9]*\) records, \([0-9]*\) lost, \([0-9]*\) overruns$/\1 \2 \3/p' "$1"
}

setup()
{
	srtt_unload
	srtt_load || return 1
	"$B" config set ring_size 64 || return 1
	"$B" attach "$PF" || return 1
	ip netns exec "$VF0_NS" "$B" attach "$VF0" || return 1
	ip netns exec "$VF1_NS" "$B" attach "$VF1" || return 1
}

ring_lost_lines()
{
	local pid rc=0 s lines

	"$B" -j watch >"$TMP/w.json" 2>"$TMP/w.err" &
	pid=$!
	sleep 1
	floods 3000
	sleep 1
	kill -INT $pid
	wait $pid || rc=$?
	check_eq "$rc" 0 "watch exit status: $(cat "$TMP/w.err")"
	s=$(summary "$TMP/w.err")
	lines=$(grep -c '^{"lost":[1-9][0-9]*}$' "$TMP/w.json")
	echo "# ring: summary records/lost/overruns: $s; lost lines: $lines"
	[ "$lines" -gt 0 ]
	check_err $? "no lost line: $(cat "$TMP/w.err")"
	python3 - "$TMP/w.json" "$(echo "$s" | cut -d' ' -f2)" <<-'EOF'
	import json, sys
	lost = 0
	for line in open(sys.argv[1]):
	    r = json.loads(line)
	    if list(r) == ["lost"]:
	        lost += r["lost"]
	assert lost == int(sys.argv[2]), (lost, sys.argv[2])
	EOF
	check_err $? "lost lines do not add up to the summary"
	log_test "ring overflow: lost N lines, summed in the summary"
}

socket_overrun()
{
	local pid rc=0 s has_overrun

	# rings big enough that the records reach the socket
	"$B" detach "$PF"
	ip netns exec "$VF0_NS" "$B" detach "$VF0"
	ip netns exec "$VF1_NS" "$B" detach "$VF1"
	"$B" config set ring_size 65536
	check_err $? "ring_size 65536"
	"$B" attach "$PF"
	ip netns exec "$VF0_NS" "$B" attach "$VF0"
	ip netns exec "$VF1_NS" "$B" attach "$VF1"

	"$B" watch >"$TMP/w.txt" 2>"$TMP/w.err" &
	pid=$!
	sleep 1
	kill -STOP $pid
	floods 6000
	sleep 1
	kill -CONT $pid
	sleep 3
	kill -INT $pid
	wait $pid || rc=$?
	check_eq "$rc" 0 "watch exit status: $(cat "$TMP/w.err")"
	s=$(summary "$TMP/w.err")
	echo "# stopped reader: summary records/lost/overruns: $s"
	has_overrun=$(grep -c '^lost socket-overrun$' "$TMP/w.txt")
	[ "$has_overrun" -gt 0 ]
	check_err $? "no overrun line (summary: $s)"
	check_eq "$has_overrun" "$(echo "$s" | cut -d' ' -f3)" "overrun lines vs summary"
	# records after the overrun: watching went on
	sed -n '/^lost socket-overrun$/,$p' "$TMP/w.txt" | grep -q '^ts='
	check_err $? "no record after the overrun"
	log_test "stopped reader: lost socket-overrun, and watching goes on"
}

trap_cleanup
[ -x "$B" ] || { echo "build sriov-rtt first: make -C user"; exit "$ksft_skip"; }
setup || { echo "setup failed"; exit 1; }
tests_run
