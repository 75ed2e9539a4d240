#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: the kernel log of the whole lab run holds no splat.
#
#   lab kernel: dmesg | grep WARNING: BUG: Oops KFENCE "Call Trace" refcount_t

ALL_TESTS="
	dmesg_clean
"

source "$(dirname "$0")/lib.sh"

cleanup() { :; }

dmesg_clean()
{
	local hits

	hits=$(dmesg | splats)
	[ -z "$hits" ]
	check_err $? "kernel splat: $(echo "$hits" | head -n 3 | tr '\n' ' ')"
	log_test "dmesg has no splat"
}

trap_cleanup
tests_run
