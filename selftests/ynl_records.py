#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every record of the "records" group's batches, through the kernel's YNL.

The records attribute (SRTT_A_RECORDS) is a packed array of struct
srtt_record, the spec's struct record. YNL decodes a binary attribute that
names a struct as one struct (_decode_binary() in tools/net/ynl/lib/ynl.py),
so its cli.py shows the first record of each batch; YnlBatch decodes the
attribute as the array it is, with YNL's own struct decoder, and nothing
else differently.

  ynl_records.py --ynl DIR --spec SPEC [--schema SCHEMA] [--seconds S] [--flush]
      join the group and print every record as one JSON line,
      {"batch": N, <the record's members>}, for S seconds (default 5) or
      until SIGTERM; with --flush, a records-flush at the end drains the
      rings first. On stderr
      "listening" once joined, and last "N records in M batches, L lost".
  ynl_records.py --ynl DIR --spec SPEC [--schema SCHEMA] --decode HEX
      decode one records payload given in hex, without the kernel (for
      scripts/ynl check: the spec's struct against struct srtt_record).

DIR is YNL's directory (build/ynl/tools/net/ynl). Exit status: 0, or 1 on
an error (as YNL reports it).
"""

import argparse
import json
import select
import signal
import struct
import sys
import time


def batch_family(base):
    """YnlFamily (base) that decodes a binary attribute of structs whole"""

    class YnlBatch(base):
        def _decode_binary(self, attr, attr_spec):
            if not attr_spec.struct_name:
                return super()._decode_binary(attr, attr_spec)
            size = self._struct_size(attr_spec.struct_name)
            raw = attr.raw
            if len(raw) % size:
                raise Exception(f"{attr_spec.name}: {len(raw)} bytes is no "
                                f"array of {attr_spec.struct_name} ({size})")
            return [self._decode_struct(raw[i:i + size], attr_spec.struct_name)
                    for i in range(0, len(raw), size)]

    return YnlBatch


class Encoder(json.JSONEncoder):
    """as cli.py's: flags (a set) as a list, bytes in hex"""

    def default(self, o):
        if isinstance(o, bytes):
            return bytes.hex(o)
        if isinstance(o, set):
            return sorted(o)
        return json.JSONEncoder.default(self, o)


def decode_offline(lib, spec, schema, payload):
    """the records of one payload, with the spec but no kernel family"""
    cls = batch_family(lib.YnlFamily)
    ynl = cls.__new__(cls)
    lib.SpecFamily.__init__(ynl, spec, schema)
    ynl.process_unknown = False
    spec = ynl.attr_sets["main"]["records"]
    attr = struct.pack("HH", 4 + len(payload), spec.value) + payload
    return (ynl._decode_binary(lib.ynl.NlAttr(attr, 0), spec),
            ynl._struct_size(spec.struct_name))


def listen(lib, args):
    ynl = batch_family(lib.YnlFamily)(args.spec, args.schema)
    ynl.ntf_subscribe("records")
    print("listening", file=sys.stderr, flush=True)
    nrec = nbatch = lost = 0

    def drain():
        nonlocal nrec, nbatch, lost
        while ynl.async_msg_queue:
            msg = ynl.async_msg_queue.pop(0)
            nbatch += 1
            lost += msg["msg"].get("lost", 0)
            for rec in msg["msg"].get("records", []):
                nrec += 1
                print(json.dumps({"batch": nbatch, **rec}, cls=Encoder))

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    deadline = time.monotonic() + args.seconds
    while not stop:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([ynl.sock], [], [], min(left, 0.1))
        if ready:
            ynl.check_ntf()
        drain()
    if args.flush:
        # from a socket of its own (6.12's YNL fails on batches that come
        # on the requesting socket before the answer): the records are on
        # the listening socket before the answer comes
        lib.YnlFamily(args.spec, args.schema).do("records-flush", {})
        ynl.check_ntf()
        drain()
    print(f"{nrec} records in {nbatch} batches, {lost} lost", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ynl", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--flush", action="store_true")
    parser.add_argument("--decode", metavar="HEX")
    args = parser.parse_args()

    sys.path.insert(0, args.ynl)
    import lib  # pylint: disable=import-outside-toplevel

    try:
        if args.decode is not None:
            recs, size = decode_offline(lib, args.spec, args.schema,
                                        bytes.fromhex(args.decode))
            print(json.dumps({"size": size}))
            for rec in recs:
                print(json.dumps(rec, cls=Encoder))
        else:
            listen(lib, args)
    except lib.NlError as err:
        print(f"ynl_records: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
