#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2034,SC2154 # ALL_TESTS, SCRIPT, ksft_*: lib.sh
#
# The family driven from its spec by the kernel's own YNL client
# (tools/net/ynl/cli.py of linux-source-6.12, which scripts/ynl extracts
# into build/ynl): every do and dump, the replies decoded as the module's
# own views (debugfs) have them, and the records group through
# --subscribe, and batch by batch through YNL's struct decoder
# (selftests/ynl_records.py), record for record as many as were written.
#
#   root ns: PF (igb)  [attached]            guest1: VF0 (igbvf) [attached]
#        |                                   guest2: VF1 (igbvf) [attached]
#   [ igb eSwitch ] -- ping guest1 -> PF; cli.py --spec sriov_rtt.yaml
#
# Skips (4) without python3, its yaml and jsonschema modules (the lab
# runs this machine's own /), or without build/ynl (make spec-check).
# selftest-timeout: 600

ALL_TESTS="
	list_ops
	attach_detach
	dev_get
	config
	stats
	hist
	hist_reset
	records_subscribe
	records_batch
"

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

YNL=$LAB_TOP/build/ynl/tools/net/ynl
SPEC=$LAB_TOP/Documentation/netlink/specs/sriov_rtt.yaml
SCHEMA=$LAB_TOP/build/ynl/Documentation/netlink/genetlink-legacy.yaml
TMP=$(mktemp -d)
# the tree is read-only in the lab
export PYTHONDONTWRITEBYTECODE=1

cleanup()
{
	srtt_unload
	rm -rf "$TMP"
}

# ynl [--ns NS] ARGS…: cli.py with the spec (validated by list_ops, once),
# JSON on stdout into $TMP/out, stderr into $TMP/err, the status in $RC
ynl()
{
	local ns=

	if [ "$1" = --ns ]; then
		ns=$2
		shift 2
	fi
	RC=0
	in_ns "$ns" python3 "$YNL/cli.py" --spec "$SPEC" --no-schema \
		--output-json "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
}

# ynl_ok WHAT: the last ynl call succeeded
ynl_ok()
{
	check_eq "$RC" 0 "$1: cli.py exit status ($(head -c 400 "$TMP/out" "$TMP/err"))"
}

# ynl_refused WHAT ERRNO-TEXT EXTACK: the last call failed with both texts
ynl_refused()
{
	check_eq "$RC" 1 "$1: cli.py exit status"
	grep -q -- "Netlink error: $2" "$TMP/out"
	check_err $? "$1: not '$2': $(head -c 400 "$TMP/out")"
	grep -q -- "$3" "$TMP/out"
	check_err $? "$1: no extack '$3': $(head -c 400 "$TMP/out")"
}

# json_check WHAT CODE ARGS…: Python CODE asserts on d, the JSON of the
# last call's first line, with a = ARGS, dbg the debugfs directory and
# stage(N) the name debugfs gives stage or event N
json_check()
{
	local what=$1 code=$2

	shift 2
	python3 - "$TMP/out" "$SRTT_DBG" "$STAGES" "$EVENTS" "$code" "$@" \
		2>"$TMP/assert" <<-'EOF'
	import json, sys, textwrap
	d = json.loads(open(sys.argv[1]).readline())
	dbg, code, a = sys.argv[2], sys.argv[5], sys.argv[6:]
	names = dict(enumerate(sys.argv[3].split()))
	names.update((64 + i, n) for i, n in enumerate(sys.argv[4].split()))
	stage = names.__getitem__
	exec(textwrap.dedent(code))
	EOF
	check_err $? "$what: $(tail -n 1 "$TMP/assert") in $(head -c 300 "$TMP/out")"
}

# the spec's stage and event names, as debugfs writes them
spec_names()
{
	python3 - "$SPEC" "$1" <<-'EOF'
	import sys, yaml
	spec = yaml.safe_load(open(sys.argv[1]))
	for d in spec["definitions"]:
	    if d["name"] == sys.argv[2]:
	        print(" ".join((e if isinstance(e, str) else e["name"]).replace("-", "_")
	                       for e in d["entries"]))
	EOF
}

pings()
{
	ip netns exec "$VF0_NS" ping -q -c "$1" -i "$2" -W 1 "$PF_IP4" >/dev/null
}

# Every operation of the spec, as YNL reads it after validating it
# against the kernel's genetlink-legacy schema, in the lab's python.
list_ops()
{
	local want

	srtt_fresh
	RC=0
	python3 "$YNL/cli.py" --spec "$SPEC" --schema "$SCHEMA" --list-ops \
		>"$TMP/list" 2>"$TMP/err" || RC=$?
	ynl_ok "--list-ops"
	# an operation's modes in YNL's order, which is not always the same
	sed -e 's/\[ do, dump \]/[ dump, do ]/' "$TMP/list" >"$TMP/out"
	want=$(printf '%s\n' "dev-attach  [ do ]" \
		"dev-detach  [ do ]" "dev-get  [ dump, do ]" \
		"config-set  [ do ]" "config-get  [ do ]" \
		"stats-get  [ dump ]" "hist-get  [ dump ]" \
		"hist-reset  [ do ]" "records-flush  [ do ]")
	check_eq "$(cat "$TMP/out")" "$want" "operations"
	log_test "cli.py --list-ops: the spec validates, every operation"
}

attach_detach()
{
	local ifindex

	srtt_unload
	srtt_load
	ifindex=$(cat "/sys/class/net/$PF/ifindex")
	ynl --do dev-attach --json "{\"ifname\": \"$PF\"}"
	ynl_ok "dev-attach ifname"
	[ -n "$(srtt_dev_id "$PF")" ]
	check_err $? "dev-attach: $PF not in $SRTT_DBG/devices"
	ynl --do dev-attach --json "{\"ifname\": \"$PF\"}"
	ynl_refused "dev-attach twice" "File exists" "already attached"
	ynl --do dev-detach --json "{\"ifindex\": $ifindex}"
	ynl_ok "dev-detach ifindex"
	[ -z "$(srtt_dev_id "$PF")" ]
	check_err $? "dev-detach: $PF still in $SRTT_DBG/devices"
	# a stage set: bit 2 is tx_drv; bit 14 is past the last stage
	ynl --do dev-attach --json "{\"ifname\": \"$PF\", \"dev-stages\": 16384}"
	ynl_refused "dev-attach dev-stages 1<<14" "Invalid argument" "a bit past the last stage"
	ynl --do dev-attach --json "{\"ifname\": \"$PF\", \"dev-stages\": 4}"
	ynl_ok "dev-attach dev-stages 4"
	grep -q "^$PF .* stages=tx_drv nf=- " "$SRTT_DBG/devices"
	check_err $? "dev-stages 4: $(grep "^$PF " "$SRTT_DBG/devices")"
	ynl --do dev-detach --json "{\"ifname\": \"$PF\"}"
	ynl_ok "dev-detach after dev-stages"
	ynl --do dev-attach --json '{"ifname": "nosuchdev0"}'
	ynl_refused "dev-attach nosuchdev0" "No such device" "no device of this name"
	ynl --ns "$VF0_NS" --do dev-attach --json "{\"ifname\": \"$VF0\"}"
	ynl_ok "dev-attach from $VF0_NS"
	[ -n "$(srtt_dev_id "$VF0")" ]
	check_err $? "dev-attach: $VF0 not in $SRTT_DBG/devices"
	log_test "dev-attach, dev-detach: by name and ifindex, with a stage set, refusals with their reason"
}

# dev-get do and dump against the devices' own attributes
dev_get()
{
	srtt_fresh
	ynl --do dev-get --json "{\"ifname\": \"$PF\"}"
	ynl_ok "dev-get do"
	json_check "dev-get $PF" '
	want = {"ifname": a[0], "ifindex": int(a[1]), "dev-id": int(a[2]),
	        "dev-role": "pf", "dev-num-vfs": 2, "dev-pci": a[3],
	        "dev-driver": "igb", "dev-netns-ino": int(a[4]),
	        "dev-stages": 0x3fff & ~(1 << 0 | 1 << 11)}
	assert {k: d.get(k) for k in want} == want, want
	line = [l for l in open(dbg + "/devices") if l.split()[0] == a[0]][0]
	irqs = line.split("irqs=")[1].split()[0]
	assert d.get("dev-irq", []) == ([] if irqs == "-" else
	                                [int(i) for i in irqs.split(",")]), irqs
	' "$PF" "$(cat "/sys/class/net/$PF/ifindex")" "$(srtt_dev_id "$PF")" \
		"$PF_PCI" "$(stat -L -c %i /proc/self/ns/net)"
	ynl --dump dev-get
	ynl_ok "dev-get dump"
	json_check "dev-get dump" '
	by = {x["ifname"]: x for x in d}
	assert sorted(by) == sorted(a[:3]), sorted(by)
	assert by[a[0]]["dev-role"] == "pf"
	for vf, pci, idx in ((a[1], a[3], 0), (a[2], a[4], 1)):
	    x = by[vf]
	    assert (x["dev-role"], x["dev-pci"], x["dev-pf-pci"], x["dev-vf-index"],
	            x["dev-driver"]) == ("vf", pci, a[5], idx, "igbvf"), x
	' "$PF" "$VF0" "$VF1" "$VF0_PCI" "$VF1_PCI" "$PF_PCI"
	ynl --do dev-get --json "{\"ifname\": \"$VF1\"}"
	ynl_refused "dev-get $VF1 from the root namespace" "No such device" \
		"no device of this name"
	log_test "dev-get: do and dump as the devices are"
}

config()
{
	srtt_fresh
	ynl --do config-get
	ynl_ok "config-get"
	json_check "config-get" '
	assert d == {"cfg-stamp-port": 862, "cfg-sample": 0,
	             "cfg-ring-size": 4096}, "not the defaults"'
	ynl --do config-set --json '{"cfg-stamp-port": 8620, "cfg-sample": 1000}'
	ynl_ok "config-set"
	ynl --do config-get
	json_check "config-get after config-set" '
	assert d == {"cfg-stamp-port": 8620, "cfg-sample": 1000,
	             "cfg-ring-size": 4096}, "not what was set"
	assert "stamp_port 8620\n" in open(dbg + "/control").read()'
	ynl --do config-set --json '{"cfg-sample": 2000000}'
	ynl_refused "config-set cfg-sample 2000000" "Numerical result out of range" \
		"'bad-attr': '.cfg-sample'"
	ynl --do config-set --json '{"cfg-ring-size": 128}'
	ynl_refused "config-set cfg-ring-size while attached" \
		"Device or resource busy" "detach every device"
	ynl --do config-get --json '{"ifname": "x"}'
	ynl_refused "config-get with an attribute" "Invalid argument" \
		"Unknown attribute type"
	ynl --do config-set --json '{"cfg-stamp-port": 862, "cfg-sample": 0}'
	ynl_ok "config-set back"
	log_test "config-get, config-set: values, ranges, refusals"
}

# stats-get: every counter of every device as debugfs stats has it,
# events (stage 64 on) of the PF included, and the ifname filter
stats()
{
	srtt_fresh
	pings 10 0.05
	ynl --dump stats-get
	ynl_ok "stats-get dump"
	json_check "stats-get" '
	dbgstats = {}
	totals = {}
	for l in open(dbg + "/stats"):
	    f = l.split()
	    if len(f) == 5 and all(x.isdigit() for x in f[2:]):
	        dbgstats[(f[0], f[1])] = tuple(int(x) for x in f[2:])
	    elif len(f) == 9 and f[0].endswith(":") and f[1] == "impossible":
	        totals[f[0][:-1]] = [int(x) for x in f[2::2]]
	assert sorted(m["ifname"] for m in d) == sorted(a), [m["ifname"] for m in d]
	got = {}
	for m in d:
	    tracks = [m[k] for k in ("impossible", "track-busy", "track-restart",
	                             "track-evict")]
	    assert tracks == totals[m["ifname"]], (m["ifname"], tracks)
	    for s in m["stage-stats"]:
	        got[(m["ifname"], stage(s["stage"]))] = (s["hits"], s["lost"],
	                                                 s.get("bad", 0))
	assert got == dbgstats, set(got.items()) ^ set(dbgstats.items())
	assert got[(a[0], "rx_drv")][0] >= 10, got[(a[0], "rx_drv")]
	assert (a[0], "hv_irq") in got and (a[1], "hv_irq") not in got
	' "$PF" "$VF0" "$VF1"
	ynl --dump stats-get --json "{\"ifname\": \"$PF\"}"
	json_check "stats-get ifname $PF" 'assert [m["ifname"] for m in d] == a' "$PF"
	ynl --dump stats-get --json "{\"ifname\": \"$VF0\"}"
	json_check "stats-get ifname $VF0 from the root namespace" 'assert d == []'
	ynl --ns "$VF0_NS" --dump stats-get --json "{\"ifname\": \"$VF0\"}"
	json_check "stats-get ifname $VF0 from $VF0_NS" \
		'assert [m["ifname"] for m in d] == a' "$VF0"
	log_test "stats-get: the counters of debugfs stats, events and track-evict too"
}

# hist-get: each pair's histogram as its debugfs file has it
hist()
{
	srtt_fresh
	pings 10 0.05
	ynl --dump hist-get --json "{\"ifname\": \"$PF\"}"
	ynl_ok "hist-get dump"
	json_check "hist-get $PF" '
	full = 0
	assert d, "no histogram"
	for m in d:
	    assert m["ifname"] == a[0]
	    path = "%s/hist/%s/%s-%s" % (dbg, a[0], m["hist-from"].replace("-", "_"),
	                                 m["hist-to"].replace("-", "_"))
	    f = dict(l.split()[:2] for l in open(path) if not l.startswith("bucket"))
	    assert (m["hist-count"], m["hist-over"]) == (int(f["count"]),
	                                                 int(f["over"])), path
	    if m["hist-count"]:
	        assert (m["hist-min"], m["hist-max"]) == (int(f["min"]),
	                                                  int(f["max"])), path
	    buckets = sum(b["count"] for b in m.get("hist-bucket", []))
	    assert buckets == m["hist-count"], (path, buckets)
	    full += m["hist-count"] >= 10
	assert full, "no pair counted the 10 pings"
	' "$PF"
	log_test "hist-get: each pair as its debugfs file, buckets summing to the count"
}

hist_reset()
{
	srtt_fresh
	pings 5 0.05
	ynl --do hist-reset --json '{"ifname": "x"}'
	ynl_refused "hist-reset with an attribute" "Invalid argument" \
		"Unknown attribute type"
	ynl --do hist-reset
	ynl_ok "hist-reset"
	ynl --dump stats-get
	json_check "stats-get after hist-reset" '
	assert all(s["hits"] == 0 for m in d for s in m["stage-stats"])'
	ynl --dump hist-get
	json_check "hist-get after hist-reset" '
	assert d and all(m["hist-count"] == 0 for m in d)'
	log_test "hist-reset: every counter and histogram at zero"
}

# cli.py --subscribe: a notification per batch, each with the first record
# of its batch decoded (YNL decodes one struct per binary attribute)
records_subscribe()
{
	local pid

	srtt_fresh
	pings 5 0.2 &
	pid=$!
	# the drain's batches, every 10 ms; not with --do records-flush on the
	# same socket: 6.12's YNL reads the batches that come before the
	# flush's answer as messages of no operation (AttributeError)
	ynl --subscribe records --sleep 3
	wait "$pid"
	check_err $? "ping from $VF0_NS"
	ynl_ok "--subscribe records"
	# one line: the notifications
	python3 - "$TMP/out" "$(srtt_dev_id "$PF")" "$(srtt_dev_id "$VF0")" \
		"$(cat "/sys/class/net/$PF/ifindex")" 2>"$TMP/assert" <<-'EOF'
	import json, sys
	lines = open(sys.argv[1]).read().splitlines()
	assert len(lines) == 1, lines[:2]
	ntf = json.loads(lines[0])
	assert len(ntf) >= 1, "no notification"
	for n in ntf:
	    assert n["name"] == "records" and "records" in n["msg"], n
	    assert n["msg"].get("lost", 0) == 0, n
	    r = n["msg"]["records"]
	    assert (r["key-probe"], r["dev-id"] in (int(sys.argv[2]), int(sys.argv[3])),
	            1 <= r["key-seq"] <= 5, r["ts"] > 0) == ("icmp", True, True, True), r
	    assert isinstance(r["stage"], str) and not r["stage"].startswith("hv-"), r
	    assert r["key-dir"] in ("fwd", "rev") and "event" not in r["flags"], r
	    if r["dev-id"] == int(sys.argv[2]):
	        assert r["ifindex"] == int(sys.argv[4]), r
	EOF
	check_err $? "$(tail -n 1 "$TMP/assert") in $(head -c 300 "$TMP/out")"
	log_test "cli.py --subscribe records: each batch's first record decoded"
}

# Every record of every batch, decoded from the spec with YNL's struct
# decoder: as many as the module wrote, none lost, each ping's four
# driver stamps among them
records_batch()
{
	local pid rc=0

	srtt_fresh
	: >"$TMP/rec.err"
	python3 "$LAB_TOP/selftests/ynl_records.py" --ynl "$YNL" \
		--spec "$SPEC" --schema "$SCHEMA" --seconds 60 --flush \
		>"$TMP/rec.json" 2>"$TMP/rec.err" &
	pid=$!
	wait_line "$pid" "$TMP/rec.err" '^listening'
	check_err $? "ynl_records.py did not start: $(cat "$TMP/rec.err")"
	ynl --do hist-reset
	ynl_ok "hist-reset"
	pings 10 0.1
	check_err $? "ping from $VF0_NS"
	# it flushes, prints what came and exits
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	check_eq "$rc" 0 "ynl_records.py: $(tail -n 3 "$TMP/rec.err")"
	python3 - "$TMP/rec.json" "$SRTT_DBG/stats" "$(srtt_dev_id "$PF")" \
		"$(srtt_dev_id "$VF0")" 2>"$TMP/assert" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1])]
	hits = sum(int(f[2]) for f in map(str.split, open(sys.argv[2]))
	           if len(f) == 5 and all(x.isdigit() for x in f[2:]))
	assert len(recs) == hits, f"{len(recs)} records decoded, {hits} written"
	assert len({r["batch"] for r in recs}) < len(recs), "one record a batch"
	pf, vf = int(sys.argv[3]), int(sys.argv[4])
	have = {(r["key-seq"], r["dev-id"], r["stage"], r["key-dir"]) for r in recs
	        if r["key-probe"] == "icmp"}
	for seq in range(1, 11):
	    for want in ((vf, "tx-drv", "fwd"), (pf, "rx-drv", "fwd"),
	                 (pf, "tx-drv", "rev"), (vf, "rx-drv", "rev")):
	        assert (seq,) + want in have, ("missing", seq, want)
	EOF
	check_err $? "$(tail -n 1 "$TMP/assert")"
	grep -q '^[0-9]* records in [0-9]* batches, 0 lost$' "$TMP/rec.err"
	check_err $? "ynl_records.py: $(tail -n 1 "$TMP/rec.err")"
	log_test "records group: every record of every batch decoded, none lost"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit "$ksft_skip"; }
if ! python3 -c 'import yaml, jsonschema' 2>/dev/null; then
	echo "python3 with yaml and jsonschema missing: make deps"
	exit "$ksft_skip"
fi
if [ ! -r "$YNL/cli.py" ] || [ ! -r "$SCHEMA" ]; then
	echo "no YNL in $LAB_TOP/build/ynl: run make spec-check"
	exit "$ksft_skip"
fi
STAGES=$(spec_names stage)
EVENTS=$(spec_names event)
tests_run
