#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole measurement in the lab: sriov-rtt probe from the PF's
# namespace to sriov-rtt-reflector on VF0, with sriov_rtt.ko stamping
# both. The probe joins its kernel's stages (records group) with the
# guest's (the reflector's TLVs): every component of the model is there,
# un-merged, in most packets; per packet the components sum to T4 - T1
# exactly and none is impossible; one kernel, so the offset is 0 exactly
# and forward + reverse = network. Without the VF attached, or with a
# reflector that may not join the records group, the guest components
# merge and the output says why. A known delay lands where it belongs:
# 5 ms held by the reflector in "reflector", 5 ms of netem on VF0's
# egress in "guest_stack_tx", every other component's minimum moving by
# less than 1 ms.
#
#   root ns: PF eth0 (igb) [attached]         guest1: VF0 (igbvf) [attached]
#     sriov-rtt probe  ----[ igb eSwitch ]---->  sriov-rtt-reflector :8620

ALL_TESTS="
	breakdown_ipv4
	breakdown_ipv6
	reflector_hold
	guest_netem_delay
	guest2_other_vf
	vf_not_attached
	reflector_unprivileged
	no_module
"

source "$(dirname "$0")/lib.sh"

SRTT=$LAB_TOP/user/build/sriov-rtt
REFLECTOR=$LAB_TOP/user/stamp/build/sriov-rtt-reflector
CHECK=$LAB_TOP/selftests/probe_check.py
PORT=8620
REFL_NS=$VF0_NS
REFL_ARGS=(--port "$PORT")
TMP=$(mktemp -d)
REFL_PID=
# tx_drv_done is beside the path (Documentation/sriov_rtt.rst): the
# driver's TX work and the network are one component
ALL="host_stack_tx,host_drv_tx+network+guest_drv_tx,guest_irq,guest_stack_rx,reflector,guest_stack_tx,host_drv_rx,host_stack_rx"

cleanup()
{
	refl_stop
	srtt_unload
	rm -rf "$TMP"
}

setup()
{
	srtt_unload
	srtt_load || return 1
	# the module recognises STAMP on one port: ours, so nobody can bind it
	srtt_ctl "" set stamp_port $PORT &&
	srtt_ctl "" attach "$PF" && srtt_ctl "$VF0_NS" attach "$VF0"
}

# probe DST COUNT [OUT]: from the root namespace; rc in PROBE_RC
probe()
{
	"$SRTT" -j probe "$1" --port $PORT --count "$2" --interval 0.02 \
		--timeout 5 --csv "$TMP/p.csv" >"$TMP/p.json" 2>"$TMP/p.err"
	PROBE_RC=$?
	[ -z "${3:-}" ] || { cp "$TMP/p.json" "$3.json"; cp "$TMP/p.csv" "$3.csv"; }
}

# shifted BASE NEW COMPONENT: selftests/probe_shifted.py on BASE.csv, NEW.csv
shifted()
{
	python3 "$LAB_TOP/selftests/probe_shifted.py" "$1.csv" "$2.csv" "$3"
}

breakdown()
{
	local dst=$1 n=$2 out

	setup
	check_err $? "setup: $(grep last_error "$SRTT_DBG/control")"
	refl_start --
	check_err $? "reflector"
	probe "$dst" "$n"
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" "$n" "$n" 0 allcount=0 \
		"host=sriov_rtt records group" "guest=from the reflector" \
		clock=same_kernel oneway=1 "components=$ALL")
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	# the reflector flushed once per request ($n and the extra one)
	grep -q "guest stages: $((n + 1)) flushes (0 failed)" "$TMP/refl.log"
	check_err $? "reflector: $(grep 'guest stages' "$TMP/refl.log" | tail -1)"
	srtt_unload
}

breakdown_ipv4()
{
	breakdown "$VF0_IP4" 40
	log_test "PF -> VF0 IPv4: every component, sum = T4-T1 per packet, offset 0, forward + reverse = network"
}

breakdown_ipv6()
{
	breakdown "$VF0_IP6" 20
	log_test "PF -> VF0 IPv6: every component, sum = T4-T1 per packet, offset 0, forward + reverse = network"
}

reflector_hold()
{
	local out

	setup
	check_err $? "setup"
	refl_start --
	probe "$VF0_IP4" 40 "$TMP/base"
	refl_stop
	refl_start -- --hold-us 5000
	probe "$VF0_IP4" 40 "$TMP/hold"
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(shifted "$TMP/base" "$TMP/hold" reflector)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';') $(grep moved <<<"$out")"
	ktap "# $(grep moved <<<"$out" | tr '\n' ' ')"
	srtt_unload
	log_test "--hold-us 5000: reflector minimum +5 ms +-10 %, every other minimum within 1 ms"
}

guest_netem_delay()
{
	local out

	if ! ip netns exec "$VF0_NS" tc qdisc add dev "$VF0" root netem delay 5ms 2>"$TMP/tc.err"; then
		log_test_skip "netem on VF0" "$(head -c 200 "$TMP/tc.err")"
		return
	fi
	ip netns exec "$VF0_NS" tc qdisc del dev "$VF0" root
	setup
	check_err $? "setup"
	refl_start --
	probe "$VF0_IP4" 40 "$TMP/base"
	ip netns exec "$VF0_NS" tc qdisc add dev "$VF0" root netem delay 5ms
	probe "$VF0_IP4" 40 "$TMP/netem"
	ip netns exec "$VF0_NS" tc qdisc del dev "$VF0" root
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(shifted "$TMP/base" "$TMP/netem" guest_stack_tx)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';') $(grep moved <<<"$out")"
	ktap "# $(grep moved <<<"$out" | tr '\n' ' ')"
	srtt_unload
	log_test "netem delay 5ms on VF0's egress: guest_stack_tx minimum +5 ms +-10 %, every other minimum within 1 ms"
}

# PF -> VF1 in guest2: the other VF, its own reflector
guest2_other_vf()
{
	local out pid

	setup
	check_err $? "setup"
	srtt_ctl "$VF1_NS" attach "$VF1"
	ip netns exec "$VF1_NS" "$REFLECTOR" --port $PORT 2>"$TMP/refl2.log" &
	pid=$!
	for _ in $(seq 100); do
		grep -q 'listening on' "$TMP/refl2.log" && break
		sleep 0.1
	done
	probe "$VF1_IP4" 20
	kill -TERM $pid
	wait $pid
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" 20 20 0 allcount=0 \
		"host=sriov_rtt records group" "guest=from the reflector" \
		clock=same_kernel oneway=1 "components=$ALL")
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	srtt_unload
	log_test "PF -> VF1 (guest2): every component, sum = T4-T1 per packet"
}

# Without the module: T1-T4 still, and both sides said to be unseen
no_module()
{
	local out

	srtt_unload
	refl_start --
	probe "$VF0_IP4" 10
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" 10 10 0 \
		"host=module not loaded" "guest=gave no stages" clock=same_kernel)
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	log_test "module not loaded: T1-T4 measured, host and guest stages reported unseen"
}

vf_not_attached()
{
	local out

	setup
	check_err $? "setup"
	srtt_ctl "$VF0_NS" detach "$VF0"
	refl_start --
	check_err $? "reflector"
	probe "$VF0_IP4" 10
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" 10 10 0 allcount=0 \
		"host=sriov_rtt records group" "guest=gave no stages" \
		"components=host_stack_tx,reflector,host_drv_rx,host_stack_rx")
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	# the guest side merged, and said so
	python3 - "$TMP/p.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
m = j["merged"]
sys.exit(0 if any("guest_irq" in x and "network" in x for x in m) else 1)
PY
	check_err $? "merged: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["merged"])' "$TMP/p.json")"
	srtt_unload
	log_test "VF0 not attached: host components only, guest merged into network, and the output says why"
}

reflector_unprivileged()
{
	local out

	if ! command -v setpriv >/dev/null; then
		log_test_skip "reflector without CAP_NET_ADMIN" "no setpriv"
		return
	fi
	setup
	check_err $? "setup"
	refl_start setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all --
	check_err $? "reflector as nobody"
	grep -q "CAP_NET_ADMIN" "$TMP/refl.log"
	check_err $? "the reflector names the capability: $(head -c 300 "$TMP/refl.log")"
	probe "$VF0_IP4" 10
	refl_stop
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" 10 10 0 allcount=0 \
		"host=sriov_rtt records group" "guest=gave no stages")
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	check_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stages"]["guest_no_source"])' "$TMP/p.json")" 10 \
		"replies that said NO_SOURCE"
	srtt_unload
	log_test "reflector as nobody: answers, says it lacks CAP_NET_ADMIN, replies say NO_SOURCE"
}

trap_cleanup
tests_run
