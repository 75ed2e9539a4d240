#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send STAMP-format test packets (RFC 8762 section 4.2, RFC 8972 SSID).

  stamp_send.py DST PORT SSID SEQ [--reflector] [--count N] [--sport P]
                [--splice]

A session-sender packet carries SEQ at offset 0 and SSID at offset 14; a
reflector packet (--reflector) carries the session-sender sequence number
SEQ at offset 24. Nothing needs to answer: the module stamps the packets
on the way out and in.

--splice sends each packet with sendfile() from a file: on a device that
does scatter-gather the skb then holds the headers in its linear part
and the STAMP payload in a page fragment.
"""
import argparse
import os
import socket
import struct
import tempfile
import time


def packet(ssid, seq, reflector):
    if reflector:
        # seq, timestamp, error estimate, SSID, receive timestamp,
        # session-sender seq, sender timestamp, sender error est, MBZ,
        # sender TTL, MBZ
        return struct.pack("!IQHHQIQHHB3x", 1000 + seq, 0, 0x8001, ssid, 0,
                           seq, 0, 0x8001, 0, 255)
    return struct.pack("!IQHH28x", seq, 0, 0x8001, ssid)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dst")
    ap.add_argument("port", type=int)
    ap.add_argument("ssid", type=int)
    ap.add_argument("seq", type=int)
    ap.add_argument("--reflector", action="store_true")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--sport", type=int, default=0)
    ap.add_argument("--splice", action="store_true")
    a = ap.parse_args()
    if a.splice and a.sport:
        ap.error("--splice sends from a new socket per packet: no --sport")
    fam = socket.AF_INET6 if ":" in a.dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(("", a.sport))
    for i in range(a.count):
        pkt = packet(a.ssid, a.seq + i, a.reflector)
        assert len(pkt) == 44
        if a.splice:
            # sendfile() needs a connected socket; a port unreachable
            # answer to one packet then fails the next send: one each
            with socket.socket(fam, socket.SOCK_DGRAM) as c, \
                 tempfile.TemporaryFile() as f:
                c.connect((a.dst, a.port))
                f.write(pkt)
                f.flush()
                assert os.sendfile(c.fileno(), f.fileno(), 0, len(pkt)) == 44
        else:
            s.sendto(pkt, (a.dst, a.port))
        time.sleep(0.02)


if __name__ == "__main__":
    main()
