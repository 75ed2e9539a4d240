#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A small STAMP session-sender that checks a reflector's answers.

  stamp_client.py CHECK DST PORT [options]

Each CHECK sends STAMP test packets (RFC 8762 / RFC 8972, the sriov_rtt
TLVs of user/stamp/stamp.h) to DST:PORT and verifies the replies. It
prints what it measured as "key=value" lines on stdout, every violated
expectation as a "FAIL: ..." line, and exits 1 if there was any.

  basic      44-byte requests: 44-byte replies, sender fields and TTL
             echoed, T1 <= T2 <= T3 <= T4, Sequence Number per mode
  tlvs       TLVs reflected: U on an unknown type, Extra Padding as sent,
             boot id, guest stages, follow-up of the previous reply
  malformed  M on a TLV whose length runs past the end (the rest
             untouched), M on a known type of the wrong length
  garbage    a 10-byte packet (below the 14 bytes of a TWAMP-Light
             request) gets no reply; a valid one after it does
  sizes      requests of many sizes and random TLV bytes: every reply
             exactly as long as its request, never longer
  burst      COUNT requests within DURATION seconds; counts replies
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800
BASE = 44
TLV_PADDING, TLV_GS, TLV_FU, TLV_BOOT_ID = 1, 240, 241, 242
F_U, F_M = 0x80, 0x40
GS_NO_SOURCE = 0x01
FU_VALID, FU_TX_SW = 0x01, 0x04
SENDER_TTL = 77

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def expect(cond, msg):
    if not cond:
        fail(msg)
    return cond


def ntp_from_ns(ns):
    sec, rem = divmod(ns, 10**9)
    frac = ((rem << 32) + 5 * 10**8) // 10**9
    return ((sec + NTP_UNIX) & 0xffffffff) << 32 | frac


def ns_from_ntp(ntp):
    sec = (ntp >> 32) - NTP_UNIX
    return sec * 10**9 + (((ntp & 0xffffffff) * 10**9 + (1 << 31)) >> 32)


def sender_packet(seq, ssid, ts, ee=0x0101):
    return struct.pack("!IQHH28x", seq, ts, ee, ssid)


def tlv(typ, value, flags=0, length=None):
    return struct.pack("!BBH", flags, typ,
                       len(value) if length is None else length) + value


REFLECTOR = struct.Struct("!IQHHQIQHHB3s")


def parse_reply(buf):
    (seq, t3, ee, ssid, t2, ss_seq, ss_ts, ss_ee, mbz, ttl,
     mbz2) = REFLECTOR.unpack_from(buf)
    return dict(seq=seq, t3=t3, ee=ee, ssid=ssid, t2=t2, ss_seq=ss_seq,
                ss_ts=ss_ts, ss_ee=ss_ee, mbz=mbz, ttl=ttl, mbz2=mbz2)


def walk_tlvs(buf):
    """[(offset, flags, type, length, value)] of well-formed TLVs."""
    out, off = [], BASE
    while off + 4 <= len(buf):
        flags, typ, length = struct.unpack_from("!BBH", buf, off)
        if off + 4 + length > len(buf):
            break
        out.append((off, flags, typ, length, buf[off + 4:off + 4 + length]))
        off += 4 + length
    return out


class Sender:
    def __init__(self, dst, port):
        self.fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
        self.dst = (dst, port)
        self.s = socket.socket(self.fam, socket.SOCK_DGRAM)
        if self.fam == socket.AF_INET:
            self.s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, SENDER_TTL)
        else:
            self.s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS,
                              SENDER_TTL)
        self.s.bind(("", 0))
        self.late = 0

    def exchange(self, pkt, timeout=1.0):
        """Send pkt with T1 in its Timestamp field.

        Returns (packet as sent, reply or None, T1 ns, T4 ns or None).
        """
        t1 = time.time_ns()
        if len(pkt) >= 12:
            pkt = pkt[:4] + struct.pack("!Q", ntp_from_ns(t1)) + pkt[12:]
        self.s.sendto(pkt, self.dst)
        deadline = time.monotonic() + timeout
        while True:
            rep, t4 = self.recv(max(0.0, deadline - time.monotonic()))
            # a late reply to an earlier request is not this one's
            if rep is None or len(rep) < 28 or len(pkt) < 4 or \
               rep[24:28] == pkt[0:4]:
                return pkt, rep, t1, t4
            self.late += 1
            print("late_reply=%d" % self.late)

    def recv(self, timeout):
        r, _, _ = select.select([self.s], [], [], timeout)
        if not r:
            return (None, None)
        data, _ = self.s.recvfrom(65536)
        return (data, time.time_ns())


def check_base(req, rep, t1, t4, want_seq):
    if not expect(rep is not None, "no reply to a %d-byte request" % len(req)):
        return None
    expect(len(rep) == len(req),
           "reply %d bytes to a %d-byte request" % (len(rep), len(req)))
    r = parse_reply(rep)
    seq, ss_ts, ee, ssid = struct.unpack_from("!IQHH", req)
    expect(r["ss_seq"] == seq, "Session-Sender Sequence Number %d, sent %d"
           % (r["ss_seq"], seq))
    expect(r["ssid"] == ssid, "SSID %#x, sent %#x" % (r["ssid"], ssid))
    expect(r["ss_ts"] == ss_ts, "Session-Sender Timestamp not echoed")
    expect(r["ss_ee"] == ee, "Session-Sender Error Estimate %#x, sent %#x"
           % (r["ss_ee"], ee))
    expect(r["ttl"] == SENDER_TTL, "Session-Sender TTL %d, sent with %d"
           % (r["ttl"], SENDER_TTL))
    expect(r["mbz"] == 0 and r["mbz2"] == b"\0\0\0", "MBZ not zero")
    expect(r["ee"] & 0xff != 0, "Error Estimate multiplier 0")
    expect(r["ee"] & 0x4000 == 0, "Error Estimate Z set in %#x: want NTP"
           % r["ee"])
    print("ee=0x%04x" % r["ee"])
    expect(r["seq"] == want_seq, "Sequence Number %d, want %d"
           % (r["seq"], want_seq))
    t2, t3 = ns_from_ntp(r["t2"]), ns_from_ntp(r["t3"])
    # one kernel, one CLOCK_REALTIME: the stamps are ordered (1 ns rounding)
    expect(t1 <= t2 + 1 and t2 <= t3 and t3 <= t4 + 1,
           "stamps out of order: T1 %d T2 %+d T3 %+d T4 %+d ns"
           % (t1, t2 - t1, t3 - t1, t4 - t1))
    r["t2_ns"], r["t3_ns"] = t2, t3
    return r


def cmd_basic(a, snd):
    ssid = random.randrange(1, 0xffff)
    for i in range(a.count):
        seq = 1000 + 7 * i
        req = sender_packet(seq, ssid, 0)
        req, rep, t1, t4 = snd.exchange(req)
        check_base(req, rep, t1, t4, i if a.stateful else seq)
    print("replies=%d" % a.count)


def boot_id():
    with open("/proc/sys/kernel/random/boot_id") as f:
        return bytes.fromhex(f.read().strip().replace("-", ""))


def cmd_tlvs(a, snd):
    ssid = 0x7171
    unknown = b"\x01\x02\x03\x04\x05"
    prev_t3 = None
    for seq in (1, 2, 3):
        req = (sender_packet(seq, ssid, 0) +
               tlv(TLV_PADDING, b"\x5a" * 12, flags=F_U) +
               tlv(200, unknown) +
               tlv(TLV_BOOT_ID, bytes(16)) +
               tlv(TLV_GS, bytes(24 + 20 * 4)) +
               tlv(TLV_FU, bytes(32 + 20 * 4)))
        req, rep, t1, t4 = snd.exchange(req)
        r = check_base(req, rep, t1, t4, seq)
        if r is None:
            continue
        got = walk_tlvs(rep)
        sent = walk_tlvs(req)
        if not expect([(o, t, n) for o, _, t, n, _ in got] ==
                      [(o, t, n) for o, _, t, n, _ in sent],
                      "TLV layout changed: %r" % got):
            continue
        pad, unk, bid, gs, fu = got
        expect(pad[1] == 0 and pad[4] == b"\x5a" * 12,
               "Extra Padding: flags %#x (want 0: understood)" % pad[1])
        expect(unk[1] == F_U, "unknown type 200: flags %#x, want U" % unk[1])
        expect(unk[4] == unknown, "unknown TLV value changed")
        expect(bid[1] == 0, "boot id TLV flags %#x" % bid[1])
        expect(bid[4] == boot_id(), "boot id %s, this kernel's is %s"
               % (bid[4].hex(), boot_id().hex()))
        mono, real, half, count, gflags = struct.unpack_from("!QQIBB", gs[4])
        expect(gs[1] == 0, "guest stages TLV flags %#x" % gs[1])
        expect(count == 0, "guest stages: %d entries from a hook that has "
               "no source yet" % count)
        expect(abs(real - r["t3_ns"]) < 10**9 and half < 10**6,
               "clock bracket real %d half %d ns" % (real, half))
        expect(gs[4][24:] == bytes(20 * 4), "unused stage room not zero")
        print("guest_stages_flags=%#x" % gflags)
        ss_seq, fcount, fflags, _, tx_sw = struct.unpack_from("!IBBHQ", fu[4])
        if seq == 1:
            expect(fflags == 0 and fu[4] == bytes(len(fu[4])),
                   "follow-up of the first reply is not empty")
        else:
            expect(fflags & FU_VALID and ss_seq == seq - 1,
                   "follow-up: flags %#x ss_seq %d, want VALID, %d"
                   % (fflags, ss_seq, seq - 1))
            if expect(fflags & FU_TX_SW, "follow-up without a TX stamp"):
                # the precise T3 lies between the in-packet T3 of that
                # reply and this request's T2
                expect(prev_t3 <= tx_sw <= r["t2_ns"],
                       "TX stamp %+d ns after T3, T2 of the next at %+d"
                       % (tx_sw - prev_t3, r["t2_ns"] - prev_t3))
                print("tx_stamp_after_t3_ns=%d" % (tx_sw - prev_t3))
        prev_t3 = r["t3_ns"]
    print("tlv_exchanges=3")


def cmd_malformed(a, snd):
    ssid = 0x4d4d
    # 1: a TLV whose length runs 40 bytes past the end, TLVs after it
    tail = tlv(201, b"\xaa\xbb") + tlv(TLV_BOOT_ID, bytes(16))
    req = (sender_packet(1, ssid, 0) + tlv(TLV_PADDING, bytes(4)) +
           tlv(200, b"\x11" * 4, length=4 + len(tail) + 40) + tail)
    req, rep, t1, t4 = snd.exchange(req)
    if check_base(req, rep, t1, t4, 1):
        expect(rep[BASE] == 0, "TLV before the bad one: flags %#x" % rep[BASE])
        bad = BASE + 8
        expect(rep[bad] == F_M, "TLV running past the end: flags %#x, want M"
               % rep[bad])
        expect(rep[bad + 1:] == req[bad + 1:],
               "bytes after the malformed TLV's flags changed")
        print("m_flag=%#x" % rep[bad])
    # 2: a known type with a wrong length gets M, processing goes on
    req = (sender_packet(2, ssid, 0) + tlv(TLV_BOOT_ID, bytes(15)) +
           tlv(202, b"\x01"))
    req, rep, t1, t4 = snd.exchange(req)
    if check_base(req, rep, t1, t4, 2):
        got = walk_tlvs(rep)
        expect(len(got) == 2 and got[0][1] == F_M and got[1][1] == F_U,
               "boot id of 15 bytes then unknown: flags %r, want M then U"
               % [g[1] for g in got])
        expect(got and got[0][4] == bytes(15), "bad-length value changed")


def cmd_garbage(a, snd):
    junk = bytes(random.randrange(256) for _ in range(10))
    _, rep, _, _ = snd.exchange(junk, timeout=0.5)
    expect(rep is None, "a 10-byte packet got a %s-byte reply"
           % (len(rep) if rep else 0))
    _, rep, _, _ = snd.exchange(sender_packet(5, 0x6767, 0))
    expect(rep is not None, "no reply to a valid packet after the garbage")
    print("garbage_reply=%d" % (0 if rep is None else 1))


def cmd_sizes(a, snd):
    rnd = random.Random(862)
    sizes = [44, 45, 46, 47, 48, 49, 63, 64, 100, 333, 1000, 1472]
    longest = 0
    for i, n in enumerate(sizes * 3):
        body = bytes(rnd.randrange(256) for _ in range(n - BASE))
        _, rep, _, _ = snd.exchange(sender_packet(i, 0x5a5a, 0) + body)
        if not expect(rep is not None, "no reply to %d bytes" % n):
            continue
        expect(len(rep) == n, "reply %d bytes to %d" % (len(rep), n))
        longest = max(longest, len(rep) - n)
    print("longest_excess=%d" % longest)


def cmd_burst(a, snd):
    gap = a.duration / a.count
    start = time.monotonic()
    for i in range(a.count):
        snd.s.sendto(sender_packet(i, 0x6262, 0), snd.dst)
        delay = start + (i + 1) * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    replies = 0
    last = start
    while True:
        rep, _ = snd.recv(1.0)
        if rep is None:
            break
        replies += 1
        last = time.monotonic()
    # span_ms: first send to last reply, the longest time the reflector's
    # bucket can have refilled in (a slow machine stretches it)
    print("sent=%d replied=%d span_ms=%d" % (
        a.count, replies, (last - start) * 1000))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("check", choices=["basic", "tlvs", "malformed",
                                      "garbage", "sizes", "burst"])
    ap.add_argument("dst")
    ap.add_argument("port", type=int)
    ap.add_argument("--stateful", action="store_true",
                    help="basic: expect the reflector's own counter")
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--duration", type=float, default=0.2)
    a = ap.parse_args()
    random.seed(os.getpid())
    snd = Sender(a.dst, a.port)
    globals()["cmd_" + a.check](a, snd)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
