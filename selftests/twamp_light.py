#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TWAMP-Light peers (RFC 5357 unauthenticated test packets, as RFC 8762
section 4.6 has STAMP work with them), for the interoperability tests.

  twamp_light.py sender DST PORT [--count N]
      A TWAMP-Light session-sender: N test packets of 14 bytes (Sequence
      Number, Timestamp, Error Estimate; no padding). Every reply must be
      the 44-byte STAMP base: its Session-Sender Sequence Number,
      Timestamp and Error Estimate those sent, T1 <= T2 <= T3 <= T4 (one
      clock: the peers share a kernel), a non-zero Error Estimate
      Multiplier. Prints "received=N" and a FAIL line per violation; exit
      1 on any.

  twamp_light.py reflector --port PORT --len 36..41 [--count N]
      A TWAMP-Light session-reflector that answers every request of 14
      bytes or more with the RFC 5357 reflected layout cut to LEN bytes
      (41: up to the Sender TTL; 38: no TTL; 36: up to the Sender
      Timestamp), whatever the request's size or TLVs. Prints "listening"
      once bound and the first request's Error Estimate ("ee=0x...");
      stops after N replies or on SIGTERM.
"""
import argparse
import socket
import struct
import sys
import time

NTP_EPOCH = 2208988800


def ntp(t_ns):
    sec, rem = divmod(t_ns, 10**9)
    return (sec + NTP_EPOCH) << 32 | (rem << 32) // 10**9


def ns(ntp_ts):
    return ((ntp_ts >> 32) - NTP_EPOCH) * 10**9 + ((ntp_ts & 0xffffffff) * 10**9 >> 32)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def sender(a):
    s = socket.socket(family(a.dst), socket.SOCK_DGRAM)
    s.connect((a.dst, a.port))
    s.settimeout(2)
    bad, got = [], 0
    ee = 0x0001            # Multiplier 1, Scale 0, S 0: well below 1 ns
    for seq in range(a.count):
        t1 = time.time_ns()
        s.send(struct.pack("!IQH", seq, ntp(t1), ee))
        try:
            rep = s.recv(65536)
        except socket.timeout:
            bad.append("seq %d: no reply" % seq)
            continue
        t4 = time.time_ns()
        if len(rep) != 44:
            bad.append("seq %d: a %d-byte reply, want the 44-byte base" % (seq, len(rep)))
            continue
        _, t3, r_ee, _, t2, ss_seq, ss_ts, ss_ee = struct.unpack_from("!IQHHQIQH", rep)
        got += 1
        if (ss_seq, ss_ts, ss_ee) != (seq, ntp(t1), ee):
            bad.append("seq %d: sender fields echoed as %d %x %x" % (seq, ss_seq, ss_ts, ss_ee))
        # NTP fractions truncate: allow 1 ns each way
        if not ns(ntp(t1)) <= ns(t2) + 1 or not ns(t2) <= ns(t3) or not ns(t3) <= t4 + 1:
            bad.append("seq %d: T1 %d T2 %d T3 %d T4 %d out of order"
                       % (seq, ns(ntp(t1)), ns(t2), ns(t3), t4))
        if not r_ee & 0xff:
            bad.append("seq %d: Error Estimate 0x%04x has Multiplier 0" % (seq, r_ee))
    print("received=%d" % got)
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


def reflector(a):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", a.port))
    print("listening", flush=True)
    n = 0
    while not a.count or n < a.count:
        req, peer = s.recvfrom(65536)
        t2 = ntp(time.time_ns())
        if len(req) < 14:
            continue
        seq, t1, ee = struct.unpack_from("!IQH", req)
        if not n:
            print("ee=0x%04x" % ee, flush=True)   # the sender's estimate
        # seq, T3, EE, MBZ, T2, sender seq, sender timestamp, sender EE,
        # MBZ, sender TTL (RFC 5357 4.2.1)
        rep = struct.pack("!IQHHQIQHHB", n, ntp(time.time_ns()), 0x0001, 0,
                          t2, seq, t1, ee, 0, 64)
        s.sendto(rep[:a.len], peer)
        n += 1
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="role", required=True)
    p = sub.add_parser("sender")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("--count", type=int, default=20)
    p = sub.add_parser("reflector")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--len", type=int, required=True, choices=range(36, 42))
    p.add_argument("--count", type=int, default=0)
    a = ap.parse_args()
    return sender(a) if a.role == "sender" else reflector(a)


if __name__ == "__main__":
    sys.exit(main())
