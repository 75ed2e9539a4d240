#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check sriov_rtt record lines (debugfs 'records') for the lab selftests.

  srtt_records.py count FILE [field=value ...]     number of matching records
  srtt_records.py order FILE [field=value ...]     stage order along each packet
  srtt_records.py lost FILE                        sum of 'lost' lines

'order' groups records by device and probe key, sorts each group by the
documented stage order and reports every group whose timestamps decrease
along it. It prints one line per violation and the number of groups
checked; exit 1 on any violation.
"""
import sys

STAGES = ["tx_nf_egress", "tx_queue", "tx_drv", "tx_drv_done", "tx_done",
          "tx_hw", "rx_hw", "rx_irq", "rx_softirq", "rx_drv", "rx_stack",
          "rx_nf_ingress", "rx_sock", "rx_copy"]
# tx_done may be stamped on another CPU before net_dev_xmit returns on
# the sending one: it is ordered after tx_drv only.
AFTER = {"tx_done": "tx_drv"}


def records(path, filters):
    out = []
    with open(path) as f:
        for line in f:
            if not line.startswith("ts="):
                continue
            rec = dict(kv.split("=", 1) for kv in line.split())
            if all(rec.get(k) == v for k, v in filters.items()):
                out.append(rec)
    return out


def parse_filters(args):
    return dict(a.split("=", 1) for a in args)


def order(recs):
    groups = {}
    for r in recs:
        if r["stage"] in ("tx_hw", "rx_hw"):
            continue  # hardware clock: not comparable with ts
        key = (r["dev"], r["probe"], r["dir"], r["id"], r["seq"])
        groups.setdefault(key, {}).setdefault(r["stage"], []).append(int(r["ts"]))
    bad = 0
    for key, st in groups.items():
        seq = [s for s in STAGES if s in st]
        for i, s in enumerate(seq):
            if any(len(v) > 1 for v in st.values()):
                print("duplicate stamps for %s: %s" % (key, st))
                bad += 1
                break
            prev = AFTER.get(s)
            earlier = [prev] if prev else seq[:i]
            for e in earlier:
                if e in st and st[e][0] > st[s][0]:
                    print("%s: %s at %d before %s at %d" %
                          (key, s, st[s][0], e, st[e][0]))
                    bad += 1
    print("groups %d violations %d" % (len(groups), bad))
    return 1 if bad else 0


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, path, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if cmd == "count":
        print(len(records(path, parse_filters(rest))))
    elif cmd == "order":
        sys.exit(order(records(path, parse_filters(rest))))
    elif cmd == "lost":
        n = 0
        with open(path) as f:
            for line in f:
                if line.startswith("lost "):
                    n += int(dict(kv.split("=", 1) for kv in line.split()[1:])["count"])
        print(n)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
