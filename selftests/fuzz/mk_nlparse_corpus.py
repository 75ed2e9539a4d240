#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the seed corpus of fuzz_nlparse.c: one well-formed message of
# each kind the CLI parses, as the module sends them (attribute numbers
# from module/uapi/linux/sriov_rtt_nl.h), plus a few broken ones.
#
#   selftests/fuzz/mk_nlparse_corpus.py DIR
#
# Each file: parser selector, nlmsg_flags selector, then the message
# after its struct nlmsghdr (see fuzz_nlparse.c).
import os
import re
import struct
import sys

TOP = os.path.dirname(os.path.abspath(__file__)) + "/../.."
UAPI = open(TOP + "/module/uapi/linux/sriov_rtt_nl.h").read()


def enum(first, last):
    """name -> value of the uapi enum running from first to last"""
    body = UAPI[UAPI.index(first):UAPI.index(last)]
    names = re.findall(r"^\s*(SRTT_\w+)\s*,", body, re.M)
    return {n: i for i, n in enumerate(names)}


A = enum("SRTT_A_UNSPEC", "__SRTT_A_MAX")
SS = enum("SRTT_A_SS_UNSPEC", "__SRTT_A_SS_MAX")
HB = enum("SRTT_A_HB_UNSPEC", "__SRTT_A_HB_MAX")
CMD = enum("SRTT_CMD_UNSPEC", "__SRTT_CMD_MAX")
P_DEV, P_STATS, P_HIST, P_CONFIG, P_RECORDS, P_ERROR, P_DONE = range(7)
NLA_F_NESTED = 0x8000
RECORD = 40


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def u8(t, v): return nla(t, struct.pack("=B", v))
def u16(t, v): return nla(t, struct.pack("=H", v))
def u32(t, v): return nla(t, struct.pack("=I", v))
def u64(t, v): return nla(t, struct.pack("=Q", v))
def s(t, v): return nla(t, v.encode() + b"\0")
def nest(t, *a): return nla(t | NLA_F_NESTED, b"".join(a))


def genl(cmd, *attrs):
    return struct.pack("=BBH", CMD[cmd], 1, 0) + b"".join(attrs)


def seeds():
    yield "dev", P_DEV, 0, genl(
        "SRTT_CMD_DEV_GET", u32(A["SRTT_A_IFINDEX"], 2),
        s(A["SRTT_A_IFNAME"], "eth0"), u8(A["SRTT_A_DEV_ID"], 0),
        u8(A["SRTT_A_DEV_ROLE"], 1), u32(A["SRTT_A_DEV_NUM_VFS"], 2),
        s(A["SRTT_A_DEV_PCI"], "0000:01:00.0"),
        s(A["SRTT_A_DEV_DRIVER"], "igb"), u32(A["SRTT_A_DEV_NETNS_INO"], 4026531840),
        u32(A["SRTT_A_DEV_IRQ"], 40), u32(A["SRTT_A_DEV_IRQ"], 41))
    yield "dev_longname", P_DEV, 0, genl(
        "SRTT_CMD_DEV_GET", s(A["SRTT_A_IFNAME"], "x" * 20))
    stats = [u8(A["SRTT_A_DEV_ID"], 1), s(A["SRTT_A_IFNAME"], "eth1"),
             u64(A["SRTT_A_IMPOSSIBLE"], 3), u64(A["SRTT_A_TRACK_BUSY"], 0),
             u64(A["SRTT_A_TRACK_RESTART"], 1)]
    for st in (0, 5, 9, 200):
        stats.append(nest(A["SRTT_A_STAGE_STATS"], u8(SS["SRTT_A_SS_STAGE"], st),
                          u64(SS["SRTT_A_SS_HITS"], 100 + st),
                          u64(SS["SRTT_A_SS_LOST"], st),
                          u64(SS["SRTT_A_SS_BAD"], 0)))
    yield "stats", P_STATS, 0, genl("SRTT_CMD_STATS_GET", *stats)
    yield "stats_nostage", P_STATS, 0, genl(
        "SRTT_CMD_STATS_GET",
        nest(A["SRTT_A_STAGE_STATS"], u64(SS["SRTT_A_SS_HITS"], 1)))
    hist = [u8(A["SRTT_A_DEV_ID"], 0), s(A["SRTT_A_IFNAME"], "eth0"),
            u8(A["SRTT_A_HIST_FROM"], 2), u8(A["SRTT_A_HIST_TO"], 3),
            u64(A["SRTT_A_HIST_COUNT"], 7), u64(A["SRTT_A_HIST_OVER"], 0),
            u64(A["SRTT_A_HIST_MIN"], 900), u64(A["SRTT_A_HIST_MAX"], 50000),
            u64(A["SRTT_A_HIST_SUM"], 70000)]
    for idx, cnt in ((3, 1), (40, 4), (523, 2)):
        hist.append(nest(A["SRTT_A_HIST_BUCKET"], u32(HB["SRTT_A_HB_INDEX"], idx),
                         u64(HB["SRTT_A_HB_COUNT"], cnt)))
    yield "hist", P_HIST, 0, genl("SRTT_CMD_HIST_GET", *hist)
    yield "hist_badindex", P_HIST, 0, genl(
        "SRTT_CMD_HIST_GET", *hist[:4],
        nest(A["SRTT_A_HIST_BUCKET"], u32(HB["SRTT_A_HB_INDEX"], 524),
             u64(HB["SRTT_A_HB_COUNT"], 1)))
    yield "config", P_CONFIG, 0, genl(
        "SRTT_CMD_CONFIG_GET", u16(A["SRTT_A_CFG_STAMP_PORT"], 862),
        u32(A["SRTT_A_CFG_SAMPLE"], 0), u32(A["SRTT_A_CFG_RING_SIZE"], 4096))
    rec = struct.pack("=QQIHHBBHBBHI4x", 1000, 0, 2, 0, 0, 9, 0, 0, 1, 1, 7, 42)
    assert len(rec) == RECORD
    yield "records", P_RECORDS, 0, genl(
        "SRTT_CMD_RECORDS", u64(A["SRTT_A_LOST"], 0),
        nla(A["SRTT_A_RECORDS"], rec + rec))
    yield "records_partial", P_RECORDS, 0, genl(
        "SRTT_CMD_RECORDS", nla(A["SRTT_A_RECORDS"], rec + rec[:12]))
    yield "records_short_u64", P_RECORDS, 0, genl(
        "SRTT_CMD_RECORDS", nla(A["SRTT_A_LOST"], b"\1\2\3"))
    req = struct.pack("=IHHII", 36, 0x20, 5, 1, 0) + b"\0" * 20
    ext = s(1, "no such device") + u32(2, 20)
    yield "error_ext", P_ERROR, 2, struct.pack("=i", -19) + req + ext
    yield "error_capped", P_ERROR, 3, struct.pack("=i", -1) + req[:16] + ext
    yield "error_ack", P_ERROR, 0, struct.pack("=i", 0) + req
    yield "done_ext", P_DONE, 2, struct.pack("=i", -95) + s(1, "dump failed")
    yield "empty", P_DEV, 0, b""


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, parser, flags, body in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([parser, flags]) + body)


if __name__ == "__main__":
    main()
