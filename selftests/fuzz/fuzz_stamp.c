// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the STAMP codec (user/stamp/stamp.c). Beyond what
 * AddressSanitizer and UBSan catch (every input sits in an allocation of
 * exactly its size), it checks the properties stamp.h documents:
 * - both decoders give SHORT below 44 bytes, LONG above 65507, and
 *   otherwise 0 or ETLV, the same for both, matching the TLV walk; strict
 *   mode adds EGARBAGE exactly when anomalies were found;
 * - the reflection of an input is as long as the input, carries its SSID,
 *   sequence number, timestamp and Error Estimate where RFC 8762 puts
 *   them, has the same TLV boundaries, sets only U or M, changes no value
 *   but those of TLVs it understood, and marks a broken TLV list with M;
 * - reflecting the reflection changes no TLV byte again;
 * - the sriov_rtt TLV values that decode re-encode to the same thing;
 * - NTP and PTP conversions round-trip; an Error Estimate is never below
 *   the bound it encodes, and within 1 % of it from 1 us up.
 *
 * Built with -fsanitize=fuzzer this is a libFuzzer target; built with
 * -DSRTT_FUZZ_REPLAY it is a KTAP test that replays the files given on
 * the command line (the seed corpus) without clang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/notify.h"
#include "stamp.h"

static void fail(const char *what, size_t size, long a, long b)
{
	fprintf(stderr, "fuzz_stamp: %s (input %zu bytes; %ld, %ld)\n", what,
		size, a, b);
	abort();
}

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

static uint64_t word(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		v = v << 8 | (at + i < size ? data[at + i] : 0);
	return v;
}

/* The reflector's TLV understanding, with fixed contents. */
static int fill(void *arg, uint8_t type, uint8_t *value, size_t len)
{
	static const struct srtt_stamp_guest_stages gs = {
		.clk = { 1, 2, 3 }, .count = 2,
		.st = { { 9, 1, 100, 200 }, { 10, 0, 300, 0 } },
	};
	static const struct srtt_stamp_follow_up fu = {
		.ss_seq = 5, .flags = SRTT_STAMP_FU_F_VALID, .count = 1,
		.tx_sw_ns = 7, .st = { { 3, 0, 400, 0 } },
	};

	(void)arg;
	switch (type) {
	case SRTT_STAMP_TLV_GUEST_STAGES:
		return srtt_stamp_gs_fill(value, len, &gs) < 0 ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_FOLLOW_UP:
		return srtt_stamp_fu_fill(value, len, &fu) < 0 ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_BOOT_ID:
		if (len != SRTT_STAMP_BOOT_ID_LEN)
			return SRTT_STAMP_TLV_BADLEN;
		memset(value, 0x42, len);
		return SRTT_STAMP_TLV_RECOGNIZED;
	}
	return srtt_stamp_tlv_default(NULL, type, value, len);
}

static bool ours(uint8_t type)
{
	return type == SRTT_STAMP_TLV_GUEST_STAGES ||
	       type == SRTT_STAMP_TLV_FOLLOW_UP ||
	       type == SRTT_STAMP_TLV_BOOT_ID;
}

static void check_decoders(const uint8_t *in, size_t size, int *tlv_rc)
{
	struct srtt_stamp_reflector r;
	struct srtt_stamp_sender s;
	int rs, rr, want;

	rs = srtt_stamp_decode_sender(in, size, &s, 0);
	rr = srtt_stamp_decode_reflector(in, size, &r, 0);
	if (size < SRTT_STAMP_HLEN)
		want = -SRTT_STAMP_ESHORT;
	else if (size > SRTT_STAMP_MAX_LEN)
		want = -SRTT_STAMP_ELONG;
	else
		want = srtt_stamp_tlv_count(in + SRTT_STAMP_HLEN,
					    size - SRTT_STAMP_HLEN) < 0 ?
			-SRTT_STAMP_ETLV : 0;
	if (rs != want || rr != want)
		fail("decoder result", size, rs, rr);
	*tlv_rc = want;
	if (want && want != -SRTT_STAMP_ETLV)
		return;
	if (s.seq != r.seq || s.ssid != r.ssid || s.ts != r.ts ||
	    s.tlv_len != size - SRTT_STAMP_HLEN || s.tlv != in + SRTT_STAMP_HLEN)
		fail("sender and reflector views differ", size, s.seq, r.seq);
	if (srtt_stamp_decode_sender(in, size, &s, SRTT_STAMP_STRICT) !=
	    (want ? want : s.anomalies ? -SRTT_STAMP_EGARBAGE : 0))
		fail("strict sender", size, s.anomalies, want);
	if (srtt_stamp_decode_reflector(in, size, &r, SRTT_STAMP_STRICT) !=
	    (want ? want : r.anomalies ? -SRTT_STAMP_EGARBAGE : 0))
		fail("strict reflector", size, r.anomalies, want);
}

static void check_values(const struct srtt_stamp_tlv *t, size_t size)
{
	struct srtt_stamp_guest_stages gs, gs2;
	struct srtt_stamp_follow_up fu, fu2;
	uint8_t *v = dup_exact(t->value, t->len), *w = malloc(t->len + 1);
	struct srtt_notify nt, nt2;
	uint8_t flags, flags2;
	uint32_t req, req2;

	if (!w)
		abort();
	if (t->type == SRTT_STAMP_TLV_GUEST_STAGES &&
	    !srtt_stamp_gs_decode(v, t->len, &gs)) {
		if (srtt_stamp_gs_fill(w, t->len, &gs) != gs.count ||
		    srtt_stamp_gs_decode(w, t->len, &gs2) ||
		    gs2.count != gs.count || gs2.flags != gs.flags ||
		    gs2.clk.mono_ns != gs.clk.mono_ns ||
		    gs2.clk.real_ns != gs.clk.real_ns ||
		    gs2.clk.half_width_ns != gs.clk.half_width_ns ||
		    (gs.count && gs2.st[gs.count - 1].ts_ns !=
				 gs.st[gs.count - 1].ts_ns))
			fail("guest stages re-encode", size, gs.count, gs2.count);
	}
	if (t->type == SRTT_STAMP_TLV_FOLLOW_UP &&
	    !srtt_stamp_fu_decode(v, t->len, &fu) &&
	    (fu.flags & SRTT_STAMP_FU_F_VALID)) {
		if (srtt_stamp_fu_fill(w, t->len, &fu) != fu.count ||
		    srtt_stamp_fu_decode(w, t->len, &fu2) ||
		    fu2.count != fu.count || fu2.flags != fu.flags ||
		    fu2.ss_seq != fu.ss_seq || fu2.rx_hw_ns != fu.rx_hw_ns)
			fail("follow-up re-encode", size, fu.count, fu2.count);
	}
	if (t->type == SRTT_STAMP_TLV_NOTIFY &&
	    !srtt_stamp_nt_decode(v, t->len, &nt, &req, &flags)) {
		nt.more = 0;	/* decoded entries beyond 8 are not kept */
		if (srtt_stamp_nt_fill(w, t->len, &nt, req,
				       flags & ~SRTT_STAMP_NT_F_NO_SOURCE) ||
		    srtt_stamp_nt_decode(w, t->len, &nt2, &req2, &flags2) ||
		    req2 != req || nt2.n != nt.n ||
		    (nt.n && nt2.dev[nt.n - 1].irqs != nt.dev[nt.n - 1].irqs))
			fail("notify re-encode", size, nt.n, nt2.n);
	}
	free(v);
	free(w);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void check_reflect(const uint8_t *in, size_t size, int tlv_rc)
{
	struct srtt_stamp_reflect_params p = {
		.seq = 77, .t2 = 1, .t3 = 2, .ee = 0x0101, .ttl = 9,
		.tlv_fn = fill,
	};
	struct srtt_stamp_tlv_iter a, b;
	struct srtt_stamp_reflect_result res;
	struct srtt_stamp_tlv ta, tb;
	struct srtt_stamp_reflector d;
	uint8_t *out, *out2;
	int rc, ra, rb;
	size_t stop;

	out = malloc(size > SRTT_STAMP_HLEN ? size : SRTT_STAMP_HLEN);
	out2 = malloc(size > SRTT_STAMP_HLEN ? size : SRTT_STAMP_HLEN);
	if (!out || !out2)
		abort();
	/* a TWAMP-Light request below 44 bytes needs room for the base */
	rc = srtt_stamp_reflect(in, size, out, size, &p, &res);
	if (size >= SRTT_STAMP_LIGHT_LEN && size < SRTT_STAMP_HLEN &&
	    rc != -SRTT_STAMP_ESPACE)
		fail("a short request's reply fit a short buffer", size, rc, 0);
	if (size < SRTT_STAMP_HLEN)
		rc = srtt_stamp_reflect(in, size, out, SRTT_STAMP_HLEN, &p, &res);
	if (size < SRTT_STAMP_LIGHT_LEN || size > SRTT_STAMP_MAX_LEN) {
		if (rc >= 0)
			fail("reflected a packet of bad length", size, rc, 0);
		goto out;
	}
	if (size < SRTT_STAMP_HLEN) {
		/* RFC 8762 4.6: the base reply, the request's 14 bytes echoed */
		if (rc != SRTT_STAMP_HLEN || !res.light || res.tlvs ||
		    srtt_stamp_decode_reflector(out, SRTT_STAMP_HLEN, &d, 0) ||
		    d.seq != 77 || d.ts != 2 || d.rx_ts != 1 || d.ss_ttl != 9 ||
		    memcmp(out + 24, in, 4) || memcmp(out + 28, in + 4, 10))
			fail("TWAMP-Light reply", size, rc, res.light);
		goto out;
	}
	if (rc != (int)size)
		fail("reply length", size, rc, 0);
	if (srtt_stamp_decode_reflector(out, size, &d, 0) != tlv_rc)
		fail("reply TLV list differs", size, tlv_rc, 0);
	if (d.seq != 77 || d.ts != 2 || d.rx_ts != 1 || d.ss_ttl != 9 ||
	    d.ss_seq != ((uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
			 (uint32_t)in[2] << 8 | in[3]) ||
	    d.ssid != (in[14] << 8 | in[15]) || memcmp(out + 28, in + 4, 10) ||
	    d.anomalies & SRTT_STAMP_A_MBZ)
		fail("reply base fields", size, d.seq, d.ss_seq);
	/* zeros past the base are a TWAMP-Light sender's padding, copied */
	if (res.padding) {
		size_t k;

		for (k = SRTT_STAMP_HLEN; k < size; k++)
			if (in[k] || out[k])
				fail("padding not zero or changed", size, (long)k, 0);
		if (size == SRTT_STAMP_HLEN || res.tlvs)
			fail("padding without bytes, or walked as TLVs", size, 0, 0);
		goto out;
	}
	if (size > SRTT_STAMP_HLEN &&
	    all_zero(in + SRTT_STAMP_HLEN, size - SRTT_STAMP_HLEN))
		fail("zeros past the base not taken for padding", size, 0, 0);
	if ((tlv_rc != 0) != res.stopped)
		fail("stopped iff the TLV list is broken", size, tlv_rc, res.stopped);

	/* same boundaries, only U/M set, only understood values changed */
	srtt_stamp_tlv_iter_init(&a, in + SRTT_STAMP_HLEN, size - SRTT_STAMP_HLEN);
	srtt_stamp_tlv_iter_init(&b, out + SRTT_STAMP_HLEN, size - SRTT_STAMP_HLEN);
	stop = size - SRTT_STAMP_HLEN;
	for (;;) {
		ra = srtt_stamp_tlv_next(&a, &ta);
		rb = srtt_stamp_tlv_next(&b, &tb);
		if (ra != rb || (ra && ta.off != tb.off))
			fail("TLV walk differs", size, ra, rb);
		if (ra <= 0) {
			if (ra < 0)
				stop = ta.off;
			break;
		}
		check_values(&ta, size);
		if (ta.type != tb.type || ta.len != tb.len)
			fail("TLV type or length changed", size, ta.type, tb.type);
		if (tb.flags != 0 && tb.flags != SRTT_STAMP_TLV_F_U &&
		    tb.flags != SRTT_STAMP_TLV_F_M)
			fail("TLV flags", size, tb.flags, ta.off);
		if (tb.flags && memcmp(ta.value, tb.value, ta.len))
			fail("value of a U/M TLV changed", size, ta.type, ta.off);
		if (!ours(ta.type) && memcmp(ta.value, tb.value, ta.len))
			fail("value of a foreign TLV changed", size, ta.type, ta.off);
		if ((tb.flags == SRTT_STAMP_TLV_F_U) !=
		    (!ours(ta.type) && ta.type != SRTT_STAMP_TLV_PADDING))
			fail("U flag", size, ta.type, tb.flags);
	}
	if (stop < size - SRTT_STAMP_HLEN) {
		const uint8_t *x = in + SRTT_STAMP_HLEN + stop;
		const uint8_t *y = out + SRTT_STAMP_HLEN + stop;
		size_t rest = size - SRTT_STAMP_HLEN - stop;

		if (y[0] != SRTT_STAMP_TLV_F_M || memcmp(x + 1, y + 1, rest - 1))
			fail("broken TLV not marked or the rest changed", size,
			     y[0], (long)stop);
	}

	/* a second reflection changes no TLV byte */
	if (srtt_stamp_reflect(out, size, out2, size, &p, NULL) != (int)size)
		fail("second reflection", size, 0, 0);
	if (memcmp(out + SRTT_STAMP_HLEN, out2 + SRTT_STAMP_HLEN,
		   size - SRTT_STAMP_HLEN))
		fail("second reflection changed TLVs", size, 0, 0);
out:
	free(out);
	free(out2);
}

static void check_time(const uint8_t *data, size_t size)
{
	uint64_t w = word(data, size, 0), ns, back, v;
	struct timespec ts, ts2;
	int64_t d;

	/* NTP -> timespec -> NTP within rounding (3 fraction units) */
	srtt_stamp_ntp_to_timespec(w, &ts);
	if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		fail("NTP ns range", size, ts.tv_nsec, 0);
	back = srtt_stamp_ntp_from_timespec(&ts);
	d = (int64_t)(back - w);
	if (d > 3 || d < -3)
		fail("NTP round trip", size, (long)d, 0);
	/* timespec -> NTP -> timespec exactly */
	ts.tv_sec = (time_t)(w >> 34);
	ts.tv_nsec = (long)(w % 1000000000ULL);
	srtt_stamp_ntp_to_timespec(srtt_stamp_ntp_from_timespec(&ts), &ts2);
	if (ts2.tv_nsec != ts.tv_nsec ||
	    (uint32_t)(ts2.tv_sec + 2208988800LL) !=
	    (uint32_t)(ts.tv_sec + 2208988800LL))
		fail("timespec round trip", size, ts.tv_nsec, ts2.tv_nsec);
	/* PTP */
	if (!srtt_stamp_ptp_to_timespec(w, &ts) &&
	    srtt_stamp_ptp_from_timespec(&ts) != w)
		fail("PTP round trip", size, 0, 0);

	/* Error Estimate */
	ns = word(data, size, 8);
	v = srtt_stamp_ee_ns(srtt_stamp_ee_encode(ns, false, false));
	if (v < ns)
		fail("Error Estimate below the bound", size, (long)v, (long)ns);
	if (ns >= 1000 && v != UINT64_MAX && v - ns > ns / 100)
		fail("Error Estimate > 1 % above the bound", size, (long)v,
		     (long)ns);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = dup_exact(data, size);
	int tlv_rc;

	check_decoders(in, size, &tlv_rc);
	check_reflect(in, size, tlv_rc);
	check_time(in, size);
	free(in);
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#define SRTT_FUZZ_REPLAY_MAX	(SRTT_STAMP_MAX_LEN + 16)
#include "replay.h"
#endif
