# SPDX-License-Identifier: GPL-2.0
# The nested guests of the lab's vm topology, for vm.sh and experiment.sh
# (after lib.sh): the tools, STAMP's port, and a guest's set-up and
# tear-down.

SRTT=$LAB_TOP/user/build/sriov-rtt
REFLECTOR=$LAB_TOP/user/build/sriov-rtt-reflector
CHECK=$LAB_TOP/selftests/probe_check.py
VM=$LAB_TOP/scripts/lab-vm
PORT=8620

# vm_exec a|b COMMAND…: run in the guest, its output on stdout
vm_exec() { "$VM" exec "$@"; }

# guest_setup a|b: the module loaded, STAMP on $PORT, the NIC attached,
# the reflector listening; its log is /run/vm/NAME/refl.log here
guest_setup()
{
	local g=$1
	vm_exec "$g" "
		. /run/lab/topo.env
		kill \$(pidof sriov-rtt-reflector) 2>/dev/null
		for i in \$(seq 100); do
			pidof sriov-rtt-reflector >/dev/null || break
			sleep 0.1
		done
		for i in \$(seq 20); do
			[ -d /sys/module/sriov_rtt ] || break
			echo detach-all >$SRTT_DBG/control 2>/dev/null
			rmmod sriov_rtt 2>/dev/null || sleep 0.5
		done
		insmod $SRTT_KO &&
		echo 'set stamp_port $PORT' >$SRTT_DBG/control &&
		echo \"attach \$NIC\" >$SRTT_DBG/control || exit 1
		: >/run/lab/refl.log
		setsid $REFLECTOR --port $PORT </dev/null >>/run/lab/refl.log 2>&1 &
		pid=\$!
		for i in \$(seq 300); do
			grep -q 'listening on' /run/lab/refl.log && exit 0
			kill -0 \$pid 2>/dev/null || break
			sleep 0.1
		done
		cat /run/lab/refl.log
		exit 1"
}

guest_teardown()
{
	vm_exec "$1" "
		kill \$(pidof sriov-rtt-reflector) 2>/dev/null
		for i in \$(seq 100); do
			pidof sriov-rtt-reflector >/dev/null || break
			sleep 0.1
		done
		echo detach-all >$SRTT_DBG/control
		rmmod sriov_rtt" >/dev/null 2>&1
}
