#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sriov-rtt-reflector answers STAMP correctly, without the module: replies
# as long as their requests, sender fields and TTL echoed, T1 <= T2 <= T3
# <= T4, stateless and stateful Sequence Numbers, RFC 8972 U and M flags,
# the sriov_rtt TLVs (boot id, guest stages, follow-up TX stamp), garbage
# ignored, --bind honoured, the per-source rate limit, the port 862
# permission message; a TWAMP-Light session-sender's 14-byte requests get
# the 44-byte base reply (RFC 8762 4.6), and the Error Estimate is the
# kernel's (adjtimex()). Runs in the lab and directly on a host, as root:
#   bash selftests/reflector.sh
#
#   netns srtt-refl-a-PID (session-sender)   netns srtt-refl-b-PID (reflector)
#   +--------------------------------+       +-------------------------------+
#   | srtt-a0  192.0.2.1/24          | veth  | srtt-b0  192.0.2.2/24         |
#   |          2001:db8:7::1/64      |=======|          2001:db8:7::2/64     |
#   | selftests/stamp_client.py      |       | sriov-rtt-reflector           |
#   +--------------------------------+       |   --port 8620 (8621.. below)  |
#                                            +-------------------------------+

ALL_TESTS="
	basic_ipv4
	basic_ipv6
	stateful
	tlv_reflection
	tlv_malformed
	garbage_no_reply
	never_longer
	bind_address
	rate_limit
	privileged_port
	twamp_light_sender
	error_estimate
"

source "$(dirname "$0")/lib.sh"

REFLECTOR=${REFLECTOR:-$LAB_TOP/user/build/sriov-rtt-reflector}
CLIENT=$LAB_TOP/selftests/stamp_client.py
NSA=srtt-refl-a-$$
NSB=srtt-refl-b-$$
REFL_NS=$NSB
A4=192.0.2.1
B4=192.0.2.2
A6=2001:db8:7::1
B6=2001:db8:7::2
PORT=8620
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
	netns_pair "$NSA" "$NSB" srtt-a0 srtt-b0 $A4 $A6 $B4 $B6
}

# summary_field LINE NAME: the number after NAME in the summary line
summary_field()
{
	echo "$1" | sed -n "s/.*[ (]$2 \([0-9]*\).*/\1/p"
}

# client CHECK DST [ARGS…]: run one stamp_client.py check from $NSA
client()
{
	local check=$1 dst=$2 out rc

	shift 2
	out=$(ip netns exec "$NSA" python3 "$CLIENT" "$check" "$dst" "$PORT" "$@" 2>&1)
	rc=$?
	echo "$out" >"$TMP/client.out"
	check_err $rc "stamp_client.py $check $dst: $(grep -m 3 FAIL <<<"$out" | tr '\n' ';')"
	return $rc
}

client_value()
{
	sed -n "s/^$1=//p" "$TMP/client.out" | tail -n 1
}

basic_ipv4()
{
	refl_start --port $PORT
	check_err $? "reflector did not start"
	client basic $B4 --count 20
	refl_stop
	log_test "IPv4: 44-byte replies, fields and TTL echoed, T1<=T2<=T3<=T4, seq = sender's"
}

basic_ipv6()
{
	refl_start --port $PORT
	check_err $? "reflector did not start"
	client basic $B6 --count 20
	refl_stop
	log_test "IPv6: 44-byte replies, fields and hop limit echoed, T1<=T2<=T3<=T4"
}

stateful()
{
	refl_start --port $PORT --stateful
	check_err $? "reflector did not start"
	# each client is a new session: its own counter from 0
	client basic $B4 --count 10 --stateful
	client basic $B6 --count 10 --stateful
	refl_stop
	log_test "stateful: Sequence Number counts per session from 0"
}

tlv_reflection()
{
	local dst

	refl_start --port $PORT
	check_err $? "reflector did not start"
	for dst in $B4 $B6; do
		client tlvs "$dst"
		check_eq "$(client_value tlv_exchanges)" 3 "$dst TLV exchanges"
	done
	refl_stop
	log_test "TLVs: U on unknown type, padding as sent, boot id, stages, follow-up TX stamp"
}

tlv_malformed()
{
	local sum

	refl_start --port $PORT
	check_err $? "reflector did not start"
	client malformed $B4
	check_eq "$(client_value m_flag)" 0x40 "flags of the TLV running past the end"
	refl_stop
	sum=$SUMMARY
	check_eq "$(summary_field "$sum" "TLV-malformed replies")" 2 \
		"TLV-malformed replies in the summary '$sum'"
	log_test "malformed TLV: M set, processing stops, later bytes untouched"
}

garbage_no_reply()
{
	local sum

	refl_start --port $PORT
	check_err $? "reflector did not start"
	client garbage $B4
	check_eq "$(client_value garbage_reply)" 1 "reply to the valid packet after garbage"
	refl_stop
	sum=$SUMMARY
	check_eq "$(summary_field "$sum" malformed)" 1 "malformed in '$sum'"
	check_eq "$(summary_field "$sum" replied)" 1 "replied in '$sum'"
	log_test "a 10-byte garbage packet gets no reply and is counted"
}

never_longer()
{
	refl_start --port $PORT
	check_err $? "reflector did not start"
	client sizes $B4
	check_eq "$(client_value longest_excess)" 0 "bytes beyond the request"
	client sizes $B6
	refl_stop
	log_test "44..1472-byte requests with random TLV bytes: reply length = request length"
}

bind_address()
{
	local out

	refl_start --port $PORT --bind $B4
	check_err $? "reflector did not start"
	client basic $B4 --count 2
	out=$(ip netns exec "$NSA" python3 "$CLIENT" garbage $B6 $PORT 2>&1)
	check_eq "$(sed -n 's/^garbage_reply=//p' <<<"$out")" 0 \
		"IPv6 reply from a reflector bound to $B4"
	refl_stop
	log_test "--bind $B4: IPv4 answered, IPv6 not"
}

rate_limit()
{
	local sum replied limited received span max

	refl_start --port $PORT --rate 50
	check_err $? "reflector did not start"
	client burst $B4 --count 200 --duration 0.2
	replied=$(sed -n 's/.*replied=\([0-9]*\).*/\1/p' "$TMP/client.out")
	span=$(sed -n 's/.*span_ms=\([0-9]*\).*/\1/p' "$TMP/client.out")
	refl_stop
	sum=$SUMMARY
	received=$(summary_field "$sum" received)
	limited=$(summary_field "$sum" rate-limited)
	# a full bucket of 50, then 50/s for as long as the burst took to be
	# answered (0.2 s on an idle machine; longer under emulation), + 2
	max=$((50 + 50 * ${span:-200} / 1000 + 2))
	[ -n "$replied" ] && [ "$replied" -ge 45 ] && [ "$replied" -le $max ]
	check_err $? "$replied replies to 200 requests in ${span}ms at --rate 50, want 45..$max"
	check_eq "$received" 200 "received in '$sum'"
	check_eq "$limited" $((200 - ${replied:-0})) "rate-limited in '$sum'"
	log_test "--rate 50: a burst of 200 in 0.2 s gets 50 + 50/s of its span (+-), the rest counted"
}

privileged_port()
{
	local out rc

	if ! command -v setpriv >/dev/null; then
		log_test_skip "port 862 without privileges" "no setpriv"
		return
	fi
	out=$(ip netns exec "$NSB" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all "$REFLECTOR" 2>&1)
	rc=$?
	check_eq "$rc" 2 "exit status as nobody on port 862"
	grep -q 'CAP_NET_BIND_SERVICE' <<<"$out" && grep -q -- '--port' <<<"$out"
	check_err $? "no advice on port 862 without privileges: $out"
	log_test "port 862 without privileges: exit 2, names the capability and --port"
}

# RFC 8762 4.6: a TWAMP-Light sender's 14-byte test packets, no padding
twamp_light_sender()
{
	local out sum

	refl_start --port $PORT
	check_err $? "reflector did not start"
	out=$(ip netns exec "$NSA" python3 "$LAB_TOP/selftests/twamp_light.py" \
		sender $B4 $PORT --count 20 2>&1)
	check_err $? "twamp_light.py sender: $(grep -m 3 FAIL <<<"$out" | tr '\n' ';')"
	check_eq "$(sed -n 's/^received=//p' <<<"$out")" 20 "replies to the TWAMP-Light sender"
	refl_stop
	sum=$SUMMARY
	check_eq "$(summary_field "$sum" TWAMP-Light)" 20 "TWAMP-Light in '$sum'"
	check_eq "$(summary_field "$sum" malformed)" 0 "malformed in '$sum'"
	check_eq "$(summary_field "$sum" replied)" 20 "replied in '$sum'"
	log_test "TWAMP-Light sender, 14-byte requests: 20 of 20 answered with the 44-byte base, counted as TWAMP-Light"
}

# the Error Estimate of T2/T3 is this kernel's (S and error, adjtimex())
error_estimate()
{
	local ee out

	refl_start --port $PORT
	check_err $? "reflector did not start"
	client basic $B4 --count 2
	refl_stop
	ee=$(sed -n 's/.*Error Estimate 0x\([0-9a-f]*\) .*/\1/p' "$TMP/refl.log")
	[ -n "$ee" ]
	check_err $? "no Error Estimate in: $(head -n 1 "$TMP/refl.log")"
	out=$(python3 "$LAB_TOP/selftests/ee_check.py" "$ee")
	check_err $? "$out"
	check_eq "$(client_value ee)" "0x$ee" "the replies' Error Estimate"
	log_test "Error Estimate from adjtimex(): S and error as the kernel's NTP state has them"
}

trap_cleanup
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root for network namespaces"
	exit "$ksft_skip"
fi
if [ ! -x "$REFLECTOR" ] && command -v cc >/dev/null; then
	make -s -C "$LAB_TOP/user" reflector >/dev/null || exit 1
fi
if [ ! -x "$REFLECTOR" ]; then
	echo "SKIP: no $REFLECTOR (make -C user reflector)"
	exit "$ksft_skip"
fi
if ! setup; then
	echo "SKIP: cannot create network namespaces and veth"
	exit "$ksft_skip"
fi
tests_run
