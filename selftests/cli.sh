#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2034,SC2154 # ALL_TESTS, SCRIPT, ksft_*: lib.sh
#
# sriov-rtt against the real module in the lab: the PF->VF map from
# rtnetlink and sysfs, every exit code, records over the multicast group,
# histogram percentiles equal to the debugfs ones, and no leak, memory
# error or undefined behaviour under ASan, LSan and UBSan (the build in
# user/build/san). Run it from the top of the tree after 'make -C user':
#
#   scripts/lab --run selftests/run cli.sh
#
#   root ns: PF (igb)  [attached]           guest1: VF0 (igbvf) [attached]
#        |                                  guest2: VF1 (igbvf)
#   [ igb eSwitch ] -- ping guest1 -> PF; sriov-rtt watches and reads back

ALL_TESTS="
	devices_no_module
	devices_vf_config
	devices_vf_namespace
	errors_no_module
	attach_detach
	devices_attached
	stats_dev
	watch_records
	watch_text_format
	hist_equals_debugfs
	show_outputs
	config_show_set
	hist_reset
	not_root
	watch_stops
	sanitizers_clean
"

LAB_TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

SCRIPT=cli
B=$LAB_TOP/user/build/sriov-rtt
B_SAN=$LAB_TOP/user/build/san/sriov-rtt
TMP=$(mktemp -d)

cleanup()
{
	srtt_unload
	rm -rf "$TMP"
}

# run NS ARGS…: sriov-rtt in namespace NS ("" = root); stdout, stderr and
# the exit status land in $TMP/out, $TMP/err, $RC.
run()
{
	local ns=$1

	shift
	RC=0
	in_ns "$ns" "$B" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
}

has()
{
	grep -qE -- "$2" "$1"
	check_err $? "$(basename "$1") lacks /$2/: $(head -c 600 "$1")"
}

lacks()
{
	! grep -qE -- "$2" "$1"
	check_err $? "$(basename "$1") has /$2/"
}

json_ok()
{
	python3 -m json.tool "$1" >/dev/null 2>&1
	check_err $? "$(basename "$1") is not JSON: $(head -c 300 "$1")"
}

pings()
{
	ip netns exec "$VF0_NS" ping -q -c "$1" -i 0.05 -W 1 "$PF_IP4" >/dev/null
}

devices_no_module()
{
	srtt_unload
	run "" devices
	check_eq "$RC" 0 "devices exit status"
	has "$TMP/out" "^$PF: pf $PF_PCI driver igb vfs 2/7$"
	has "$TMP/out" "^    vf 0 not in this namespace $VF0_PCI mac 02:00:00:00:05:10 vlan 0 spoofchk (on|off) trust off link-state auto driver igbvf$"
	has "$TMP/out" "^    vf 1 not in this namespace $VF1_PCI mac 02:00:00:00:05:11 "
	has "$TMP/out" "^attached: unknown \(module not loaded\)$"
	run "" -j devices
	json_ok "$TMP/out"
	python3 - "$TMP/out" "$PF" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert len(d) == 1 and d[0]["ifname"] == sys.argv[2], d
	assert d[0]["numvfs"] == 2 and d[0]["totalvfs"] == 7, d
	assert d[0]["attached"] is None, d
	vf = d[0]["vfs"][0]
	assert vf["ifname"] is None and vf["mac"] == "02:00:00:00:05:10", vf
	assert vf["trust"] is False and vf["link_state"] == "auto", vf
	EOF
	check_err $? "devices -j: $(cat "$TMP/out")"
	log_test "devices without the module"
}

devices_vf_config()
{
	ip link set "$PF" vf 1 vlan 5 qos 2 spoofchk off trust on
	check_err $? "ip link set vf 1"
	run "" devices
	has "$TMP/out" "^    vf 1 not in this namespace $VF1_PCI mac 02:00:00:00:05:11 vlan 5 qos 2 spoofchk off trust on link-state auto driver igbvf$"
	ip link set "$PF" vf 1 vlan 0 qos 0 spoofchk on trust off
	log_test "devices shows VLAN, QoS, spoofchk and trust"
}

devices_vf_namespace()
{
	run "$VF0_NS" devices
	check_eq "$RC" 0 "devices in $VF0_NS"
	has "$TMP/out" "^$VF0: vf $VF0_PCI index 0 pf not in this namespace pf-pci $PF_PCI driver igbvf$"
	run "$VF0_NS" -j devices
	json_ok "$TMP/out"
	has "$TMP/out" '"role":"vf","pci":"'"$VF0_PCI"'","vf":0,"pf":null'
	log_test "devices in a VF's namespace"
}

errors_no_module()
{
	local cmd

	srtt_unload
	for cmd in "stats" "attach $PF" "hist" "config" "watch --count 1"; do
		# shellcheck disable=SC2086
		run "" $cmd
		check_eq "$RC" 2 "$cmd exit status"
		has "$TMP/err" "^the sriov_rtt module is not loaded: run 'modprobe sriov_rtt' or 'insmod module/sriov_rtt.ko'$"
	done
	run "" frobnicate
	check_eq "$RC" 1 "unknown command"
	log_test "exit 2 without the module"
}

attach_detach()
{
	srtt_load
	check_err $? "insmod"
	run "" attach "$PF"
	check_eq "$RC" 0 "attach $PF: $(cat "$TMP/err")"
	run "" attach "$PF"
	check_eq "$RC" 6 "attach twice"
	has "$TMP/err" "^attach $PF failed: .+: File exists$"
	run "" attach eth9
	check_eq "$RC" 4 "attach eth9"
	has "$TMP/err" "^no device eth9 in this network namespace$"
	run "" detach "$PF"
	check_eq "$RC" 0 "detach"
	run "" detach "$PF"
	check_eq "$RC" 5 "detach twice"
	has "$TMP/err" "^$PF is not attached; run: sriov-rtt attach $PF$"
	run "" stats "$PF"
	check_eq "$RC" 5 "stats of a detached device"
	run "" hist "$PF"
	check_eq "$RC" 5 "hist of a detached device"
	run "" attach "$PF"
	check_eq "$RC" 0 "attach again"
	run "$VF0_NS" attach "$VF0"
	check_eq "$RC" 0 "attach $VF0 in $VF0_NS: $(cat "$TMP/err")"
	log_test "attach, detach and their exit codes"
}

devices_attached()
{
	run "" devices
	has "$TMP/out" "^$PF: pf $PF_PCI driver igb vfs 2/7 attached \(stages default\)$"
	# VF0 is attached in guest1: known by its PCI address
	has "$TMP/out" "^    vf 0 not in this namespace $VF0_PCI .* driver igbvf attached \(stages default\)$"
	has "$TMP/out" "^    vf 1 not in this namespace $VF1_PCI .* driver igbvf$"
	lacks "$TMP/out" "^attached: unknown"
	run "$VF0_NS" devices
	has "$TMP/out" "^$VF0: vf .* driver igbvf attached \(stages default\)$"
	run "$VF1_NS" devices
	has "$TMP/out" "^$VF1: vf .* driver igbvf not attached$"
	log_test "devices marks what is attached, with its stage set"
}

dev_id()
{
	"$B" -j stats "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["dev_id"])'
}

stats_dev()
{
	pings 10
	run "" stats "$PF"
	check_eq "$RC" 0 "stats $PF"
	has "$TMP/out" "^$PF id [0-9]+: impossible [0-9]+ track_busy [0-9]+ track_restart [0-9]+ track_evict [0-9]+$"
	has "$TMP/out" "^    rx_drv +[1-9][0-9]* +0 +0$"
	# ten pings' replies came in on the PF's vectors
	has "$TMP/out" "^    notifications: irqs [1-9][0-9]* napi_polls [1-9][0-9]*$"
	run "" -j stats
	json_ok "$TMP/out"
	python3 - "$TMP/out" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert len(d) == 2, d		# PF here, VF0 in guest1
	assert all(len(x["stages"]) == 14 for x in d), d
	assert all(x["irqs"] >= 0 and x["napi_polls"] >= 0 for x in d), d
	# a PF counts its VFs' hypervisor events; nobody else has them
	ev = {x["ifname"]: [e["stage"] for e in x["events"]] for x in d}
	assert sorted(ev.values()) == [[], ["hv_irq", "hv_inject", "hv_signal"]], ev
	EOF
	check_err $? "stats -j of two devices"
	run "" -j stats "$PF"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 1 and d[0]["ifname"] == sys.argv[2]' "$TMP/out" "$PF"
	check_err $? "stats -j $PF: $(cat "$TMP/out")"
	log_test "stats"
}

watch_records()
{
	local id pid rc=0

	id=$(dev_id "$PF")
	"$B" -j watch "$PF" --count 20 >"$TMP/w.json" 2>"$TMP/w.err" &
	pid=$!
	sleep 1
	pings 10
	timeout 30 tail --pid=$pid -f /dev/null
	wait $pid || rc=$?
	check_eq "$rc" 0 "watch exit status: $(cat "$TMP/w.err")"
	check_eq "$(wc -l <"$TMP/w.json")" 20 "records printed"
	has "$TMP/w.err" "^watch: 20 records, 0 lost, 0 overruns$"
	python3 - "$TMP/w.json" "$id" <<-'EOF'
	import json, sys
	names = ["ts", "clock", "stage", "dev_id", "ifindex", "cpu", "queue",
		 "probe", "dir", "id", "seq", "hwts", "flags"]
	for line in open(sys.argv[1]):
	    r = json.loads(line)
	    assert list(r) == names, r
	    assert r["dev_id"] == int(sys.argv[2]) and r["probe"] == "icmp", r
	    assert isinstance(r["ts"], int) and r["clock"] == "mono", r
	EOF
	check_err $? "watch -j lines: $(head -3 "$TMP/w.json")"
	log_test "watch: JSON lines of one device"
}

watch_text_format()
{
	local pid rc=0

	"$B" watch --count 10 >"$TMP/w.txt" 2>"$TMP/w.err" &
	pid=$!
	sleep 1
	pings 5
	timeout 30 tail --pid=$pid -f /dev/null
	wait $pid || rc=$?
	check_eq "$rc" 0 "watch exit status"
	check_eq "$(grep -cE '^ts=[0-9]+ clock=mono stage=[a-z_]+ dev=[0-9]+ ifindex=[0-9]+ cpu=[0-9]+ queue=([0-9]+|-) probe=icmp dir=(fwd|rev) id=[0-9]+ seq=[0-9]+ hwts=([0-9]+|-) flags=0x[0-9a-f]+$' "$TMP/w.txt")" 10 \
		"record lines: $(head -3 "$TMP/w.txt")"
	log_test "watch: the debugfs record line"
}

hist_equals_debugfs()
{
	run "" -j hist "$PF"
	check_eq "$RC" 0 "hist -j $PF"
	json_ok "$TMP/out"
	python3 - "$TMP/out" "$SRTT_DBG/hist/$PF" <<-'EOF'
	import json, sys
	rows = json.load(open(sys.argv[1]))
	assert rows, "no histogram with samples"
	for r in rows:
	    f = "%s/%s-%s" % (sys.argv[2], r["from"], r["to"])
	    kv = dict(l.split()[:2] for l in open(f) if not l.startswith("bucket"))
	    assert r["ifname"], r
	    for k in ["count", "min", "p50", "p90", "p99", "p99.9", "max"]:
	        want = kv[k]
	        got = r[k if k == "count" else k + "_ns"]
	        got = "-" if got is None else str(got)
	        assert got == want, (f, k, got, want)
	print(len(rows), "pairs equal")
	EOF
	check_err $? "hist differs from debugfs"
	# the same histograms for Prometheus: promtool accepts the file,
	# and each pair's _count is the count hist -j printed
	run "" hist "$PF" --prometheus "$TMP/m.prom"
	check_eq "$RC" 0 "hist --prometheus ($(cat "$TMP/err"))"
	promtool check metrics <"$TMP/m.prom" >"$TMP/promtool.txt" 2>&1
	check_err $? "promtool check metrics: $(head -c 400 "$TMP/promtool.txt")"
	run "" -j hist "$PF"
	python3 - "$TMP/out" "$TMP/m.prom" "$PF" <<-'EOF'
	import json, re, sys
	rows = json.load(open(sys.argv[1]))
	prom = open(sys.argv[2]).read()
	for r in rows:
	    m = re.search(r'^sriov_rtt_interval_seconds_count\{ifname="%s",from="%s",to="%s"\} (\d+)$'
	                  % (sys.argv[3], r["from"], r["to"]), prom, re.M)
	    assert m and int(m.group(1)) == r["count"], (r["from"], r["to"], r["count"], m and m.group(1))
	assert re.search(r'^sriov_rtt_stage_records_total\{ifname="%s",stage="rx_drv"\} [1-9]' % sys.argv[3], prom, re.M), "no rx_drv records counter"
	print(len(rows), "pairs in the Prometheus file")
	EOF
	check_err $? "hist --prometheus differs from hist -j"
	run "" hist "$PF" rx_drv rx_stack
	has "$TMP/out" "^dev +from +to +count +min +p50 +p90 +p99 +p99.9 +max$"
	has "$TMP/out" "^$PF +rx_drv +rx_stack +[1-9]"
	run "" hist "$PF" tx_hw rx_hw
	check_eq "$RC" 1 "hist across directions"
	log_test "hist percentiles equal debugfs; hist --prometheus passes promtool with the same counts"
}

# Not a test: what the commands print, for people reading the log.
show_outputs()
{
	local cmd

	for cmd in "devices" "-p devices" "stats $PF" "hist" \
		   "hist $PF rx_drv rx_stack" "-j hist $PF rx_drv rx_stack" \
		   "config"; do
		echo "# \$ sriov-rtt $cmd"
		# shellcheck disable=SC2086
		"$B" $cmd 2>&1 | sed 's/^/# /'
	done
	echo "# \$ ip netns exec $VF0_NS sriov-rtt -j devices"
	ip netns exec "$VF0_NS" "$B" -j devices 2>&1 | sed 's/^/# /'
	echo "# \$ sriov-rtt watch --count 6"
	sed 's/^/# /' "$TMP/w.txt" | head -6
	log_test "show outputs"
}

config_show_set()
{
	run "" config
	check_eq "$(cat "$TMP/out")" "$(printf 'stamp_port 862\nsample 0\nring_size 4096')" "config"
	run "" config set sample 10
	check_eq "$RC" 0 "config set sample 10"
	run "" -j config
	check_eq "$(cat "$TMP/out")" '{"stamp_port":862,"sample":10,"ring_size":4096}' "config -j"
	run "" config set sample 0
	run "" config set ring_size 128
	check_eq "$RC" 6 "ring_size while attached"
	has "$TMP/err" "^config set ring_size 128 failed: .*detach every device.*: Device or resource busy$"
	run "" config set ring_size 100
	check_eq "$RC" 1 "ring_size 100"
	log_test "config show and set"
}

hist_reset()
{
	run "" hist reset
	check_eq "$RC" 0 "hist reset"
	run "" hist
	has "$TMP/out" "^no samples yet on any attached device$"
	log_test "hist reset"
}

not_root()
{
	local cmd

	local cmds=("attach $PF" "detach $PF" "hist reset" "config set sample 1")

	command -v setpriv >/dev/null || { log_test_skip "not root" "no setpriv"; return; }
	# the records group is admin-only from v6.7 (GENL_MCAST_CAP_NET_ADMIN)
	case "$(uname -r)" in
	6.[0-6].*) ;;
	*) cmds+=("watch --count 1 --duration 2") ;;
	esac
	for cmd in "${cmds[@]}"; do
		RC=0
		# shellcheck disable=SC2086
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
			--bounding-set=-all "$B" $cmd >"$TMP/out" 2>"$TMP/err" || RC=$?
		check_eq "$RC" 3 "$cmd as nobody: $(cat "$TMP/err")"
		has "$TMP/err" "needs CAP_NET_ADMIN: run as root$"
	done
	RC=0
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$B" stats >"$TMP/out" 2>"$TMP/err" || RC=$?
	check_eq "$RC" 0 "stats as nobody: $(cat "$TMP/err")"
	log_test "writes need CAP_NET_ADMIN (exit 3)"
}

watch_stops()
{
	local pid rc=0 t0

	t0=$(date +%s)
	run "" watch --duration 1
	check_eq "$RC" 0 "watch --duration 1"
	[ $(($(date +%s) - t0)) -le 5 ]
	check_err $? "watch --duration 1 took $(($(date +%s) - t0)) s"
	has "$TMP/err" "^watch: [0-9]+ records, 0 lost, 0 overruns$"

	"$B" watch >/dev/null 2>"$TMP/w.err" &
	pid=$!
	sleep 1
	kill -INT $pid
	timeout 10 tail --pid=$pid -f /dev/null
	wait $pid || rc=$?
	check_eq "$rc" 0 "watch after SIGINT"
	has "$TMP/w.err" "^watch: 0 records, 0 lost, 0 overruns$"
	log_test "watch stops on duration and SIGINT"
}

# One sanitizer finding ends the run with exit code 86 and a report.
san()
{
	ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0 \
	UBSAN_OPTIONS=exitcode=86:print_stacktrace=1 "$B_SAN" "$@"
}

# The same commands as above through the instrumented build: every exit
# path of the netlink and sysfs code, errors included, frees what it took.
sanitizers_clean()
{
	local cmd pid rc i=0 pids=()
	local cmds=("devices" "-j devices" "stats" "-j stats $PF" "hist"
		    "hist $PF rx_drv rx_stack" "config" "attach eth9"
		    "detach eth9" "hist $PF nosuch" "stats --bogus")

	[ -x "$B_SAN" ] || { log_test_skip "sanitizers" "no $B_SAN"; return; }
	pings 5
	for cmd in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		san $cmd >/dev/null 2>"$TMP/san.$i" &
		pids+=($!)
		i=$((i + 1))
	done
	i=0
	for cmd in "${cmds[@]}"; do
		rc=0
		wait "${pids[$i]}" || rc=$?
		[ "$rc" != 86 ] && ! grep -q "Sanitizer\|runtime error" "$TMP/san.$i"
		check_err $? "$cmd: rc $rc $(head -c 600 "$TMP/san.$i")"
		i=$((i + 1))
	done
	rc=0
	san watch --count 5 >/dev/null 2>"$TMP/san" &
	pid=$!
	# until it has its 5 records (its start under TCG takes a moment)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 1
		pings 5
		kill -0 $pid 2>/dev/null || break
	done
	kill -INT $pid 2>/dev/null && rc=124
	wait $pid || [ "$rc" = 124 ] || rc=$?
	check_eq "$rc" 0 "watch: $(head -c 600 "$TMP/san")"
	log_test "ASan, LSan, UBSan: no leak, no memory error, no undefined behaviour"
}

trap_cleanup
[ -x "$B" ] || { echo "build sriov-rtt first: make -C user"; exit "$ksft_skip"; }
tests_run
