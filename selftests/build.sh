#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's tracepoint probes are typed: a probe whose prototype is not
# its tracepoint's fails the build, naming the tracepoint, on every lab
# kernel's headers (srtt_tp_typed() in module/tp.c). Run on the build
# host against a scratch copy of the sources.
#
#   build host
#   +-------------------------------------------------+
#   | module/ copy, srtt_tp_xmit() minus skb_len      |
#   |   make -C linux-headers-REL M=copy  -> must fail |
#   +-------------------------------------------------+
#
#   bash selftests/build.sh [KERNEL_RELEASE…]   (default: every lab kernel)

ALL_TESTS="
	probe_type_mismatch
"

source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d "$LAB_TOP/build/typecheck.XXXXXX")
cleanup()
{
	rm -rf "$TMP"
}

# net_dev_xmit's probe with its last argument dropped: the build of the
# copy fails, and the error names the tracepoint (modules-all builds the
# sources unchanged)
probe_type_mismatch()
{
	local k src out

	for k in "${KERNELS[@]}"; do
		src=$TMP/$k
		mkdir -p "$src"
		(cd "$LAB_TOP" && cp --parents Kbuild module/Kbuild module/*.[ch] \
			module/uapi/linux/*.h "$src/")
		# its definition and its declaration alike
		perl -0pi -e 's/(srtt_tp_xmit\(void \*data,[^)]*struct net_device \*ndev), unsigned int skb_len\)/$1)/' \
			"$src/module/tx.c" "$src/module/hooks.h"
		grep -h -A1 '^void srtt_tp_xmit(' "$src/module/tx.c" "$src/module/hooks.h" |
			grep -q 'skb_len'
		check_fail $? "$k: the probe was not changed (the test's sed is stale)"
		out=$("$LAB_TOP/scripts/kmake" "$k" -s M="$src" modules 2>&1)
		check_fail $? "$k: a probe without skb_len built"
		echo "$out" | grep -q "register_trace_net_dev_xmit.*incompatible pointer type"
		check_err $? "$k: the error does not name net_dev_xmit: $(echo "$out" | grep -m1 error)"
	done
	log_test "a probe prototype unlike its tracepoint's fails the build, naming it (${KERNELS[*]})"
}

KERNELS=("$@")
[ ${#KERNELS[@]} -gt 0 ] || mapfile -t KERNELS < <("$LAB_TOP/scripts/lab-kernels")
trap_cleanup
tests_run
