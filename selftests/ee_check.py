#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ee_check.py EE: is the Error Estimate EE (hex, RFC 4656 4.1.2) this
host's, as the kernel's NTP state gives it (adjtimex()): S set exactly
when the clock is synchronized (not TIME_ERROR, no STA_UNSYNC), and an
error that covers esterror plus the clock's resolution, by less than
2 % more. Prints what it compared; exit 1 when they differ."""
import ctypes
import sys
import time

TIME_ERROR, STA_UNSYNC = 5, 0x0040

ee = int(sys.argv[1], 16)
buf = ctypes.create_string_buffer(256)      # struct timex, zeroed: modes 0
libc = ctypes.CDLL(None, use_errno=True)
state = libc.adjtimex(buf)
# x86-64 struct timex: modes, pad, offset, freq, maxerror, esterror, status
esterror = ctypes.c_long.from_buffer(buf, 32).value
status = ctypes.c_int.from_buffer(buf, 40).value
sync = state >= 0 and state != TIME_ERROR and not status & STA_UNSYNC
bound = max(esterror, 0) * 1000 + round(time.clock_getres(time.CLOCK_REALTIME) * 1e9)
mult, scale = ee & 0xff, (ee >> 8) & 0x3f
err_ns = mult * 2.0 ** (scale - 32) * 1e9
print("ee=0x%04x: S %d, error %.0f ns; adjtimex: state %d status 0x%x "
      "esterror %d us, synchronized %d, bound %d ns"
      % (ee, ee >> 15, err_ns, state, status, esterror, sync, bound))
ok = bool(ee & 0x8000) == sync and bound <= err_ns < bound * 1.02 + 1
sys.exit(0 if ok else 1)
