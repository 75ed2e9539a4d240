#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a load's delay landed: on its way, or elsewhere.

Usage: flood_way.py BASE.csv CELL.csv PART[,PART...]

From two `sriov-rtt probe --csv` runs (the idle cell and a loaded one),
per packet the RTT splits exactly into the components that touch one of
PARTS (the load's way: a merged component counts when one of its parts
does) and the rest. Prints the medians' moves of the RTT, of the way and
of the rest, in us. Exit 0 when the RTT grew, the way's median moved by
at least 40 % of the RTT's move and by at least twice as much as the
rest's (medians do not add: per packet the two sum to the RTT, their
medians need not; on a busy machine a flood under TCG slows the
emulator's every part, so the rest moves too, less); 1 otherwise, with a
FAIL line.
"""
import os, statistics, sys
sys.dont_write_bytecode = True  # no byte code in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srtt_csv import components, rows


def split(path, way):
    on, off = [], []
    for r in rows(path):
        if "received" not in r["flags"].split("|"):
            continue
        c = components(r)
        if not r["rtt_ns"].lstrip("-").isdigit() or \
           any(not v.lstrip("-").isdigit() for v in c.values()):
            continue
        a = sum(int(v) for n, v in c.items() if set(n.split("+")) & way)
        on.append(a)
        off.append(int(r["rtt_ns"]) - a)
    return on, off


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    way = set(sys.argv[3].split(","))
    (bon, boff), (con, coff) = split(sys.argv[1], way), split(sys.argv[2], way)
    if len(bon) < 10 or len(con) < 10:
        print("FAIL too few packets with every component: %d and %d" % (len(bon), len(con)))
        sys.exit(1)
    m = statistics.median
    rtt = m([a + b for a, b in zip(con, coff)]) - m([a + b for a, b in zip(bon, boff)])
    on, off = m(con) - m(bon), m(coff) - m(boff)
    print("rtt %+.1f us, the load's way %+.1f us, the rest %+.1f us (n %d, %d)" %
          (rtt / 1e3, on / 1e3, off / 1e3, len(bon), len(con)))
    if rtt <= 0 or on < 0.4 * rtt or on < 2 * abs(off):
        print("FAIL the delay did not land on the load's way")
        sys.exit(1)


main()
