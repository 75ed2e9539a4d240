#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal third-party STAMP session-reflector for the tests: it knows no
sriov_rtt TLV. --mode base answers with the 44-byte RFC 8762 base only;
--mode unknown copies every TLV with the U flag set (RFC 8972 section 4,
a reflector that supports TLVs but not these types). T2 and T3 are NTP
stamps of CLOCK_REALTIME. Stops after --count replies or on SIGTERM."""
import argparse
import socket
import struct
import time

NTP_EPOCH = 2208988800


def ntp(t):
    sec = int(t)
    return (sec + NTP_EPOCH) << 32 | int((t - sec) * (1 << 32))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--mode", choices=("base", "unknown"), required=True)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--family", choices=("4", "6"), default="4")
    a = ap.parse_args()
    fam = socket.AF_INET6 if a.family == "6" else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("::" if a.family == "6" else "0.0.0.0", a.port))
    print("listening", flush=True)
    n = 0
    while not a.count or n < a.count:
        req, peer = s.recvfrom(65536)
        t2 = ntp(time.time())
        if len(req) < 44:
            continue
        seq, t1, ee, ssid = struct.unpack_from("!IQHH", req, 0)
        tlvs = bytearray(req[44:])
        if a.mode == "base":
            tlvs = bytearray()
        else:
            off = 0
            while off + 4 <= len(tlvs):
                length = struct.unpack_from("!H", tlvs, off + 2)[0]
                if off + 4 + length > len(tlvs):
                    tlvs[off] |= 0x40      # M: malformed, stop
                    break
                tlvs[off] |= 0x80          # U: not understood
                off += 4 + length
        # seq, T3, EE, SSID, T2, SS seq, SS timestamp, SS EE, MBZ, TTL, MBZ
        head = struct.pack("!IQHHQIQHHB3x", n, ntp(time.time()), ee, ssid,
                           t2, seq, t1, ee, 0, 255)
        s.sendto(head + bytes(tlvs), peer)
        n += 1


if __name__ == "__main__":
    main()
