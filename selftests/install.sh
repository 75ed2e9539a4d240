#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging, on the build host (root): `make install` puts the tools, the
# man pages and the uapi header under DESTDIR/PREFIX and `make uninstall`
# takes them away again; `make dkms-install` registers the module with
# DKMS and builds it for one lab kernel (the .ko lands in updates/dkms
# with our version and the genetlink alias), and for the newest line in
# its build root, `make dkms-uninstall` removes every trace. Nothing is left installed afterwards: a module in
# /lib/modules would be autoloaded by the lab's "module not loaded" tests.
#
#   bash selftests/install.sh [KERNEL_RELEASE]

ALL_TESTS="
	docs_render
	install_prefix
	dkms_cycle
	dkms_newest
"

source "$(dirname "$0")/lib.sh"

KREL=${1:-$("$LAB_TOP/scripts/lab-kernels" | head -n 1)}
VERSION=$(sed -n 's/^#define SRTT_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$LAB_TOP/module/uapi/linux/sriov_rtt.h")
TMP=$(mktemp -d)

cleanup()
{
	make -s -C "$LAB_TOP" dkms-uninstall >/dev/null 2>&1
	"$LAB_TOP/scripts/buildroot" check 2>/dev/null &&
		"$LAB_TOP/scripts/buildroot" run make -s -C "$LAB_TOP" dkms-uninstall >/dev/null 2>&1
	rm -rf "$TMP"
}

# every reStructuredText file renders without a warning
docs_render()
{
	local f

	if ! command -v rst2html >/dev/null; then
		log_test_skip "documentation renders" "no rst2html (python3-docutils)"
		return
	fi
	for f in "$LAB_TOP"/Documentation/*.rst; do
		rst2html --halt=warning "$f" >/dev/null 2>"$TMP/rst"
		check_err $? "$(basename "$f"): $(head -n 2 "$TMP/rst")"
	done
	log_test "Documentation/*.rst render without a warning"
}

install_prefix()
{
	local d=$TMP/root f out

	make -s -C "$LAB_TOP" install DESTDIR="$d" PREFIX=/usr >"$TMP/log" 2>&1
	check_err $? "make install: $(tail -n 3 "$TMP/log")"
	for f in usr/sbin/sriov-rtt usr/sbin/sriov-rtt-reflector \
		 usr/include/linux/sriov_rtt.h usr/include/linux/sriov_rtt_nl.h \
		 usr/share/man/man8/sriov-rtt.8 \
		 usr/share/man/man8/sriov-rtt-reflector.8; do
		[ -s "$d/$f" ]
		check_err $? "$f not installed"
	done
	out=$("$d/usr/sbin/sriov-rtt" -V 2>&1)
	[[ "$out" == *"$VERSION"* ]]
	check_err $? "sriov-rtt -V says '$out', want $VERSION"
	"$d/usr/sbin/sriov-rtt-reflector" --help >/dev/null
	check_err $? "sriov-rtt-reflector --help"
	if command -v man >/dev/null; then
		out=$(MANWIDTH=80 man -l "$d/usr/share/man/man8/sriov-rtt.8" 2>&1 >/dev/null)
		[ -z "$out" ]
		check_err $? "man -l sriov-rtt.8 complains: $out"
		MANWIDTH=80 man -l "$d/usr/share/man/man8/sriov-rtt-reflector.8" 2>/dev/null |
			grep -q -- "--hold-us"
		check_err $? "the reflector's man page lacks its options"
	fi
	make -s -C "$LAB_TOP" uninstall DESTDIR="$d" PREFIX=/usr >"$TMP/log" 2>&1
	check_err $? "make uninstall: $(tail -n 3 "$TMP/log")"
	[ -z "$(find "$d" -type f)" ]
	check_err $? "left after uninstall: $(find "$d" -type f | tr '\n' ' ')"
	log_test "make install DESTDIR= PREFIX=/usr: tools, man pages, header; make uninstall removes them"
}

# dkms_cycle_in ROOT KREL [RUN…]: make dkms-install for KREL with the
# dkms of the tree at ROOT (RUN… enters it), the module checked where
# DKMS put it, and make dkms-uninstall leaves nothing there
dkms_cycle_in()
{
	local root=${1%/} k=$2 ko

	shift 2
	"$@" make -s -C "$LAB_TOP" dkms-install DKMS_KERNELS="$k" >"$TMP/log" 2>&1
	check_err $? "$k: make dkms-install: $(tail -n 5 "$TMP/log")"
	"$@" dkms status -m sriov_rtt -v "$VERSION" -k "$k" 2>/dev/null | grep -q installed
	check_err $? "$k: dkms status: $("$@" dkms status -m sriov_rtt 2>&1)"
	ko=$(find "$root/lib/modules/$k/updates/dkms" -name 'sriov_rtt.ko*' 2>/dev/null | head -n 1)
	[ -n "$ko" ]
	check_err $? "no sriov_rtt.ko under $root/lib/modules/$k/updates/dkms"
	if [ -n "$ko" ]; then
		check_eq "$(modinfo -F version "$ko")" "$VERSION" "$k: modinfo version"
		modinfo -F alias "$ko" | grep -qx "net-pf-16-proto-16-family-sriov_rtt"
		check_err $? "$k: the genetlink family alias is missing"
		check_eq "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "$k" "vermagic"
	fi
	"$@" make -s -C "$LAB_TOP" dkms-uninstall >"$TMP/log" 2>&1
	check_err $? "$k: make dkms-uninstall: $(tail -n 3 "$TMP/log")"
	[ -z "$(find "$root/lib/modules/$k/updates" -name 'sriov_rtt.ko*' 2>/dev/null)" ] &&
		[ ! -e "$root/usr/src/sriov_rtt-$VERSION" ] &&
		! "$@" dkms status -m sriov_rtt 2>/dev/null | grep -q .
	check_err $? "$k: left after dkms-uninstall"
}

dkms_cycle()
{
	if ! command -v dkms >/dev/null; then
		log_test_skip "DKMS" "no dkms (make deps installs it)"
		return
	fi
	if [ ! -d "/usr/src/linux-headers-$KREL" ]; then
		log_test_skip "DKMS" "no headers for $KREL"
		return
	fi
	dkms_cycle_in / "$KREL"
	log_test "make dkms-install builds and installs for $KREL (version, alias, vermagic); dkms-uninstall leaves nothing"
}

# the newest line, whose gcc-14 bookworm lacks: DKMS where it runs, in
# the build root that holds that kernel
dkms_newest()
{
	local k br

	k=$("$LAB_TOP/scripts/buildroot" kernels 2>/dev/null | head -n 1)
	if [ -z "$k" ]; then
		log_test_skip "DKMS for the newest kernel" "no build root (make deps makes it)"
		return
	fi
	br=$("$LAB_TOP/scripts/buildroot" path)
	dkms_cycle_in "$br" "$k" "$LAB_TOP/scripts/buildroot" run
	log_test "make dkms-install in the build root builds and installs for $k; dkms-uninstall leaves nothing"
}

trap_cleanup
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root"
	exit "$ksft_skip"
fi
tests_run
