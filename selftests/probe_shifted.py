#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A known delay lands in one component.

Usage: probe_shifted.py BASE.csv NEW.csv COMPONENT [want=LO:HI] [others=MS]
                        [skip=NAME,...]

From two `sriov-rtt probe --csv` files: COMPONENT's minimum over the
packets grew by 5 ms +-10 % (want=LO:HI, in ms), every other component's
minimum moved by less than 1 ms (others=MS), the components named in skip
left out. Minima, because emulator noise only ever adds; and "reflector"
without the reflector's own stage flush, which is measured per packet and
varies by milliseconds under TCG. When neither run has COMPONENT alone
but both have one merged component holding it, that one stands for it
and a "# merged" line says so. Prints FAIL lines and one "moved" line;
exit 1 on any failure.
"""
import os, sys
sys.dont_write_bytecode = True  # no byte code in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srtt_csv import rows, with_components
base, new, comp = sys.argv[1:4]
opt = dict(a.split("=", 1) for a in sys.argv[4:])
lo, hi = (float(x) * 1e6 for x in opt.get("want", "4.5:5.5").split(":"))
others = float(opt.get("others", "1")) * 1e6
skip = set(filter(None, opt.get("skip", "").split(",")))
def minima(path):
    m = {}
    for r in map(with_components, rows(path)):
        for k, v in r.items():
            if not k.startswith("c_") or v in ("", "impossible"):
                continue
            name, x = k[2:-3], int(v)
            if name == "reflector" and r.get("g_flush_us"):
                x -= int(r["g_flush_us"]) * 1000
            m[name] = min(m.get(name, x), x)
    return m
b, n = minima(base), minima(new)
bad = []
# a run whose stamps merged COMPONENT with a neighbour (a stage between
# them not matched for any packet) holds the delay in the merged one:
# that one is COMPONENT here, and the merge is said
if comp not in b and comp not in n:
    merged = [k for k in set(b) & set(n) if comp in k.split("+")]
    if len(merged) == 1:
        print("# %s merged in both runs: %s" % (comp, merged[0]))
        comp = merged[0]
for name in sorted(set(b) & set(n)):
    d = n[name] - b[name]
    if name == comp:
        if not lo <= d <= hi:
            bad.append("%s minimum moved %d ns, want %d..%d" % (name, d, lo, hi))
    elif name not in skip and abs(d) >= others:
        bad.append("%s minimum moved %d ns (%d -> %d), want < %d" %
                   (name, d, b[name], n[name], others))
if comp not in b or comp not in n:
    bad.append("%s missing: %s / %s" % (comp, list(b), list(n)))
for x in bad:
    print("FAIL " + x)
print("moved (minima): " + ", ".join("%s %+d" % (k, n[k] - b[k]) for k in sorted(set(b) & set(n))))
sys.exit(1 if bad else 0)
