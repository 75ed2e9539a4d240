#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `sriov-rtt probe` against sriov-rtt-reflector over a veth pair, without
# the module: every probe answered over IPv4 and IPv6, RTT > 0, reflector
# >= 0, the CSV's components sum exactly to T4 - T1 per packet, one kernel
# so the clock offset is 0 exactly, and the output says that host and
# guest stages are not visible and why; --plain and two third-party
# reflectors (RFC 8762 base only; TLVs with U set) still give T1-T4; a
# silent port loses every probe and exits 1, as ping does; `report` of the CSV
# repeats the probe's figures and draws an SVG; `compare` of two runs, the
# second with the reflector holding each reply 5 ms, finds the reflector
# moved most (by 5 ms or more) and every other component by less than
# 1 ms, in JSON its schema accepts; --serial keeps one request
# in flight where the plain schedule overlaps them; TWAMP-Light
# reflectors' 38- and 41-byte replies still give T1-T4; ICMP unreachables
# counted one each, without spinning; Ctrl-C, output files, ping's option
# spellings and exit status, a new SSID each run. Runs on a host, as root:
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
	probe_compare
	probe_twamp_light
	probe_closed_port
	probe_sigint
	probe_bad_output
	probe_ping_options
	probe_new_ssid
"

source "$(dirname "$0")/lib.sh"

REFLECTOR=${REFLECTOR:-$LAB_TOP/user/build/sriov-rtt-reflector}
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
	check_eq $? 2 "--size 64 without --plain (a usage error: 2, as ping)"
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
              for r in csv.DictReader(l for l in open(sys.argv[1]) if l[0] != "#") if r["t4_ns"])
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
		: >"$TMP/3p.log"
		ip netns exec "$NSB" python3 "$REFLECTOR3P" --port $PORT \
			--mode $mode --count 21 >>"$TMP/3p.log" 2>&1 &
		REFL_PID=$!
		wait_line $REFL_PID "$TMP/3p.log" listening
		check_err $? "$mode: the third-party reflector did not start: $(cat "$TMP/3p.log")"
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
w, h = (float(x) for x in svg.get("viewBox").split()[2:])
# over time: a path per component, named by its title
paths = {e.find("{http://www.w3.org/2000/svg}title").text for e in svg.iter()
         if e.tag.endswith("path") and e.find("{http://www.w3.org/2000/svg}title") is not None}
for c in p["components"][1:]:
    if c["name"] not in paths:
        bad.append("svg: no path for %s (%s)" % (c["name"], sorted(paths)))
if "RTT CDF" not in paths:
    bad.append("svg: no RTT CDF")
for e in svg.iter():
    if e.tag.endswith("text") and not (0 <= float(e.get("x")) <= w and 0 <= float(e.get("y")) <= h):
        bad.append("svg text outside the viewBox: %s" % e.text)
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
	log_test "report: the probe's figures from its CSV; the SVG has each component over time and the RTT's CDF, inside its viewBox; an early interrupt stamp is left out; bad and missing files are refused"
}

# compare: the reflector held 5 ms in the second run, and only there
probe_compare()
{
	local out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run $B4 $PORT
	refl_stop
	mv "$TMP/probe.csv" "$TMP/base.csv"
	refl_start --port $PORT --hold-us 5000
	check_err $? "reflector --hold-us did not start"
	probe_run $B4 $PORT
	refl_stop
	"$SRTT" -j compare --label base "$TMP/base.csv" --label held \
		"$TMP/probe.csv" --svg "$TMP/compare.svg" \
		>"$TMP/compare.json" 2>"$TMP/err"
	check_eq $? 0 "compare exit status ($(cat "$TMP/err"))"
	"$SRTT" compare "$TMP/base.csv" "$TMP/probe.csv" >"$TMP/compare.txt" 2>&1
	check_eq $? 0 "compare, text ($(head -c 300 "$TMP/compare.txt"))"
	out=$(python3 "$LAB_TOP/selftests/json_schema.py" "$TMP/compare.json" \
		"$LAB_TOP/selftests/compare.schema.json")
	check_err $? "$out"
	out=$(python3 - "$TMP/compare.json" "$TMP/compare.svg" \
		"$TMP/compare.txt" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
bad = []
# the reflector's component (merged with the socket receive without the
# module) holds the 5 ms, a sleep: at least that, more on a busy machine
m = j["moved_most"][0]
if "reflector" not in m["name"].split("+") or not m["moved"] or \
   not 4500000 <= m["d50_ns"] <= 50000000:
    bad.append("moved most: %s, want the reflector +5 ms or more, moved" % m)
for c in j["components"]:
    r = c["runs"][1]
    if c["name"] not in ("rtt", m["name"]) and abs(r.get("d50_ns") or 0) >= 1000000:
        bad.append("%s moved by 1 ms or more: %s" % (c["name"], r))
svg = ET.parse(sys.argv[2]).getroot()
w, h = (float(x) for x in svg.get("viewBox").split()[2:])
for e in svg.iter():
    if e.tag.endswith("text") and not (0 <= float(e.get("x")) <= w and 0 <= float(e.get("y")) <= h):
        bad.append("svg text outside the viewBox: %s" % e.text)
txt = open(sys.argv[3]).read()
if "moved most, against base" not in txt or "reflector" not in txt.split("moved most")[1]:
    bad.append("text: %s" % txt[-300:])
for b in bad:
    print("FAIL " + b)
sys.exit(1 if bad else 0)
PY
)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';')"
	rsvg-convert "$TMP/compare.svg" -o "$TMP/compare.png" 2>"$TMP/err"
	check_err $? "the chart does not render: $(cat "$TMP/err")"
	"$SRTT" compare "$TMP/base.csv" "$TMP/missing.csv" >/dev/null 2>"$TMP/err"
	check_eq $? 6 "compare with a missing file"
	grep -q "compare: $TMP/missing.csv: No such file" "$TMP/err"
	check_err $? "the error names the file: $(cat "$TMP/err")"
	"$SRTT" compare "$TMP/base.csv" >/dev/null 2>"$TMP/err"
	check_eq $? 1 "compare of one run"
	log_test "compare: the reflector held 5 ms moved most (>= 4.5 ms), every other component < 1 ms; JSON by its schema, the SVG inside its viewBox and rendered; a missing file named"
}

probe_silent()
{
	local out dst

	for dst in $B4 $B6; do
		probe_run "$dst" $SILENT
		check_eq "$PROBE_RC" 1 "probe exit status to a silent port, no reply: 1 as ping ($(cat "$TMP/probe.err"))"
		out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 0 20)
		check_err $? "$dst: $(grep FAIL <<<"$out" | tr '\n' ';')"
	done
	log_test "silent port: 20 of 20 lost, exit 1 (IPv4 and IPv6)"
}

# start_light LEN: the TWAMP-Light reflector of twamp_light.py in $NSB
start_light()
{
	: >"$TMP/light.log"
	ip netns exec "$NSB" python3 "$LAB_TOP/selftests/twamp_light.py" \
		reflector --port $PORT --len "$1" >>"$TMP/light.log" 2>&1 &
	REFL_PID=$!
	wait_line $REFL_PID "$TMP/light.log" listening
}

# RFC 8762 4.6 the other way: a TWAMP-Light reflector's RFC 5357 replies,
# 41 bytes (with the TTL) and 38 (without), whatever our request's size
probe_twamp_light()
{
	local len out want_ttl

	for len in 41 38; do
		start_light $len
		check_err $? "$len: the TWAMP-Light reflector did not start: $(cat "$TMP/light.log")"
		probe_run $B4 $PORT
		refl_stop
		check_eq "$PROBE_RC" 0 "$len: probe exit status ($(cat "$TMP/probe.err"))"
		out=$(check_probe "$TMP/probe.json" "$TMP/probe.csv" 20 20 0 \
			"guest=TWAMP-Light reflector" clock=unknown)
		check_err $? "$len: $(grep FAIL <<<"$out" | tr '\n' ';')"
		want_ttl=0
		[ $len -lt 41 ] && want_ttl=20
		out=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(j.get("twamp_light"), j.get("twamp_light_no_ttl"), j.get("malformed"))' "$TMP/probe.json")
		check_eq "$out" "20 $want_ttl 0" "$len: TWAMP-Light replies, without TTL, malformed"
		out=$(python3 "$LAB_TOP/selftests/ee_check.py" \
			"$(sed -n 's/^ee=0x//p' "$TMP/light.log")")
		check_err $? "$len: the probe's own Error Estimate: $out"
	done
	log_test "TWAMP-Light reflector, 41- and 38-byte replies: 20 of 20, T1-T4, TTL and TLVs not visible, not malformed; the probe's Error Estimate is adjtimex()'s"
}

# ICMP port unreachable (nothing listens): each counted once, no spinning
probe_closed_port()
{
	local out

	# the reflector's side answers every packet (no ICMP rate limit)
	ip netns exec "$NSB" sysctl -q -w net.ipv4.icmp_ratelimit=0
	ip netns exec "$NSB" sysctl -q -w net.ipv6.icmp.ratelimit=0
	out=$(ip netns exec "$NSA" python3 -c '
import json, resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=open(sys.argv[-1] + ".json", "w"),
                     stderr=subprocess.DEVNULL)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
j = json.load(open(sys.argv[-1] + ".json"))
print(rc, j["unreachable"], j["sent"], "%.3f" % (ru.ru_utime + ru.ru_stime),
      "%.3f" % wall)
' "$SRTT" -j probe $B4 --port $SILENT --count 10 --interval 0.05 --timeout 1 \
		--csv "$TMP/closed")
	ip netns exec "$NSB" sysctl -q -w net.ipv4.icmp_ratelimit=1000
	read -r rc unreach sent cpu wall <<<"$out"
	check_eq "$rc $unreach $sent" "1 10 10" "exit status, ICMP unreachable, sent"
	# a probe spinning on the error queue uses the whole run's time;
	# startup and 10 sends a small part of it, however busy the machine
	python3 -c "import sys; sys.exit(not float('${cpu:-9}') < 0.25 * float('${wall:-0}'))"
	check_err $? "the probe used ${cpu}s of CPU in ${wall}s for 10 packets to a closed port (>= 1/4 of the run: spinning)"
	log_test "closed port, 10 packets: ICMP unreachable 10, exit 1, ${cpu}s of CPU in ${wall}s (a spin: all of it)"
}

# SIGINT ends the run like ping's Ctrl-C: summary, CSV, SVG, exit status
probe_sigint()
{
	local pid rc out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	ip netns exec "$NSA" "$SRTT" -j probe $B4 --port $PORT --count 10000 \
		--interval 0.01 --csv "$TMP/int.csv" --svg "$TMP/int.svg" \
		>"$TMP/int.json" 2>"$TMP/int.err" &
	pid=$!
	sleep 1.5
	kill -INT $pid
	wait $pid
	rc=$?
	refl_stop
	check_eq "$rc" 0 "exit status after SIGINT with replies ($(cat "$TMP/int.err"))"
	out=$(python3 -c 'import csv, json, sys
j = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(l for l in open(sys.argv[2]) if l[0] != "#"))
svg = open(sys.argv[3]).read()
print(0 < j["sent"] < 10000, j["received"] > 0, len(rows) == j["sent"],
      svg.startswith("<svg"))' "$TMP/int.json" "$TMP/int.csv" "$TMP/int.svg" 2>&1)
	check_eq "$out" "True True True True" "summary (0 < sent < 10000, replies), CSV rows = sent, SVG"
	log_test "SIGINT: the run ends with its summary, CSV and SVG, exit 0"
}

# a --csv or --svg that cannot be written fails before the first packet
probe_bad_output()
{
	local rc sum opt

	for opt in --csv --svg; do
		refl_start --port $PORT
		check_err $? "reflector did not start"
		ip netns exec "$NSA" "$SRTT" probe $B4 --port $PORT --count 5 \
			$opt "$TMP/no/such/dir/out" >/dev/null 2>"$TMP/bad.err"
		rc=$?
		refl_stop
		check_eq "$rc" 2 "$opt into a missing directory: exit status"
		grep -q -- "$opt $TMP/no/such/dir/out: No such file or directory" "$TMP/bad.err"
		check_err $? "$opt: the error names the path: $(cat "$TMP/bad.err")"
		check_eq "$(summary_received)" 0 "$opt: requests the reflector got"
	done
	log_test "--csv/--svg not writable: exit 2 at once, the path named, no packet sent"
}

# summary_received: the reflector's "received N" of its last run
summary_received()
{
	sed -n 's/.*: received \([0-9]*\),.*/\1/p' <<<"$SUMMARY"
}

# ping's spellings: -c, -i, -W, -s; usage errors exit 2
probe_ping_options()
{
	local out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	ip netns exec "$NSA" "$SRTT" -j probe $B4 --port $PORT -c 5 -i 0.02 \
		-W 1 -s 1000 >"$TMP/ping.json" 2>"$TMP/ping.err"
	check_eq $? 0 "probe -c 5 -i 0.02 -W 1 -s 1000 ($(cat "$TMP/ping.err"))"
	refl_stop
	out=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(j["sent"], j["received"], j["size"])' "$TMP/ping.json")
	check_eq "$out" "5 5 1000" "sent, received, size"
	"$SRTT" probe $B4 -c 0 >/dev/null 2>&1
	check_eq $? 2 "-c 0: a usage error"
	"$SRTT" probe $B4 --bogus >/dev/null 2>&1
	check_eq $? 2 "an unknown option"
	log_test "-c -i -W -s as ping spells them; usage errors exit 2"
}

# every run picks a new SSID (RFC 8972): no key of an earlier run matches
probe_new_ssid()
{
	local a b

	refl_start --port $PORT
	check_err $? "reflector did not start"
	probe_run $B4 $PORT --count 2
	a=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ssid"])' "$TMP/probe.json")
	probe_run $B4 $PORT --count 2
	b=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ssid"])' "$TMP/probe.json")
	refl_stop
	[ -n "$a" ] && [ "$a" != "$b" ] && [ "$a" != 0 ] && [ "$b" != 0 ]
	check_err $? "two runs' SSIDs: $a and $b"
	log_test "a new, non-zero SSID every run ($a, then $b)"
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
