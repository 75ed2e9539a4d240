#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debugfs control: every bad write is refused with an error code, changes
# nothing, and says why when control is read back. Files are root-only.
#
#   root ns: PF eth0 [attached]     guest1: VF0 (not attached)
#   writes to /sys/kernel/debug/sriov_rtt/control

ALL_TESTS="
	bad_writes
	good_writes
	root_only
"

source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)

cleanup()
{
	srtt_unload
	rm -rf "$TMP"
}

# state: control (without last_error) and devices (without events)
state()
{
	grep -v '^last_error' "$SRTT_DBG/control"
	grep -v '^event:' "$SRTT_DBG/devices"
}

# bad ERRNO_NAME REASON_RE BYTES…: write BYTES (printf format) in one
# write(2); expect failure with ERRNO_NAME, unchanged state, the reason
# matching REASON_RE in control
bad()
{
	local errname=$1 re=$2 fmt=$3 before after err

	before=$(state)
	err=$(python3 - "$SRTT_DBG/control" "$fmt" <<-'PY'
	import errno, os, sys
	data = sys.argv[2].encode().decode("unicode_escape").encode("latin-1")
	fd = os.open(sys.argv[1], os.O_WRONLY)
	try:
	    os.write(fd, data)
	    print("OK")
	except OSError as e:
	    print(errno.errorcode[e.errno])
	PY
	)
	check_eq "$err" "$errname" "write '$fmt'"
	after=$(state)
	[ "$before" = "$after" ]
	check_err $? "write '$fmt' changed state"
	grep -Eq "^last_error -[0-9]+ .*$re" "$SRTT_DBG/control"
	check_err $? "write '$fmt': control says '$(grep last_error "$SRTT_DBG/control")', want /$re/"
}

bad_writes()
{
	srtt_unload
	srtt_load
	srtt_ctl "" attach "$PF"
	bad EINVAL "unknown command" 'bogus\n'
	bad EINVAL "unknown command" 'attachx eth0\n'
	bad EINVAL "unknown key" 'set nosuch 1\n'
	bad ENODEV "no such device" 'attach nosuchdev0\n'
	bad ENODEV "not attached" "detach $VF0\\n"
	bad EEXIST "already attached" "attach $PF\\n"
	bad E2BIG "" "attach $(printf 'a%.0s' $(seq 1 200))\\n"
	bad EINVAL "" 'attach eth0\x00x\n'
	bad EINVAL "" 'attach eth0\nattach eth1\n'
	bad EINVAL "" 'attach aaaaaaaaaaaaaaaa\n'
	bad EINVAL "" 'attach a/b\n'
	bad EINVAL "" 'attach\n'
	bad EINVAL "" '\n'
	bad ERANGE "65535" 'set stamp_port 70000\n'
	bad ERANGE "" 'set stamp_port 0\n'
	bad ERANGE "power of two" 'set ring_size 100\n'
	bad ERANGE "" 'set stamp_port 18446744073709551616\n'
	bad EINVAL "" 'set stamp_port -1\n'
	bad EBUSY "detach every device" 'set ring_size 128\n'
	bad ERANGE "" 'set sample 1000001\n'
	log_test "bad control writes are refused, change nothing, say why"
}

good_writes()
{
	srtt_ctl "" set stamp_port 4000
	check_err $? "set stamp_port 4000"
	grep -q '^stamp_port 4000$' "$SRTT_DBG/control"
	check_err $? "stamp_port not 4000 after set"
	grep -q '^last_error 0 none$' "$SRTT_DBG/control"
	check_err $? "last_error not cleared by a good write"
	srtt_ctl "" detach "$PF"
	check_err $? "detach $PF"
	grep -q "^$PF " "$SRTT_DBG/devices"
	check_fail $? "$PF still listed after detach"
	srtt_ctl "" set ring_size 128
	check_err $? "set ring_size 128 with nothing attached"
	grep -q '^ring_size 128$' "$SRTT_DBG/control"
	check_err $? "ring_size not 128"
	log_test "good control writes take effect and clear last_error"
}

root_only()
{
	local f mode

	for f in version control devices stats records reset; do
		mode=$(stat -c %a "$SRTT_DBG/$f")
		case "$f:$mode" in
		control:600|reset:200|*:400) ;;
		*) check_err 1 "$f has mode $mode" ;;
		esac
	done
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		cat "$SRTT_DBG/devices" >/dev/null 2>&1
	check_fail $? "an unprivileged user can read devices"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "echo reset >$SRTT_DBG/control" 2>/dev/null
	check_fail $? "an unprivileged user can write control"
	log_test "debugfs files are root-only"
}

trap_cleanup
[ -n "${PF:-}" ] || { echo "no lab topology"; exit $ksft_skip; }
tests_run
