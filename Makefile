# SPDX-License-Identifier: GPL-2.0
#
# sriov_rtt top-level Makefile.
#
#   make                 module (running kernel's headers, else newest lab kernel)
#   make KDIR=/path      module against any kernel tree
#   make modules-all     module against every lab kernel, W=1, warnings fail
#   make lint            modules-all, checkpatch --strict, cppcheck on user/,
#                        spec-check
#   make spec-check      the netlink spec valid under the kernel's schema, and
#                        the files ynl-gen-c makes from it as committed
#   make spec-gen        make those files anew from the spec (scripts/ynl gen)
#   make check           everything: build, unit tests, lab selftests per kernel,
#                        then the nested-guest topology (vm) on the first
#   make check-vm        the nested-guest lab topology and its selftests only
#   make lab             a shell inside the QEMU SR-IOV lab
#   make demo            boot the lab and show what sriov_rtt sees
#   make deps            install what all of the above needs (Debian 12)
#   make fuzz            every libFuzzer target for FUZZ_SECONDS (60) each,
#                        or for FUZZ_RUNS executions each when that is set
#   make install         tools, man pages, uapi header under PREFIX (/usr/local)
#   make dkms-install    register the module with DKMS and build it for
#                        DKMS_KERNELS (the running kernel, else the lab kernels)

TOP		:= $(CURDIR)
BUILD		:= $(TOP)/build
LAB_KERNELS	?= $(shell $(TOP)/scripts/lab-kernels 2>/dev/null)
LAB_KERNEL	?= $(firstword $(LAB_KERNELS))
RUNNING_KDIR	:= /lib/modules/$(shell uname -r)/build
KDIR		?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),$(if $(LAB_KERNEL),/usr/src/linux-headers-$(LAB_KERNEL)))

MODULE_SRCS	:= Kbuild $(wildcard module/Kbuild module/*.[ch] module/uapi/linux/*.h)
VERSION		:= $(shell sed -n 's/^\#define SRTT_VERSION[[:space:]]*"\(.*\)"/\1/p' module/uapi/linux/sriov_rtt.h)

PREFIX		?= /usr/local
SBINDIR		:= $(PREFIX)/sbin
MANDIR		:= $(PREFIX)/share/man
INCDIR		:= $(PREFIX)/include
DKMS_SRC	:= /usr/src/sriov_rtt-$(VERSION)
DKMS_KERNELS	?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(shell uname -r),$(LAB_KERNELS))
MANPAGES	:= sriov-rtt sriov-rtt-reflector

.PHONY: all module modules-all kmod-lab user unit check check-vm lab demo experiment deps \
	deps-ensure clean lint lint-modules lint-checkpatch lint-cppcheck \
	spec-check spec-gen install uninstall dkms-install dkms-uninstall fuzz

all: module user

user:
	$(MAKE) -C user

# Lab-only test programs, built on the host, run inside the lab.
LAB_PROGS	:= $(BUILD)/nl/nl_malformed $(BUILD)/nl/nl_attach_race
$(BUILD)/nl/%: selftests/nl/%.c selftests/nl/nl_raw.c selftests/nl/nl_raw.h \
		$(wildcard module/uapi/linux/*.h)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Imodule/uapi -o $@ \
		$< selftests/nl/nl_raw.c -lm

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# One out-of-tree copy per lab kernel so that builds never share objects.
$(BUILD)/kmod/%/module/sriov_rtt.ko: $(MODULE_SRCS)
	@mkdir -p $(BUILD)/kmod/$*
	@cp --parents $(MODULE_SRCS) $(BUILD)/kmod/$*/
	@echo "  KMOD    $*"
	+@$(TOP)/scripts/kmake $* -s M=$(BUILD)/kmod/$* W=1 modules \
		>$(BUILD)/kmod/$*.log 2>&1 || { cat $(BUILD)/kmod/$*.log; exit 1; }
	@if grep -iE 'warning:|error:' $(BUILD)/kmod/$*.log; then \
		echo "$*: the build is not W=1 clean" >&2; exit 1; fi

modules-all: deps-ensure
	@test -n "$(LAB_KERNELS)" || { echo "no lab kernels: run 'make deps'" >&2; exit 1; }
	@$(MAKE) -s --no-print-directory $(foreach k,$(LAB_KERNELS),$(BUILD)/kmod/$(k)/module/sriov_rtt.ko)
	@echo "modules-all: W=1 clean for $(LAB_KERNELS)"

unit:
	$(MAKE) -C selftests/unit check
	$(MAKE) -C user check

NPROC := $(shell nproc 2>/dev/null || echo 1)
check: deps-ensure
	@$(MAKE) --no-print-directory -j$(NPROC) lint
	@$(MAKE) --no-print-directory -j$(NPROC) user $(LAB_PROGS)
	@scripts/check $(LAB_KERNELS)

# The nested-guest topology (selftests/vm.sh) on the first lab kernel
# alone (make check runs it too, last)
check-vm: deps-ensure
	@$(MAKE) --no-print-directory user $(LAB_PROGS) modules-all
	@scripts/check --no-unit --vm $(LAB_KERNELS)

lab: deps-ensure
	@$(MAKE) --no-print-directory user $(LAB_PROGS) $(BUILD)/kmod/$(LAB_KERNEL)/module/sriov_rtt.ko
	@scripts/lab --kernel $(LAB_KERNEL) --shell

# A study: every path of the vm topology under every load
# (scripts/experiment; EXPERIMENT_ARGS for its options)
experiment: deps-ensure
	@$(MAKE) --no-print-directory user $(BUILD)/kmod/$(LAB_KERNEL)/module/sriov_rtt.ko
	@scripts/experiment --kernel $(LAB_KERNEL) $(EXPERIMENT_ARGS)

demo: deps-ensure
	@$(MAKE) --no-print-directory user $(BUILD)/kmod/$(LAB_KERNEL)/module/sriov_rtt.ko
	@scripts/lab --kernel $(LAB_KERNEL) --run scripts/demo

# libFuzzer targets (clang): classifier, control parser, STAMP codec,
# records parser, decomposition, the CLI's netlink reply parsing; new inputs go to scratch copies of the
# seed corpora, crashes under each build/ directory.
FUZZ_SECONDS	?= 60
fuzz: deps-ensure
	$(MAKE) -C selftests/unit fuzz fuzz-control FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS)
	$(MAKE) -C user/stamp fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS)
	$(MAKE) -C user/decomp fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS)
	$(MAKE) -C user fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS)

# The module W=1 clean on every lab kernel and checkpatch.pl --strict
# clean (Debian's linux-source); cppcheck finds nothing in the user-space C;
# the netlink spec valid and its generated files as committed.
CPPCHECK_SRCS = $(wildcard user/*.c user/lib/*.c user/stamp/*.c \
		  user/decomp/*.c selftests/nl/*.c)
# (four independent parts: make -j runs them side by side)
lint: deps-ensure lint-modules lint-checkpatch lint-cppcheck spec-check

lint-modules: deps-ensure
	@$(MAKE) --no-print-directory modules-all

lint-checkpatch: deps-ensure
	@scripts/checkpatch

lint-cppcheck: deps-ensure
	@echo "  CPPCHECK user/ selftests/nl/"
	@cppcheck --quiet --error-exitcode=1 --std=c11 \
		--enable=warning,portability,performance --inline-suppr \
		--suppress=missingIncludeSystem -Imodule/uapi -Imodule -Iuser \
		-Iuser/stamp $(CPPCHECK_SRCS)

# The kernel's YNL and schemas (linux-source-6.12) in build/ynl: the spec
# validated, then ynl-gen-c's uapi header and policy tables compared with
# the committed ones; selftests/ynl.sh drives the family with that YNL.
spec-check: deps-ensure
	@scripts/ynl check

spec-gen: deps-ensure
	@scripts/ynl gen

deps:
	scripts/deps

install: user
	install -D -m 0755 user/build/sriov-rtt $(DESTDIR)$(SBINDIR)/sriov-rtt
	install -D -m 0755 user/build/sriov-rtt-reflector \
		$(DESTDIR)$(SBINDIR)/sriov-rtt-reflector
	install -D -m 0644 module/uapi/linux/sriov_rtt.h \
		$(DESTDIR)$(INCDIR)/linux/sriov_rtt.h
	install -D -m 0644 module/uapi/linux/sriov_rtt_nl.h \
		$(DESTDIR)$(INCDIR)/linux/sriov_rtt_nl.h
	install -d $(DESTDIR)$(MANDIR)/man8
	@for m in $(MANPAGES); do \
		echo "  RST2MAN $$m.8"; \
		rst2man --halt=warning Documentation/$$m.8.rst \
			>$(DESTDIR)$(MANDIR)/man8/$$m.8 || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/sriov-rtt $(DESTDIR)$(SBINDIR)/sriov-rtt-reflector \
		$(DESTDIR)$(INCDIR)/linux/sriov_rtt.h \
		$(DESTDIR)$(INCDIR)/linux/sriov_rtt_nl.h \
		$(foreach m,$(MANPAGES),$(DESTDIR)$(MANDIR)/man8/$(m).8)

# The source DKMS builds from, registered and built for DKMS_KERNELS.
dkms-install: dkms-uninstall
	@test "$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)" = "$(VERSION)" || \
		{ echo "dkms.conf: PACKAGE_VERSION is not $(VERSION)" >&2; exit 1; }
	@test -n "$(DKMS_KERNELS)" || { echo "no kernel headers for DKMS" >&2; exit 1; }
	mkdir -p $(DKMS_SRC)
	cp --parents dkms.conf $(MODULE_SRCS) $(DKMS_SRC)/
	dkms add -m sriov_rtt -v $(VERSION)
	@for k in $(DKMS_KERNELS); do \
		dkms install -m sriov_rtt -v $(VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	@if dkms status -m sriov_rtt -v $(VERSION) 2>/dev/null | grep -q .; then \
		dkms remove -m sriov_rtt -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

# Run the installer only when something is missing.
deps-ensure:
	@scripts/deps --check 2>/dev/null || scripts/deps

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C user clean
	rm -rf $(BUILD)
