#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The reflector replies first, checked in its system calls.

Usage: refl_syscalls.py STRACE_LOG REQUESTS
STRACE_LOG: strace -yy of sriov-rtt-reflector with its kernel's stage
source. Checks that
  - between a request's recvmsg() and its reply's sendmsg() on the UDP
    socket no system call touches the records socket (NETLINK) or a
    clock device (/dev/ptp*): its stages cost the reply nothing. The
    last exchange is the probe's trailer, which asks for what is left
    and whose times are not used: it may wait for a records flush;
  - when poll() found a request and records both waiting, the request
    was read first;
  - REQUESTS requests were answered, and the records socket was used
    at all (else the first check proves nothing).
Prints the calls seen between receive and reply, and exits 1 on failure.
"""
import re
import sys

log, want = sys.argv[1], int(sys.argv[2])
udp_rx = re.compile(r"recvmsg\(\d+<UDP")
udp_tx = re.compile(r"sendmsg\(\d+<UDP")
name = re.compile(r"^(\w+)\(")
bad, between_names, nl, answered, both, both_first = [], set(), 0, 0, 0, 0
exchanges = []
between = None
prev_poll_both = False
for ln in open(log).read().splitlines():
    m = name.match(ln)
    if not m:
        continue                        # resumed/signal/exit lines
    if "NETLINK" in ln:
        nl += 1
    if prev_poll_both:
        both += 1
        both_first += bool(udp_rx.match(ln))
        if not udp_rx.match(ln):
            bad.append("after a poll() with both ready: %s" % ln[:120])
        prev_poll_both = False
    if m.group(1) == "poll":
        r = re.search(r"\) = (\d+) \(\[(.*)\]\)$", ln)
        prev_poll_both = bool(r) and "UDP" in ln and r.group(1) == "2"
    if between is not None:
        if udp_tx.match(ln):
            answered += 1
            exchanges.append([b for b in between
                              if "NETLINK" in b or "/dev/ptp" in b])
            between = None
            continue
        between.append(ln)
        between_names.add(m.group(1))
    if udp_rx.match(ln) and "MSG_ERRQUEUE" not in ln and \
            re.search(r"\) = [1-9]\d*$", ln):
        between = []
for i, calls in enumerate(exchanges[:-1]):
    for b in calls:
        bad.append("exchange %d, between receive and reply: %s" % (i, b[:100]))
print("answered %d, records-socket calls %d, poll() with both ready %d "
      "(request read first %d), calls between receive and reply: %s, "
      "records-socket calls in the trailer's %d" %
      (answered, nl, both, both_first, ",".join(sorted(between_names)) or "none",
       len(exchanges[-1]) if exchanges else 0))
if answered < want:
    bad.append("answered %d < %d" % (answered, want))
if not nl:
    bad.append("no call on the records socket: the check proves nothing")
for b in bad[:10]:
    print("FAIL " + b)
sys.exit(1 if bad else 0)
