# SPDX-License-Identifier: GPL-2.0
# Helpers for sriov_rtt lab selftests, in the form of
# tools/testing/selftests/net/lib.sh: a script sets ALL_TESTS, each test
# function does its work, calls check_err/check_fail, then log_test.
# Results go to $KTAP_OUT (one line per test) for selftests/run to number.

# ktap LINE: a result line, to $KTAP_OUT under selftests/run, else stdout
# (reopening /dev/stdout would write over a redirected stdout)
ktap()
{
	local took=$((SECONDS - ktap_last)) line=$*

	ktap_last=$SECONDS
	# a slow test says so: the lab's time budget is watched by it
	case "$line" in
	"ok "*|"not ok "*)
		[ "$took" -ge "${KTAP_SLOW:-20}" ] &&
			line=$(printf '%s\n# %s: that took %d s' "$line" "$SCRIPT" "$took") ;;
	esac
	if [ -n "$KTAP_OUT" ]; then
		echo "$line" >>"$KTAP_OUT"
	else
		echo "$line"
	fi
}
ktap_last=$SECONDS

ksft_pass=0
ksft_fail=1
ksft_skip=4

RET=0
retmsg=
SCRIPT=$(basename "$0" .sh)
KTAP_OUT=${KTAP_OUT:-}
LAB_TOP=${LAB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
SRTT_KO=${SRTT_KO:-$LAB_TOP/build/kmod/$(uname -r)/module/sriov_rtt.ko}
SRTT_DBG=/sys/kernel/debug/sriov_rtt

# The lab topology's names and addresses (scripts/lab-topology).
if [ -r /run/lab/topo.env ]; then
	# shellcheck disable=SC1091
	. /run/lab/topo.env
fi

# check_err ERR MSG: remember the first failure of this test.
check_err()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$err
		retmsg=$msg
	fi
}

# check_fail ERR MSG: a failure is expected; success is the error.
check_fail()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=1
		retmsg=$msg
	fi
}

# check_eq GOT WANT WHAT
check_eq()
{
	[ "$1" = "$2" ]
	check_err $? "$3: got '$1', want '$2'"
}

log_test()
{
	local name=$1

	if [ "$RET" -ne 0 ]; then
		ktap "# $SCRIPT: $name: $retmsg"
		ktap "not ok $SCRIPT: $name"
		echo "FAIL: $name: $retmsg"
		EXIT_STATUS=1
	else
		ktap "ok $SCRIPT: $name"
		echo "PASS: $name"
	fi
	RET=0
	retmsg=
}

log_test_skip()
{
	ktap "ok $SCRIPT: $1 # SKIP $2"
	echo "SKIP: $1: $2"
	RET=0
	retmsg=
}

EXIT_STATUS=0

# Cleanup that always runs: scripts define cleanup() and call this.
trap_cleanup()
{
	trap 'cleanup; exit $EXIT_STATUS' EXIT
	trap 'exit 1' INT TERM
}

tests_run()
{
	local t t0

	for t in ${TESTS:-$ALL_TESTS}; do
		t0=$SECONDS
		$t
		# slow tests show up in the run's log
		[ $((SECONDS - t0)) -lt 20 ] || echo "# $t took $((SECONDS - t0)) s"
	done
}

srtt_loaded()
{
	grep -q '^sriov_rtt ' /proc/modules
}

srtt_load()
{
	srtt_loaded || insmod "$SRTT_KO"
}

# srtt_unload: detach everything (an attached device pins the module),
# then rmmod
srtt_unload()
{
	if srtt_loaded; then
		echo detach-all >"$SRTT_DBG/control" 2>/dev/null
		rmmod sriov_rtt
	fi
}

# in_ns NS CMD…: run CMD in a namespace; "" is the root namespace.
in_ns()
{
	local ns=$1

	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# splats: the splat lines of a kernel log on stdin (see selftests/splats);
# any of them in dmesg is a failed run
splats()
{
	"$LAB_TOP/selftests/splats"
}

# srtt_ctl NS CMD…: write one command to debugfs control from namespace NS
# ("" = root). nsenter keeps this mount namespace, where debugfs is.
srtt_ctl()
{
	local ns=$1

	shift
	if [ -n "$ns" ]; then
		nsenter --net="/run/netns/$ns" sh -c 'echo "$1" >"$2"' - "$*" "$SRTT_DBG/control"
	else
		echo "$*" >"$SRTT_DBG/control"
	fi
}

# The lab's three devices, attached from their own namespaces
# (srtt_attach_all stages LIST: with that stage set)
srtt_attach_all()
{
	srtt_ctl "" attach "$PF" "$@" &&
	srtt_ctl guest1 attach "$VF0" "$@" &&
	srtt_ctl guest2 attach "$VF1" "$@"
}

# srtt_fresh [stages LIST]: the module loaded anew, the lab's three
# devices attached
srtt_fresh()
{
	srtt_unload
	srtt_load || return 1
	srtt_attach_all "$@"
}

# srtt_drain FILE: append every queued record to FILE
srtt_drain()
{
	cat "$SRTT_DBG/records" >>"$1"
}

# mono_ns: CLOCK_MONOTONIC now, in ns (the clock of the records' ts=)
mono_ns()
{
	python3 -c 'import time; print(time.monotonic_ns())'
}

# srtt_dev_id NAME: the module's id of an attached device
srtt_dev_id()
{
	awk -v n="$1" '$1 == n { sub("id=", "", $2); print $2 }' "$SRTT_DBG/devices"
}

# srtt_stat DEV STAGE COLUMN(hits|lost|bad)
srtt_stat()
{
	awk -v d="$1" -v s="$2" -v c="$3" '
		BEGIN { col = c == "hits" ? 3 : c == "lost" ? 4 : 5 }
		$1 == d && $2 == s { print $col }' "$SRTT_DBG/stats"
}

# srtt_hist DEV FROM TO FIELD
srtt_hist()
{
	awk -v f="$4" '$1 == f { print $2 }' "$SRTT_DBG/hist/$1/$2-$3"
}

RECORDS=$LAB_TOP/selftests/srtt_records.py

# netns_pair NSA NSB IFA IFB A4 A6 B4 B6: two new namespaces joined by a
# veth pair, /24 and /64 addresses, no DAD, neighbours resolved.
netns_pair()
{
	local nsa=$1 nsb=$2 ifa=$3 ifb=$4 a4=$5 a6=$6 b4=$7 b6=$8 ns

	ip netns add "$nsa" && ip netns add "$nsb" || return 1
	for ns in "$nsa" "$nsb"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
	done
	ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" \
		netns "$nsb" || return 1
	ip -n "$nsa" addr add "$a4/24" dev "$ifa" &&
	ip -n "$nsa" addr add "$a6/64" dev "$ifa" nodad &&
	ip -n "$nsb" addr add "$b4/24" dev "$ifb" &&
	ip -n "$nsb" addr add "$b6/64" dev "$ifb" nodad &&
	ip -n "$nsa" link set "$ifa" up &&
	ip -n "$nsb" link set "$ifb" up &&
	ip -n "$nsa" link set lo up &&
	ip -n "$nsb" link set lo up || return 1
	# the first IPv6 neighbour solicitation right after link-up can be
	# lost (1 s to retransmit): settle both paths before measuring
	if command -v ping >/dev/null; then
		ip netns exec "$nsa" ping -q -c 1 -W 3 "$b4" >/dev/null &&
		ip netns exec "$nsa" ping -q -6 -c 1 -W 3 "$b6" >/dev/null
	else
		sleep 2
	fi
}

# wait_line PID FILE PATTERN [TENTHS]: wait until process PID, whose
# output goes to FILE, has written a line matching PATTERN. The caller
# empties FILE before it starts PID, so nothing an earlier run left
# there counts. Returns 1 at once when PID has exited, else after
# TENTHS/10 s (default 300: a loaded machine can take seconds).
wait_line()
{
	local pid=$1 file=$2 pattern=$3 n=${4:-300} i

	for ((i = 0; i < n; i++)); do
		grep -q -- "$pattern" "$file" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	# it may have written the line and exited in the same tenth
	grep -q -- "$pattern" "$file" 2>/dev/null
}

# The reflector of a test script. refl_start [PREFIX… --] ARGS…: run
# $REFLECTOR in netns $REFL_NS with ARGS and then REFL_ARGS (an array the
# script may set), under PREFIX (e.g. setpriv …) when given, its stderr to
# $TMP/refl.log; wait until it listens. REFL_PID is its pid, empty when it
# did not start (then its log is printed and the return is 1).
# refl_stop: SIGTERM and wait; SUMMARY is its last summary line.
refl_start()
{
	local pre=()

	if [[ " $* " == *" -- "* ]]; then
		while [ "$1" != -- ]; do
			pre+=("$1")
			shift
		done
		shift
	fi
	: >"$TMP/refl.log"
	ip netns exec "$REFL_NS" "${pre[@]}" "$REFLECTOR" "$@" \
		"${REFL_ARGS[@]}" 2>>"$TMP/refl.log" &
	REFL_PID=$!
	wait_line "$REFL_PID" "$TMP/refl.log" 'listening on' && return 0
	echo "# reflector did not start: $(cat "$TMP/refl.log")"
	kill "$REFL_PID" 2>/dev/null
	wait "$REFL_PID" 2>/dev/null
	REFL_PID=
	return 1
}

refl_stop()
{
	SUMMARY=
	[ -n "${REFL_PID:-}" ] || return 0
	kill -TERM "$REFL_PID" 2>/dev/null
	wait "$REFL_PID" 2>/dev/null
	REFL_PID=
	SUMMARY=$(grep 'received' "$TMP/refl.log" | tail -n 1)
}
