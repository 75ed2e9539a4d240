#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A UDP flood: the load of a study's cell (scripts/experiment).

Usage: udp_flood.py DST PORT SECONDS [RATE [SIZE]]

Sends SIZE-byte datagrams (default 1000) to DST:PORT for at most SECONDS,
at most RATE a second (default 0: as fast as the socket takes them). It
prints "flooding ..." when its first datagram is ready to go (python's
start takes seconds under TCG: a caller waits for that line) and "sent N
in S s" when it ends, at SECONDS or on SIGTERM. A send the
kernel refuses (ENOBUFS, a port unreachable coming back as ECONNREFUSED)
is counted and retried, not an error: the flood is the point.
"""
import errno, signal, socket, sys, time

def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip())
    dst, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    size = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    if not (0 < port < 65536 and 0 < secs <= 3600 and rate >= 0 and 0 < size <= 65000):
        sys.exit("udp_flood: bad arguments: %s" % " ".join(sys.argv[1:]))
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *a: stop.__setitem__(0, True))
    print("flooding %s port %d for %g s" % (dst, port, secs), flush=True)
    data = bytes(size)
    sent = refused = 0
    t0 = time.monotonic()
    end = t0 + secs
    gap = 1.0 / rate if rate else 0
    nxt = t0
    while not stop[0]:
        now = time.monotonic()
        if now >= end:
            break
        if gap and now < nxt:
            time.sleep(min(nxt - now, end - now))
            continue
        nxt += gap
        try:
            s.sendto(data, (dst, port))
            sent += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.ECONNREFUSED, errno.EAGAIN):
                raise
            refused += 1
    print("sent %d in %.1f s (%d refused)" % (sent, time.monotonic() - t0, refused), flush=True)

main()
