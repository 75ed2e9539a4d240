#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `sriov-rtt probe` against sriov-rtt-reflector over a veth pair, without
# the module: every probe answered over IPv4 and IPv6, RTT > 0, reflector
# >= 0, the CSV's components sum exactly to T4 - T1 per packet, one kernel
# so the clock offset is 0 exactly, and the output says that host and
# guest stages are not visible and why; --plain and two third-party
# reflectors (RFC 8762 base only; TLVs with U set) still give T1-T4; a
# silent port loses every probe and still exits 0; `report` of the CSV
# repeats the probe's figures and draws an SVG; --serial keeps one request
# in flight where the plain schedule overlaps them. Runs on a host, as root:
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
	probe_plain
	probe_serial
	probe_third_party
	probe_silent
	probe_report
"

source "$(dirname "$0")/lib.sh"

REFLECTOR=${REFLECTOR:-$LAB_TOP/user/stamp/build/sriov-rtt-reflector}
REFLECTOR3P=$LAB_TOP/selftests/stamp_reflector3p.py
SRTT=${SRTT:-$LAB_TOP/user/build/sriov-rtt}
NSA=srtt-pr-a-$$
NSB=srtt-pr-b-$$
REFL_NS=$NSB
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

# check_probe JSON CSV SENT RECEIVED LOST [KEY=VALUE…]: probe_check.py
check_probe()
{
	python3 "$LAB_TOP/selftests/probe_check.py" "$@"
}

# probe_run DST PORT [ARGS...]: run probe from $NSA; rc in $PROBE_RC
probe_run()
{
	local dst=$1 port=$2

	shift 2
	ip netns exec "$NSA" "$SRTT" -j probe "$dst" --port "$port" --count 20 \
		--interval 0.02 --timeout 3 --csv "$TMP/probe.csv" "$@" \
		>"$TMP/probe.json" 2>"$TMP/probe.err"
	PROBE_RC=$?
}

# probe_to DST [CHECK_PROBE EXPECTATIONS...]: our reflector, 20 of 20
probe_to()
{
	local dst=$1 out

	shift
	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run "$dst" $PORT
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit status ($(cat "$TMP/probe.err"))"
	out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 20 0 "$@")
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';') reflector: $SUMMARY"
	# without the module the reflector says so in its guest-stages TLV
	grep -q "guest stages: sriov_rtt module not loaded" "$TMP/refl.log"
	check_err $? "reflector log: $(head -c 300 "$TMP/refl.log")"
}

probe_ipv4()
{
	probe_to $B4 "host=module not loaded" "guest=gave no stages" \
		clock=same_kernel oneway=1
	log_test "IPv4: 20 of 20, components sum to T4-T1, one kernel: offset 0, one way sums, stages not visible and why"
}

probe_ipv6()
{
	probe_to $B6 "host=module not loaded" "guest=gave no stages" \
		clock=same_kernel oneway=1
	log_test "IPv6: 20 of 20, components sum to T4-T1, one kernel: offset 0, one way sums, stages not visible and why"
}

probe_plain()
{
	local out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run $B4 $PORT --plain --size 64
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit status ($(cat "$TMP/probe.err"))"
	out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 20 0 \
		"guest=--plain" clock=unknown)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
	# too small for the TLVs without --plain: a usage error
	ip netns exec "$NSA" "$SRTT" probe $B4 --size 64 >/dev/null 2>"$TMP/err"
	check_eq $? 1 "--size 64 without --plain"
	grep -q -- "--plain" "$TMP/err"
	check_err $? "the error names --plain: $(cat "$TMP/err")"
	log_test "--plain --size 64: 20 of 20, T1-T4 only; --size 64 with TLVs is refused"
}

# overlaps CSV: the requests sent before the previous reply came back
overlaps()
{
	python3 -c '
import csv, sys
rows = sorted((int(r["seq"]), int(r["t1_ns"]), int(r["t4_ns"]))
              for r in csv.DictReader(open(sys.argv[1])) if r["t4_ns"])
print(sum(1 for a, b in zip(rows, rows[1:]) if b[0] == a[0] + 1 and b[1] < a[2]))
' "$1"
}

# A reflector that holds each request 30 ms, requests every 5 ms: on the
# schedule they overlap; with --serial none does, and none is lost.
probe_serial()
{
	local n out

	refl_start --port $PORT --hold-us 30000
	check_err $? "reflector did not start"
	probe_run $B4 $PORT --interval 0.005 --count 10
	check_eq "$PROBE_RC" 0 "probe exit status ($(cat "$TMP/probe.err"))"
	n=$(overlaps "$TMP/probe.csv")
	[ "${n:-0}" -gt 0 ]
	check_err $? "without --serial: $n requests overlap their predecessor's round trip"
	probe_run $B4 $PORT --interval 0.005 --count 10 --serial
	refl_stop
	check_eq "$PROBE_RC" 0 "probe exit status ($(cat "$TMP/probe.err"))"
	out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 10 10 0 clock=same_kernel)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
	n=$(overlaps "$TMP/probe.csv")
	check_eq "$n" 0 "with --serial: requests sent before the previous reply"
	log_test "--serial: one request in flight (10 of 10, 0 overlaps; on the schedule they overlap)"
}

# A third-party reflector: T1-T4 still measured, guest stages explained.
probe_third_party()
{
	local mode want out

	for mode in base unknown; do
		case $mode in
		base) want="guest=carry no sriov_rtt TLVs" ;;
		unknown) want="guest=does not know the sriov_rtt TLVs" ;;
		esac
		ip netns exec "$NSB" python3 "$REFLECTOR3P" --port $PORT \
			--mode $mode --count 21 >"$TMP/3p.log" 2>&1 &
		REFL_PID=$!
		for _ in $(seq 50); do
			grep -q listening "$TMP/3p.log" && break
			sleep 0.1
		done
		probe_run $B4 $PORT
		refl_stop
		check_eq "$PROBE_RC" 0 "$mode: probe exit status ($(cat "$TMP/probe.err"))"
		out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 20 0 \
			"$want" clock=unknown)
		check_err $? "$mode: $(grep FAIL <<<"$out" | tr '\n' ';')"
	done
	log_test "third-party reflectors (base only; TLVs with U): 20 of 20, T1-T4, guest stages not visible and why"
}

# report FILE repeats what the probe printed, from the CSV alone.
probe_report()
{
	local out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run $B4 $PORT
	refl_stop
	ip netns exec "$NSA" "$SRTT" -j report "$TMP/probe.csv" \
		--svg "$TMP/probe.svg" >"$TMP/report.json" 2>"$TMP/report.err"
	check_eq $? 0 "report exit status ($(cat "$TMP/report.err"))"
	out=$(python3 - "$TMP/probe.json" "$TMP/report.json" "$TMP/probe.svg" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
p, r = (json.load(open(f)) for f in sys.argv[1:3])
bad = []
key = lambda j: [(c["name"], c["count"], c["p50_ns"], c["p99_ns"], c["max_ns"])
                 for c in j["components"]]
if key(p) != key(r):
    bad.append("components differ: %s vs %s" % (key(p), key(r)))
for k in ("sent", "received", "lost"):
    if p[k] != r[k]:
        bad.append("%s: %s vs %s" % (k, p[k], r[k]))
svg = ET.parse(sys.argv[3]).getroot()
rects = [e for e in svg.iter() if e.tag.endswith("rect")]
if len(rects) < 2 * (len(p["components"]) - 1):
    bad.append("svg: %d rects for %d components" % (len(rects), len(p["components"])))
for b in bad:
    print("FAIL " + b)
sys.exit(1 if bad else 0)
PY
)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
	# an interrupt stamp from before the send is left out, not negative
	cat >"$TMP/early.csv" <<-'EOF'
	seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_tx_drv_ns,g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,h_rx_irq_ns,h_rx_drv_ns
	0,sent|received|g_mono|same_boot,1000,3500,4000,6000,2000,1500,3000,4500,5000,5500
	1,sent|received|g_mono|same_boot,1000,3500,4000,6000,2000,2500,3000,4500,5000,5500
	EOF
	"$SRTT" -j report "$TMP/early.csv" >"$TMP/early.json" 2>"$TMP/err"
	check_eq $? 0 "report of a crafted CSV ($(cat "$TMP/err"))"
	out=$(python3 - "$TMP/early.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
c = {x["name"]: x for x in j["components"]}
bad = []
if j["stages"]["guest_rx_irq_early"] != 1 or j["stages"]["host_rx_irq_early"] != 0:
    bad.append("early %s/%s, want guest 1 host 0" % (j["stages"]["guest_rx_irq_early"], j["stages"]["host_rx_irq_early"]))
if any(x["impossible"] for x in j["components"]):
    bad.append("impossible: %s" % [(x["name"], x["impossible"]) for x in j["components"]])
if c.get("guest_irq", {}).get("count") != 1 or c["guest_irq"]["min_ns"] != 500:
    bad.append("guest_irq %s, want the second packet's 500 ns only" % c.get("guest_irq"))
for b in bad:
    print("FAIL " + b)
sys.exit(1 if bad else 0)
PY
)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
	printf 'seq,flags\n1,bogus\n' >"$TMP/bad.csv"
	"$SRTT" report "$TMP/bad.csv" >/dev/null 2>"$TMP/err"
	check_eq $? 1 "report of a CSV without the stamp columns"
	grep -q "not a sriov-rtt probe CSV" "$TMP/err"
	check_err $? "the error says so: $(cat "$TMP/err")"
	"$SRTT" report "$TMP/missing.csv" >/dev/null 2>"$TMP/err"
	check_eq $? 6 "report of a missing file"
	log_test "report: the probe's figures from its CSV; the SVG parses; an early interrupt stamp is left out; bad and missing files are refused"
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
