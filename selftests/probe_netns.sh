#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `sriov-rtt probe` against sriov-rtt-reflector over a veth pair, without
# the module: every probe answered over IPv4 and IPv6, RTT > 0, reflector
# >= 0, the CSV's components sum exactly to T4 - T1 per packet; a silent
# port loses every probe and still exits 0. Runs on a host, as root:
#   bash selftests/probe_netns.sh
#
#   netns srtt-pr-a-PID (session-sender)   netns srtt-pr-b-PID (reflector)
#   +------------------------------+       +------------------------------+
#   | srtt-pr-a0  192.0.2.1/24     | veth  | srtt-pr-b0  192.0.2.2/24     |
#   |             2001:db8:8::1/64 |=======|             2001:db8:8::2/64 |
#   | sriov-rtt probe              |       | sriov-rtt-reflector          |
#   +------------------------------+       |   --port 8620                |
#                                          +------------------------------+

ALL_TESTS="
	probe_ipv4
	probe_ipv6
	probe_silent
"

source "$(dirname "$0")/lib.sh"

REFLECTOR=${REFLECTOR:-$LAB_TOP/user/stamp/build/sriov-rtt-reflector}
SRTT=${SRTT:-$LAB_TOP/user/build/sriov-rtt}
NSA=srtt-pr-a-$$
NSB=srtt-pr-b-$$
A4=192.0.2.1
B4=192.0.2.2
A6=2001:db8:8::1
B6=2001:db8:8::2
PORT=8620
SILENT=8629
TMP=$(mktemp -d)
REFL_PID=

cleanup()
{
	refl_stop
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$TMP"
}

setup()
{
	netns_pair "$NSA" "$NSB" srtt-pr-a0 srtt-pr-b0 $A4 $A6 $B4 $B6
}

refl_start()
{
	local _

	ip netns exec "$NSB" "$REFLECTOR" "$@" 2>"$TMP/refl.log" &
	REFL_PID=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$TMP/refl.log" && return 0
		kill -0 "$REFL_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "reflector did not start: $(cat "$TMP/refl.log")"
	REFL_PID=
	return 1
}

refl_stop()
{
	[ -n "$REFL_PID" ] || return 0
	kill -TERM "$REFL_PID" 2>/dev/null
	wait "$REFL_PID" 2>/dev/null
	REFL_PID=
}

# check_probe JSON CSV SENT RECEIVED LOST: python3 asserts; prints FAIL lines
check_probe()
{
	python3 - "$@" <<'PY'
import csv, json, sys
jpath, cpath, sent, recv, lost = sys.argv[1:6]
bad = []
j = json.load(open(jpath))
for k, want in (("sent", sent), ("received", recv), ("lost", lost)):
    if j[k] != int(want):
        bad.append("%s %s, want %s" % (k, j[k], want))
for k in ("late", "duplicate", "unmatched", "malformed"):
    if j[k] != 0:
        bad.append("%s %s, want 0" % (k, j[k]))
names = [c["name"] for c in j["components"]]
if int(recv):
    if "reflector" not in names or "rtt" not in names:
        bad.append("components %s lack rtt or reflector" % names)
    for c in j["components"]:
        if c["count"] != int(recv) or c["impossible"] != 0:
            bad.append("component %s: count %s impossible %s" % (c["name"], c["count"], c["impossible"]))
    if not any("not visible" in s for s in j["not_visible"]):
        bad.append("no 'not visible' note")
rows = list(csv.DictReader(open(cpath)))
if len(rows) != int(sent):
    bad.append("%d CSV rows, want %s" % (len(rows), sent))
comps = [f for f in rows[0].keys() if f.endswith("_ns") and f not in
         ("t1_ns", "t2_ns", "t3_ns", "t4_ns", "rtt_ns")] if rows else []
nrecv = 0
for r in rows:
    flags = r["flags"].split("|")
    if "received" not in flags:
        if "lost" not in flags:
            bad.append("seq %s neither received nor lost" % r["seq"])
        continue
    nrecv += 1
    t1, t2, t3, t4, rtt = (int(r[k]) for k in ("t1_ns", "t2_ns", "t3_ns", "t4_ns", "rtt_ns"))
    if rtt != t4 - t1 or rtt <= 0:
        bad.append("seq %s: rtt %d, T4-T1 %d" % (r["seq"], rtt, t4 - t1))
    if int(r["reflector_ns"]) != t3 - t2 or t3 - t2 < 0:
        bad.append("seq %s: reflector %s, T3-T2 %d" % (r["seq"], r["reflector_ns"], t3 - t2))
    s = sum(int(r[c]) for c in comps)
    if s != rtt:
        bad.append("seq %s: components sum %d != rtt %d" % (r["seq"], s, rtt))
if nrecv != int(recv):
    bad.append("%d received rows, want %s" % (nrecv, recv))
for b in bad[:5]:
    print("FAIL " + b)
print("components=" + ",".join(names))
sys.exit(1 if bad else 0)
PY
}

# probe_run DST PORT: run probe from $NSA; rc in $PROBE_RC
probe_run()
{
	ip netns exec "$NSA" "$SRTT" -j probe "$1" --port "$2" --count 20 \
		--interval 0.02 --timeout 1 --size 64 --csv "$TMP/probe.csv" \
		>"$TMP/probe.json" 2>"$TMP/probe.err"
	PROBE_RC=$?
}

probe_to()
{
	local dst=$1 out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run "$dst" $PORT
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit status ($(cat "$TMP/probe.err"))"
	out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 20 0)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
}

probe_ipv4()
{
	probe_to $B4
	log_test "IPv4: 20 sent, 20 received, rtt > 0, reflector >= 0, components sum to T4-T1"
}

probe_ipv6()
{
	probe_to $B6
	log_test "IPv6: 20 sent, 20 received, rtt > 0, reflector >= 0, components sum to T4-T1"
}

probe_silent()
{
	local out dst

	for dst in $B4 $B6; do
		probe_run "$dst" $SILENT
		check_eq "$PROBE_RC" 0 "probe exit status to a silent port ($(cat "$TMP/probe.err"))"
		out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 0 20)
		check_err $? "$dst: $(grep FAIL <<<"$out" | tr '\n' ';')"
	done
	log_test "silent port: 20 of 20 lost, exit 0 (IPv4 and IPv6)"
}

trap_cleanup
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root for network namespaces"
	exit "$ksft_skip"
fi
if { [ ! -x "$REFLECTOR" ] || [ ! -x "$SRTT" ]; } && command -v cc >/dev/null; then
	make -s -C "$LAB_TOP/user" >/dev/null || exit 1
fi
if [ ! -x "$REFLECTOR" ] || [ ! -x "$SRTT" ]; then
	echo "SKIP: no $REFLECTOR or $SRTT (make -C user)"
	exit "$ksft_skip"
fi
if ! setup; then
	echo "SKIP: cannot create network namespaces and veth"
	exit "$ksft_skip"
fi
tests_run
