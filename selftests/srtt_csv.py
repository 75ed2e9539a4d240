# SPDX-License-Identifier: GPL-2.0
"""The components of a `sriov-rtt probe --csv` row, by their names.

The CSV has one fixed column per component of the model (c_NAME_ns, in
path order). A packet whose component merged several of them has its
value in the first one's column and "merged:FIRST" in the others'.
components(row) gives {name: value} with a merged component under its
joined name ("guest_wakeup+reflector"), as the summary names it;
with_components(row) is the row with its c_ columns replaced by those.

The comment lines before the header carry the run's notifications
("# sriov-rtt notify SIDE side|dev key=value ..."): rows(path) leaves
them out, notify(path) reads them.
"""
import csv


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))


def notify(path):
    """{"host": {"side": {...}, "devs": [{...}]}, "guest": ...}, values
    as text; a side without a line is missing."""
    out = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("# sriov-rtt notify "):
                if not line.startswith("#"):
                    break
                continue
            side, kind, *kv = line.split()[3:]
            s = out.setdefault(side, {"side": None, "devs": []})
            fields = dict(x.split("=", 1) for x in kv if "=" in x)
            if kind == "dev":
                s["devs"].append(fields)
            else:
                s["side"] = fields
    return out


def components(row):
    cols = [k for k in row if k.startswith("c_") and k.endswith("_ns")]
    members = {}
    order = []
    for k in cols:
        name, v = k[2:-3], row[k]
        if v.startswith("merged:"):
            first = v[len("merged:"):]
            if first not in members:
                raise ValueError("%s: merged into %r, which has no value" % (k, first))
            members[first].append(name)
            continue
        members[name] = [name]
        order.append((name, v))
    return {"+".join(members[n]): v for n, v in order}


def with_components(row):
    out = {k: v for k, v in row.items() if not k.startswith("c_")}
    out.update(("c_%s_ns" % n, v) for n, v in components(row).items())
    return out
