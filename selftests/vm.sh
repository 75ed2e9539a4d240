#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2034,SC2154 # ALL_TESTS, ksft_*: lib.sh
#
# The host -> hypervisor -> guest case (lab topology vm): probes from the
# lab kernel ("host") to a nested KVM guest that owns VF0 through
# vfio-pci (guest A, igbvf inside) and to one with virtio-net + vhost-net
# over a macvtap in passthru mode on VF1 (guest B). Both guests run the
# lab's kernel with sriov_rtt loaded and their NIC attached, and the
# reflector; the host has the PF attached.
#
#   host: PF 192.0.2.1 --probe--> guest A 192.0.2.21 (VF0, vfio-pci)
#                      --probe--> guest B 192.0.2.22 (virtio, macvtap VF1)
#
#   scripts/lab --topology vm --run selftests/run vm.sh   (make check-vm)
#
# selftest-timeout: 1500

ALL_TESTS="
	guests_up
	hypervisor_events
	probe_guest_a
	probe_guest_b
	compare_guests
	both_guests_at_once
	netem_guest_a
	rmmod_under_probes
	vf_removal_guest_a_down
"

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/vm_lib.sh"

TMP=$(mktemp -d)
# the components of a guest with its NIC's interrupt, RX and TX stamped
# the guests run the lab kernel (6.12: sock:sk_data_ready, rx_sock)
ALL="host_stack_tx,host_drv_tx+network+guest_drv_tx,guest_irq,guest_stack_rx,guest_socket_rx,guest_wakeup,reflector,guest_stack_tx,host_drv_rx,host_stack_rx"

# dmesg_mark, then dmesg_since: the host's kernel log of this test only
# (a nested guest under TCG can starve the host's timer for minutes and
# leave an RCU stall report from an earlier test)
dmesg_mark() { DMESG_FROM=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +$((DMESG_FROM + 1)); }

host_setup()
{
	srtt_unload
	srtt_load || return 1
	srtt_ctl "" set stamp_port $PORT && srtt_ctl "" attach "$PF"
}

cleanup()
{
	for g in a b; do
		guest_teardown $g
	done
	srtt_unload
	rm -rf "$TMP"
}

# probe DST COUNT [OUT]: from the host; rc in PROBE_RC
probe()
{
	# the reflector's user space in a nested guest under TCG takes 0.2-3 s,
	# now and then more; one request at a time (--serial): on a schedule
	# they queue up in the guest, vhost signals once for several and the
	# host's events matched by time are another request's
	"$SRTT" -j probe "$1" --port $PORT --count "$2" --interval 0.02 \
		--serial --timeout 15 --csv "$TMP/p.csv" >"$TMP/p.json" 2>"$TMP/p.err"
	PROBE_RC=$?
	[ -z "${3:-}" ] || { cp "$TMP/p.json" "$3.json"; cp "$TMP/p.csv" "$3.csv"; }
}

guests_up()
{
	local g ip drv want

	for g in a b; do
		case $g in
		a) ip=$VMA_IP4 want=igbvf ;;
		b) ip=$VMB_IP4 want=virtio_net ;;
		esac
		drv=$(vm_exec $g ". /run/lab/topo.env; echo \$NIC_DRIVER")
		check_eq "$drv" "$want" "guest $g's NIC driver"
		ping -q -c 3 -i 0.2 -W 5 "$ip" >/dev/null
		check_err $? "ping guest $g ($ip)"
	done
	# the host's clock in the guests: ptp_kvm, where KVM's clock pairing
	# works (it needs the host on the TSC clocksource)
	for g in a b; do
		echo "# guest $g: ptp_kvm: $(vm_exec $g 'for c in /sys/class/ptp/*/clock_name; do [ -r "$c" ] && echo "${c%/clock_name}: $(cat "$c")"; done; dmesg | grep -i "ptp_kvm\|kvm.*ptp" | tail -n 2' | tr '\n' ';')"
	done
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$VMA_PCI/driver")")" = vfio-pci ]
	check_err $? "VF0 ($VMA_PCI) bound to vfio-pci on the host"
	# vhost-net's worker: a kernel thread, or (6.4 on) a task of QEMU's
	cat /proc/[0-9]*/task/*/comm 2>/dev/null | grep -q '^vhost-'
	check_err $? "a vhost-net worker on the host for guest B"
	log_test "guest A (VF0 via vfio-pci, igbvf) and guest B (virtio over macvtap, vhost-net) answer the PF"
}

# breakdown G DST N DRIVER HYPERVISOR [HOSTDEV…]: the probe to guest G with
# both ends stamping, the host's PF (and HOSTDEVs) attached
breakdown()
{
	local g=$1 dst=$2 n=$3 drv=$4 hv=$5 out dev

	shift 5
	host_setup
	check_err $? "host setup: $(grep last_error "$SRTT_DBG/control")"
	for dev in "$@"; do
		srtt_ctl "" attach "$dev"
		check_err $? "attach $dev: $(grep last_error "$SRTT_DBG/control")"
	done
	guest_setup "$g" >"$TMP/gs.log"
	check_err $? "guest $g setup: $(tail -n 3 "$TMP/gs.log")"
	probe "$dst" "$n" "$TMP/$g"
	check_eq "$PROBE_RC" 0 "probe exit ($(head -c 300 "$TMP/p.err"))"
	# the breakdown as text, next to the lab's results
	"$SRTT" report "$TMP/p.csv" >"/run/lab/vm-probe-$g.txt" 2>&1
	cp "$TMP/p.csv" "/run/lab/vm-probe-$g.csv"
	out=$(python3 "$CHECK" "$TMP/p.json" "$TMP/p.csv" "$n" "$n" 0 allcount=0 \
		"host=sriov_rtt records group" "guest=from the reflector" \
		clock=other_kernel oneway=1 bound=1 "components=$ALL" \
		"hypervisor=$hv" ptp=1)
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	# notifications: every request reached the guest through the
	# hypervisor (vfio's interrupt or vhost's signal, KVM's injection)
	# and raised an interrupt there; the guest's count covers them all
	out=$(python3 - "$TMP/p.json" "$n" "$hv" <<'PY'
import json, sys
n, want = json.load(open(sys.argv[1]))["notifications"], int(sys.argv[2])
key = {"vfio": "hv_irq", "vhost": "hv_signal"}[sys.argv[3]]
host = n["host"].get("devices", [])
guest = n["guest"].get("devices", [])
tot = lambda devs, k: sum(d.get(k, 0) for d in devs)
print("# host %s: %s %.2f, hv_inject %.2f a probe; guest %s irqs %.2f, polls %.2f a request"
      % (",".join(d["ifname"] for d in host), key, tot(host, key) / want,
         tot(host, "hv_inject") / want, ",".join(d["ifname"] for d in guest),
         tot(guest, "irqs") / max(n.get("guest_requests", 0), 1),
         tot(guest, "napi_polls") / max(n.get("guest_requests", 0), 1)))
bad = [x for x, ok in (("host %s" % key, tot(host, key) * 2 >= want),
                       ("host hv_inject", tot(host, "hv_inject") * 2 >= want),
                       ("guest irqs", tot(guest, "irqs") * 2 >= want),
                       ("guest requests", n.get("guest_requests") == want)) if not ok]
print("FAIL notifications: %s short: %s" % (", ".join(bad), n) if bad else "")
PY
)
	ktap "$(grep '^#' <<<"$out")"
	! grep -q FAIL <<<"$out"
	check_err $? "$(grep FAIL <<<"$out" | head -c 600)"
	# the guest's stamps came from its own module on its own NIC
	vm_exec "$g" "cat $SRTT_DBG/devices" >"$TMP/gdev.txt"
	grep -q "$drv" "$TMP/gdev.txt"
	check_err $? "guest $g devices: $(head -n 3 "$TMP/gdev.txt")"
	guest_teardown "$g"
	srtt_unload
}

# The host's module stamps VF0's interrupts as vfio-pci takes them and
# KVM's injection of their vector into guest A: hv_irq and hv_inject
# records of VF 0, each injection after its interrupt. VF1 stays the
# host's own (macvtap): no hypervisor events for it.
hypervisor_events()
{
	local out

	host_setup
	check_err $? "host setup: $(grep last_error "$SRTT_DBG/control")"
	grep -q "tracepoint: kvm_inj_virq attached" "$SRTT_DBG/stats"
	check_err $? "kvm_inj_virq not attached: $(grep -E 'kvm_|hypervisor' "$SRTT_DBG/stats" | tr '\n' ';')"
	# the events of the pings' time only (CLOCK_MONOTONIC, the records'
	# clock): an earlier interrupt's injection can reach the records
	# after a drain that took the interrupt
	srtt_drain /dev/null
	t_from=$(mono_ns)
	ping -q -c 20 -i 0.05 -W 5 "$VMA_IP4" >/dev/null
	check_err $? "ping guest A"
	sleep 0.5
	t_to=$(mono_ns)
	: >"$TMP/hv.rec"; srtt_drain "$TMP/hv.rec"
	grep -E 'kvm_|hypervisor' "$SRTT_DBG/stats" >"$TMP/hv.stats"
	out=$(python3 - "$TMP/hv.rec" "$t_from" "$t_to" <<'EOF'
import sys
irq = inj = bad = other = 0
last, d = {}, []
t_from, t_to = int(sys.argv[2]), int(sys.argv[3])
# each CPU's ring drains on its own: an interrupt on one CPU can follow
# its injection on another in the file; time orders them
recs = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
        for line in open(sys.argv[1])]
recs = sorted((f for f in recs if t_from <= int(f.get("ts", -1)) <= t_to),
              key=lambda f: int(f["ts"]))
for f in recs:
    st, q = f.get("stage"), f.get("queue")
    if st == "hv_irq":
        if q != "0":
            other += 1
            continue
        irq += 1
        last[f["id"]] = int(f["ts"])
    elif st == "hv_inject" and q == "0":
        inj += 1
        t0 = last.get(f["id"])
        if t0 is None or not 0 < int(f["ts"]) - t0:
            bad += 1
        else:
            d.append(int(f["ts"]) - t0)
d.sort()
print("irq %d inject %d bad %d other_vf %d p50_ns %d" %
      (irq, inj, bad, other, d[(len(d) - 1) // 2] if d else -1))
EOF
)
	echo "# hypervisor events of 20 pings to guest A: $out"
	read -r _ irq _ inj _ bad _ other _ p50 <<<"$out"
	[ "$irq" -ge 20 ] && [ "$inj" -ge 20 ]
	check_err $? "hv_irq/hv_inject of VF 0: $out; $(tr '\n' ';' <"$TMP/hv.stats")"
	check_eq "$bad" 0 "injections without an earlier interrupt of the same entry"
	check_eq "$other" 0 "hypervisor events of another VF (VF1 is the host's)"
	[ "$p50" -gt 0 ]
	check_err $? "median interrupt -> injection $p50 ns"
	srtt_unload
	log_test "hypervisor: VF0's vfio-pci interrupts and KVM's injection into guest A stamped on the host, injection after its interrupt"
}

# compare of the two runs above: SR-IOV through vfio-pci against virtio
# over vhost. Both kernels' stages are visible in each, so every row of
# the RTT's components is visible in both runs, in JSON its schema takes
compare_guests()
{
	local out

	if [ ! -r /run/lab/vm-probe-a.csv ] || [ ! -r /run/lab/vm-probe-b.csv ]; then
		check_err 1 "no CSV of guest A or B: their probes failed"
		log_test "compare: guest A (vfio-pci VF) and guest B (virtio, vhost) line up component by component"
		return
	fi
	"$SRTT" -j compare --label vfio /run/lab/vm-probe-a.csv \
		--label virtio /run/lab/vm-probe-b.csv \
		--svg /run/lab/vm-compare.svg >"$TMP/cmp.json" 2>"$TMP/cmp.err"
	check_eq $? 0 "compare exit ($(cat "$TMP/cmp.err"))"
	"$SRTT" compare --label vfio /run/lab/vm-probe-a.csv --label virtio \
		/run/lab/vm-probe-b.csv >/run/lab/vm-compare.txt 2>&1
	out=$(python3 "$LAB_TOP/selftests/json_schema.py" "$TMP/cmp.json" \
		"$LAB_TOP/selftests/compare.schema.json")
	check_err $? "$out"
	out=$(python3 - "$TMP/cmp.json" "$ALL" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
rows = {c["name"]: c for c in j["components"]}
for name in ["rtt"] + sys.argv[2].split(","):
    c = rows.get(name)
    if not c or not all(r["visible"] for r in c["runs"]):
        bad.append("%s not visible in both: %s" % (name, c))
    elif c["runs"][1].get("d50_ns") is None:
        bad.append("%s: no difference" % name)
if j["moved_most"][0]["label"] != "virtio" or not j["moved_most"][0]["name"]:
    bad.append("moved most: %s" % j["moved_most"])
for b in bad:
    print("FAIL " + b)
sys.exit(1 if bad else 0)
EOF
)
	check_err $? "$(grep FAIL <<<"$out" | head -5 | tr '\n' ';')"
	log_test "compare: guest A (vfio-pci VF) and guest B (virtio, vhost) line up component by component"
}

probe_guest_a()
{
	breakdown a "$VMA_IP4" 25 igbvf vfio
	log_test "host -> guest A (vfio-pci VF, igbvf): every component, sum = T4-T1 per packet, other kernel: offset with its bound; hypervisor: NIC -> host interrupt -> KVM injection exact, -> guest rx_irq with the bound; notifications: the hypervisor's and the guest's per probe"
}

probe_guest_b()
{
	breakdown b "$VMB_IP4" 25 virtio_net vhost "$VMB_VF" "$VMB_TAP"
	log_test "host -> guest B (virtio-net, vhost, macvtap on VF1): every component, sum = T4-T1 per packet, offset with its bound; hypervisor: VF1's RX, macvtap+vhost, KVM injection exact, -> guest rx_irq with the bound; notifications: the hypervisor's and the guest's per probe"
}

# Both guests probed at once: each probe's hypervisor rows are its own
# guest's path; guest A's come from its own VF (0), found by its MAC.
both_guests_at_once()
{
	local g out pa pb

	host_setup
	check_err $? "host setup: $(grep last_error "$SRTT_DBG/control")"
	srtt_ctl "" attach "$VMB_VF" && srtt_ctl "" attach "$VMB_TAP"
	check_err $? "attach guest B's VF and tap: $(grep last_error "$SRTT_DBG/control")"
	for g in a b; do
		guest_setup "$g" >"$TMP/gs.log"
		check_err $? "guest $g setup: $(tail -n 3 "$TMP/gs.log")"
	done
	"$SRTT" -j probe "$VMA_IP4" --port $PORT --count 20 --interval 0.02 \
		--serial --timeout 15 >"$TMP/both-a.json" 2>"$TMP/both-a.err" &
	pa=$!
	"$SRTT" -j probe "$VMB_IP4" --port $PORT --count 20 --interval 0.02 \
		--serial --timeout 15 >"$TMP/both-b.json" 2>"$TMP/both-b.err" &
	pb=$!
	wait $pa
	check_eq $? 0 "probe to guest A ($(head -c 300 "$TMP/both-a.err"))"
	wait $pb
	check_eq $? 0 "probe to guest B ($(head -c 300 "$TMP/both-b.err"))"
	# Rows for at least half the replies, and with the ones the split
	# flagged (the host's event after the guest's rx_irq, hv_after_irq:
	# its driver polling on a busy machine) at least 80 % of them.
	out=$(python3 -c 'import json, sys
def acc(j):
    rows = {c["name"]: c["count"] for c in j.get("hypervisor", [])}
    st = j.get("stages", {})
    after = st.get("hv_after_irq", j.get("hv_after_irq", 0)) or 0
    recv = j.get("received", 0)
    n = rows.get("hypervisor_host", 0)
    return (n * 2 >= recv and (n + after) * 5 >= recv * 4 and recv >= 16,
            "%s+%s of %s" % (n, after, recv))
a, b = (json.load(open(f)) for f in sys.argv[1:3])
(oka, wa), (okb, wb) = acc(a), acc(b)
print(a.get("hypervisor_path"), a.get("hypervisor_vf"), b.get("hypervisor_path"),
      oka, okb, "(rows+after_irq of replies: A %s, B %s)" % (wa, wb))' \
		"$TMP/both-a.json" "$TMP/both-b.json")
	check_eq "${out%% (*}" "vfio 0 vhost True True" \
		"paths (A, its VF, B) and rows or flagged in 80 % of the replies $out"
	for g in a b; do
		guest_teardown "$g"
	done
	srtt_unload
	log_test "both guests probed at once: guest A's rows from its own VF 0 (vfio), guest B's through vhost"
}

# 5 ms of netem on guest A's egress lands in guest_stack_tx
netem_guest_a()
{
	local out

	host_setup
	guest_setup a >"$TMP/gs.log"
	check_err $? "guest a setup: $(tail -n 3 "$TMP/gs.log")"
	probe "$VMA_IP4" 20 "$TMP/base"
	check_eq "$PROBE_RC" 0 "baseline probe"
	vm_exec a ". /run/lab/topo.env; /sbin/tc qdisc add dev \$NIC root netem delay 5ms"
	check_err $? "netem in guest A"
	probe "$VMA_IP4" 20 "$TMP/netem"
	check_eq "$PROBE_RC" 0 "probe with netem"
	vm_exec a ". /run/lab/topo.env; /sbin/tc qdisc del dev \$NIC root"
	# nested guests under TCG: the reflector's user space moves by
	# hundreds of ms between runs, the rest by a few; the delay must
	# land in guest_stack_tx and nowhere else
	out=$(python3 "$LAB_TOP/selftests/probe_shifted.py" "$TMP/base.csv" \
		"$TMP/netem.csv" guest_stack_tx want=4.5:15 others=4.5 \
		skip=reflector)
	check_err $? "$(grep FAIL <<<"$out" | tr '\n' ';') $(grep moved <<<"$out")"
	guest_teardown a
	srtt_unload
	log_test "netem delay 5ms on guest A's NIC: guest_stack_tx grows by 4.5-15 ms, nothing else but the reflector by 4.5 ms"
}

# The host's module goes away while both guests are probed from the host
# and stamp in their own modules (detach-all, then rmmod: attached devices
# pin it): no splat anywhere.
rmmod_under_probes()
{
	local g pids=() bad=0

	dmesg_mark
	host_setup
	for g in a b; do
		guest_setup $g >"$TMP/gs.log" || bad="$g: $(tail -n 3 "$TMP/gs.log")"
	done
	check_eq "$bad" 0 "guest setup"
	for ip in "$VMA_IP4" "$VMB_IP4"; do
		"$SRTT" probe "$ip" --port $PORT --count 100 --interval 0.02 \
			--timeout 2 >/dev/null 2>&1 &
		pids+=($!)
	done
	sleep 2
	! rmmod sriov_rtt 2>/dev/null
	check_err $? "rmmod refused while attached"
	echo detach-all >"$SRTT_DBG/control"
	check_err $? "detach-all under probes"
	rmmod sriov_rtt
	check_err $? "rmmod under probes"
	for p in "${pids[@]}"; do
		wait "$p"
	done
	for g in a b; do
		vm_exec $g "dmesg" >"$TMP/dmesg-$g.txt"
		# kept with the lab's output (build/lab/…/guest-G-dmesg.txt)
		cp "$TMP/dmesg-$g.txt" "/run/lab/guest-$g-dmesg.txt"
		[ -z "$(splats <"$TMP/dmesg-$g.txt")" ]
		check_err $? "splat in guest $g (guest-$g-dmesg.txt): $(splats <"$TMP/dmesg-$g.txt" | head -n 2)"
		guest_teardown $g
	done
	[ -z "$(dmesg_since | splats)" ]
	check_err $? "splat on the host: $(dmesg_since | splats | head -n 2)"
	log_test "detach-all and rmmod on the host while both guests are probed: no splat in host or guests"
}

# Last, as it takes the VFs away: guest A shut down, VF0 still bound to
# vfio-pci, the host's PF attached and watching for its VFs' vectors;
# sriov_numvfs to 0 removes VF0 and VF1 (under guest B's macvtap). The
# PF stays attached, its VFs are gone, and nothing splats.
vf_removal_guest_a_down()
{
	local numvfs=/sys/bus/pci/devices/$PF_PCI/sriov_numvfs

	dmesg_mark
	host_setup
	check_err $? "host setup: $(grep last_error "$SRTT_DBG/control")"
	srtt_ctl "" attach "$VMB_TAP"
	check_err $? "attach $VMB_TAP"
	"$VM" stop a
	check_err $? "guest A shut down"
	ping -q -c 5 -i 0.1 -W 2 "$VMB_IP4" >/dev/null
	echo 0 >"$numvfs"
	check_err $? "sriov_numvfs 0"
	check_eq "$(cat "$numvfs")" 0 "VFs left"
	grep -q "^$PF " "$SRTT_DBG/devices"
	check_err $? "PF still attached: $(head -n 3 "$SRTT_DBG/devices")"
	! grep -q "^$VMB_TAP " "$SRTT_DBG/devices"
	check_err $? "$VMB_TAP detached with its lower VF"
	grep -q "hypervisor: " "$SRTT_DBG/stats"
	check_err $? "stats readable"
	srtt_unload
	check_err $? "rmmod"
	[ -z "$(dmesg_since | splats)" ]
	check_err $? "splat on the host: $(dmesg_since | splats | head -n 2)"
	log_test "VF removal (sriov_numvfs 0) with guest A shut down, VF0 on vfio-pci, the PF and guest B's macvtap attached: PF stays, macvtap detached, no splat"
}

trap_cleanup
[ -n "${VMA:-}" ] || { echo "no vm topology"; exit "$ksft_skip"; }
tests_run
