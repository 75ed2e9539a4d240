// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the STAMP codec (user/stamp/stamp.c): base packets both
 * ways, TLV walking and reflection (RFC 8972 U and M flags), every
 * truncation and lying length of a valid packet, timestamps and Error
 * Estimate, the sriov_rtt TLVs. Each input that a decoder reads is copied
 * into an allocation of exactly its size, so AddressSanitizer catches a
 * read past the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>

#include "../../../selftests/unit/ktap.h"
#include "lib/notify.h"
#include "stamp.h"

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return n ? q : q + 1;	/* a zero-length buffer: any read trips */
}

static void free_exact(uint8_t *q, size_t n)
{
	free(n ? q : q - 1);
}

static const struct srtt_stamp_sender sender_ref = {
	.seq = 0x01020304,
	.ts = 0xe9e8e7e6e5e4e3e2ULL,
	.ee = 0x8101,
	.ssid = 0xbeef,
};

/* A sender packet with three TLVs: padding 8, unknown type 200 (3 bytes),
 * boot id request 16. Returns its length. */
static size_t sender_with_tlvs(uint8_t *buf, size_t size)
{
	static const uint8_t odd[3] = { 0xaa, 0xbb, 0xcc };
	size_t off;

	off = (size_t)srtt_stamp_encode_sender(buf, size, &sender_ref);
	if (srtt_stamp_tlv_put(buf, size, &off, 0, SRTT_STAMP_TLV_PADDING,
			       NULL, 8) ||
	    srtt_stamp_tlv_put(buf, size, &off, 0, 200, odd, sizeof(odd)) ||
	    srtt_stamp_tlv_put(buf, size, &off, 0, SRTT_STAMP_TLV_BOOT_ID,
			       NULL, 16))
		abort();
	return off;
}

/* ---- base packets ---- */

static void sender_roundtrip(void)
{
	struct srtt_stamp_sender d;
	uint8_t buf[64];
	int n;

	n = srtt_stamp_encode_sender(buf, sizeof(buf), &sender_ref);
	KTAP_EXPECT_EQ(n, 44);
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, 44, &d, SRTT_STAMP_STRICT), 0);
	KTAP_EXPECT_EQ(d.seq, sender_ref.seq);
	KTAP_EXPECT_EQ(d.ts, sender_ref.ts);
	KTAP_EXPECT_EQ(d.ee, sender_ref.ee);
	KTAP_EXPECT_EQ(d.ssid, sender_ref.ssid);
	KTAP_EXPECT_EQ(d.tlv_len, 0);
	KTAP_EXPECT_EQ(d.anomalies, 0);
	/* the wire layout of RFC 8762 4.2.1 / RFC 8972 3 */
	KTAP_EXPECT_EQ(buf[0], 0x01);
	KTAP_EXPECT_EQ(buf[3], 0x04);
	KTAP_EXPECT_EQ(buf[4], 0xe9);
	KTAP_EXPECT_EQ(buf[12], 0x81);
	KTAP_EXPECT_EQ(buf[14], 0xbe);
	KTAP_EXPECT_EQ(buf[15], 0xef);
	KTAP_EXPECT_EQ(srtt_stamp_encode_sender(buf, 43, &sender_ref),
		       -SRTT_STAMP_ESPACE);
}

static void reflector_roundtrip(void)
{
	struct srtt_stamp_reflector r = {
		.seq = 7, .ts = 0x1111222233334444ULL, .ee = 0x0a20,
		.ssid = 0x1234, .rx_ts = 0x5555666677778888ULL,
		.ss_seq = 0xdeadbeef, .ss_ts = 0x99990000aaaa0000ULL,
		.ss_ee = 0x8001, .ss_ttl = 63,
	}, d;
	uint8_t buf[44];

	KTAP_EXPECT_EQ(srtt_stamp_encode_reflector(buf, sizeof(buf), &r), 44);
	KTAP_EXPECT_EQ(srtt_stamp_decode_reflector(buf, 44, &d, SRTT_STAMP_STRICT), 0);
	KTAP_EXPECT_EQ(d.seq, r.seq);
	KTAP_EXPECT_EQ(d.ts, r.ts);
	KTAP_EXPECT_EQ(d.ee, r.ee);
	KTAP_EXPECT_EQ(d.ssid, r.ssid);
	KTAP_EXPECT_EQ(d.rx_ts, r.rx_ts);
	KTAP_EXPECT_EQ(d.ss_seq, r.ss_seq);
	KTAP_EXPECT_EQ(d.ss_ts, r.ss_ts);
	KTAP_EXPECT_EQ(d.ss_ee, r.ss_ee);
	KTAP_EXPECT_EQ(d.ss_ttl, r.ss_ttl);
	KTAP_EXPECT_EQ(d.tlv_len, 0);
	/* where the module's classifier looks: SSID at 14, ss_seq at 24 */
	KTAP_EXPECT_EQ(buf[14] << 8 | buf[15], 0x1234);
	KTAP_EXPECT_EQ(buf[24], 0xde);
	KTAP_EXPECT_EQ(buf[27], 0xef);
	KTAP_EXPECT_EQ(buf[40], 63);
}

static void sender_tlvs_roundtrip(void)
{
	struct srtt_stamp_tlv_iter it;
	struct srtt_stamp_sender d;
	struct srtt_stamp_tlv t;
	uint8_t buf[256], *p;
	size_t len = sender_with_tlvs(buf, sizeof(buf));

	KTAP_EXPECT_EQ(len, 44 + 12 + 7 + 20);
	p = dup_exact(buf, len);
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(p, len, &d, SRTT_STAMP_STRICT), 0);
	KTAP_EXPECT_EQ(d.tlv_len, len - 44);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_count(d.tlv, d.tlv_len), 3);
	srtt_stamp_tlv_iter_init(&it, d.tlv, d.tlv_len);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_next(&it, &t), 1);
	KTAP_EXPECT(t.type == SRTT_STAMP_TLV_PADDING && t.len == 8 && t.off == 0,
		    "first TLV: type %u len %u off %zu", t.type, t.len, t.off);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_next(&it, &t), 1);
	KTAP_EXPECT(t.type == 200 && t.len == 3 && t.value[2] == 0xcc,
		    "second TLV: type %u len %u", t.type, t.len);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_next(&it, &t), 1);
	KTAP_EXPECT_EQ(t.type, SRTT_STAMP_TLV_BOOT_ID);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_next(&it, &t), 0);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_find(d.tlv, d.tlv_len, 200, &t), 1);
	KTAP_EXPECT_EQ(t.off, 12);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_find(d.tlv, d.tlv_len, 241, &t), 0);
	free_exact(p, len);
}

static void reflector_tlvs_roundtrip(void)
{
	struct srtt_stamp_reflector r = { .seq = 1, .ssid = 9, .ss_ee = 1, .ee = 1 }, d;
	struct srtt_stamp_guest_stages gs = {
		.clk = { 1000, 2000, 30 }, .count = 2,
		.st = { { 9, 0, 111, 0 }, { 10, 1, 222, 333 } },
	}, gsd;
	uint8_t buf[512], *v;
	struct srtt_stamp_tlv t;
	size_t off;

	off = (size_t)srtt_stamp_encode_reflector(buf, sizeof(buf), &r);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0,
					  SRTT_STAMP_TLV_GUEST_STAGES, NULL,
					  SRTT_STAMP_GS_LEN(4)), 0);
	v = buf + 44 + 4;
	KTAP_EXPECT_EQ(srtt_stamp_gs_fill(v, SRTT_STAMP_GS_LEN(4), &gs), 2);
	KTAP_EXPECT_EQ(srtt_stamp_decode_reflector(buf, off, &d, SRTT_STAMP_STRICT), 0);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_find(d.tlv, d.tlv_len,
					   SRTT_STAMP_TLV_GUEST_STAGES, &t), 1);
	KTAP_EXPECT_EQ(srtt_stamp_gs_decode(t.value, t.len, &gsd), 0);
	KTAP_EXPECT_EQ(gsd.count, 2);
	KTAP_EXPECT_EQ(gsd.flags, 0);
	KTAP_EXPECT_EQ(gsd.clk.mono_ns, 1000);
	KTAP_EXPECT_EQ(gsd.clk.real_ns, 2000);
	KTAP_EXPECT_EQ(gsd.clk.half_width_ns, 30);
	KTAP_EXPECT_EQ(gsd.st[1].stage, 10);
	KTAP_EXPECT_EQ(gsd.st[1].flags, 1);
	KTAP_EXPECT_EQ(gsd.st[1].ts_ns, 222);
	KTAP_EXPECT_EQ(gsd.st[1].hwts, 333);
	/* the unused room stays zero */
	KTAP_EXPECT(v[SRTT_STAMP_GS_LEN(2)] == 0 &&
		    v[SRTT_STAMP_GS_LEN(4) - 1] == 0, "room not zeroed");
}

/* ---- malformed input ---- */

static void every_truncation(void)
{
	uint8_t buf[256], out[256], *p;
	size_t len = sender_with_tlvs(buf, sizeof(buf)), cut;
	static const size_t bounds[] = { 44, 56, 63, 83 };
	struct srtt_stamp_reflect_params rp = { 0 };
	struct srtt_stamp_reflector dr;
	struct srtt_stamp_sender ds;
	int want, got, bad = 0;
	unsigned int i;

	for (cut = 0; cut <= len; cut++) {
		p = dup_exact(buf, cut);
		if (cut < 44) {
			want = -SRTT_STAMP_ESHORT;
		} else {
			want = -SRTT_STAMP_ETLV;
			for (i = 0; i < 4; i++)
				if (cut == bounds[i])
					want = 0;
		}
		got = srtt_stamp_decode_sender(p, cut, &ds, 0);
		if (got != want) {
			KTAP_DIAG("sender cut %zu: %d, want %d", cut, got, want);
			bad++;
		}
		got = srtt_stamp_decode_reflector(p, cut, &dr, 0);
		if (got != want) {
			KTAP_DIAG("reflector cut %zu: %d, want %d", cut, got, want);
			bad++;
		}
		/* 14 bytes and more: a TWAMP-Light request, 44-byte reply */
		got = srtt_stamp_reflect(p, cut, out, sizeof(out), &rp, NULL);
		if (got != (cut < 14 ? -SRTT_STAMP_ESHORT : cut < 44 ? 44 : (int)cut)) {
			KTAP_DIAG("reflect cut %zu: %d", cut, got);
			bad++;
		}
		free_exact(p, cut);
	}
	KTAP_EXPECT_EQ(bad, 0);
}

static void oversized(void)
{
	size_t max = SRTT_STAMP_MAX_LEN, off;
	uint8_t *buf = calloc(1, max + 1), *out = malloc(max + 1);
	struct srtt_stamp_reflect_params rp = { 0 };
	struct srtt_stamp_sender d;

	if (!buf || !out)
		abort();
	off = (size_t)srtt_stamp_encode_sender(buf, max, &sender_ref);
	/* the largest packet: one padding TLV filling it */
	KTAP_EXPECT_EQ(srtt_stamp_tlv_put(buf, max, &off, 0,
					  SRTT_STAMP_TLV_PADDING, NULL,
					  (uint16_t)(max - 48)), 0);
	KTAP_EXPECT_EQ(off, max);
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, max, &d, 0), 0);
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, max, out, max, &rp, NULL), (int)max);
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, max + 1, &d, 0),
		       -SRTT_STAMP_ELONG);
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, max + 1, out, max + 1, &rp, NULL),
		       -SRTT_STAMP_ELONG);
	/* a reply buffer smaller than the request */
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, max, out, max - 1, &rp, NULL),
		       -SRTT_STAMP_ESPACE);
	free(buf);
	free(out);
}

/* Every TLV's length field, set to each value that runs past the end. */
static void tlv_length_lying(void)
{
	static const size_t hdr[] = { 44, 56, 63 };
	uint8_t buf[256], *p;
	size_t len = sender_with_tlvs(buf, sizeof(buf)), left;
	struct srtt_stamp_sender d;
	unsigned int i, v, lie;
	int bad = 0, rc;

	for (i = 0; i < 3; i++) {
		left = len - hdr[i] - 4;
		unsigned int lies[] = { left + 1, left + 2, 0x8000, 0xffff };

		for (v = 0; v < 4; v++) {
			lie = lies[v];
			p = dup_exact(buf, len);
			p[hdr[i] + 2] = lie >> 8;
			p[hdr[i] + 3] = lie & 0xff;
			rc = srtt_stamp_decode_sender(p, len, &d, 0);
			if (rc != -SRTT_STAMP_ETLV) {
				KTAP_DIAG("TLV %u length %u: %d", i, lie, rc);
				bad++;
			}
			/* the base fields are still there */
			if (d.seq != sender_ref.seq || d.tlv_len != len - 44)
				bad++;
			rc = srtt_stamp_tlv_count(p + 44, len - 44);
			if (rc != -SRTT_STAMP_ETLV)
				bad++;
			free_exact(p, len);
		}
	}
	KTAP_EXPECT_EQ(bad, 0);

	/* a TLV area of 1 to 3 bytes: no room for a header */
	for (i = 1; i < 4; i++) {
		p = dup_exact(buf, 44 + i);
		KTAP_EXPECT_EQ(srtt_stamp_decode_sender(p, 44 + i, &d, 0),
			       -SRTT_STAMP_ETLV);
		free_exact(p, 44 + i);
	}
}

static void strict_garbage(void)
{
	struct srtt_stamp_reflector dr;
	struct srtt_stamp_sender d;
	uint8_t buf[44];

	srtt_stamp_encode_sender(buf, sizeof(buf), &sender_ref);
	buf[30] = 1;	/* MBZ */
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, 44, &d, 0), 0);
	KTAP_EXPECT_EQ(d.anomalies, SRTT_STAMP_A_MBZ);
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, 44, &d, SRTT_STAMP_STRICT),
		       -SRTT_STAMP_EGARBAGE);
	buf[30] = 0;
	buf[13] = 0;	/* Multiplier 0 */
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, 44, &d, SRTT_STAMP_STRICT),
		       -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT_EQ(d.anomalies, SRTT_STAMP_A_EE);
	buf[13] = 1;
	buf[12] |= 0x40;	/* PTP, and the low word 0xe5e4e3e2 >= 10^9 */
	KTAP_EXPECT_EQ(srtt_stamp_decode_sender(buf, 44, &d, SRTT_STAMP_STRICT),
		       -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT_EQ(d.anomalies, SRTT_STAMP_A_TS);
	/* random-looking bytes as a reflector packet */
	memset(buf, 0x5a, sizeof(buf));
	KTAP_EXPECT_EQ(srtt_stamp_decode_reflector(buf, 44, &dr, SRTT_STAMP_STRICT),
		       -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT(dr.anomalies & SRTT_STAMP_A_MBZ, "MBZ not seen");
	KTAP_EXPECT(srtt_stamp_strerror(-SRTT_STAMP_EGARBAGE)[0] != 'u',
		    "no message for EGARBAGE");
}

/* ---- reflection ---- */

static void reflect_plain_44(void)
{
	struct srtt_stamp_reflect_params rp = {
		.seq = 0x01020304, .t2 = 0x1000, .t3 = 0x2000,
		.ee = 0x0123, .ttl = 64,
	};
	struct srtt_stamp_reflector d;
	uint8_t req[44], out[64], *p;
	static const uint8_t zero[3];

	srtt_stamp_encode_sender(req, sizeof(req), &sender_ref);
	p = dup_exact(req, 44);
	memset(out, 0xff, sizeof(out));
	KTAP_EXPECT_EQ(srtt_stamp_reflect(p, 44, out, sizeof(out), &rp, NULL), 44);
	KTAP_EXPECT_EQ(srtt_stamp_decode_reflector(out, 44, &d, SRTT_STAMP_STRICT), 0);
	KTAP_EXPECT_EQ(d.seq, rp.seq);
	KTAP_EXPECT_EQ(d.ts, rp.t3);
	KTAP_EXPECT_EQ(d.rx_ts, rp.t2);
	KTAP_EXPECT_EQ(d.ee, rp.ee);
	KTAP_EXPECT_EQ(d.ssid, sender_ref.ssid);
	KTAP_EXPECT_EQ(d.ss_seq, sender_ref.seq);
	KTAP_EXPECT_EQ(d.ss_ts, sender_ref.ts);
	KTAP_EXPECT_EQ(d.ss_ee, sender_ref.ee);
	KTAP_EXPECT_EQ(d.ss_ttl, 64);
	KTAP_EXPECT(!memcmp(out + 38, zero, 2) && !memcmp(out + 41, zero, 3),
		    "MBZ not zero");
	KTAP_EXPECT_EQ(out[44], 0xff);	/* nothing written past the reply */
	free_exact(p, 44);
}

static void reflect_unknown_u(void)
{
	struct srtt_stamp_reflect_params rp = { 0 };
	struct srtt_stamp_reflect_result res;
	uint8_t buf[256], out[256];
	size_t len = sender_with_tlvs(buf, sizeof(buf));

	buf[44] = SRTT_STAMP_TLV_F_U | 0x01;	/* sender set U and a reserved bit */
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, len, out, sizeof(out), &rp, &res),
		       (int)len);
	KTAP_EXPECT_EQ(res.tlvs, 3);
	KTAP_EXPECT_EQ(res.unknown, 2);		/* 200 and boot id (no tlv_fn) */
	KTAP_EXPECT_EQ(res.malformed, 0);
	KTAP_EXPECT_EQ(out[44], 0);		/* padding understood: U cleared */
	KTAP_EXPECT_EQ(out[56], SRTT_STAMP_TLV_F_U);
	KTAP_EXPECT_EQ(out[63], SRTT_STAMP_TLV_F_U);
	/* everything but the flags bytes is as received */
	KTAP_EXPECT(!memcmp(out + 45, buf + 45, 11) &&
		    !memcmp(out + 57, buf + 57, 6) &&
		    !memcmp(out + 64, buf + 64, len - 64), "TLV bytes changed");
}

/* Understands our boot id TLV (16 bytes) and nothing else. */
static int fill_boot_id(void *arg, uint8_t type, uint8_t *value, size_t len)
{
	int *calls = arg;

	(*calls)++;
	if (type != SRTT_STAMP_TLV_BOOT_ID)
		return srtt_stamp_tlv_default(NULL, type, value, len);
	if (len != SRTT_STAMP_BOOT_ID_LEN) {
		memset(value, 0xee, len);	/* must be undone */
		return SRTT_STAMP_TLV_BADLEN;
	}
	memset(value, 0x42, len);
	return SRTT_STAMP_TLV_RECOGNIZED;
}

static void reflect_malformed_m(void)
{
	struct srtt_stamp_reflect_result res;
	uint8_t buf[256], out[256];
	size_t len = sender_with_tlvs(buf, sizeof(buf));
	int calls = 0;
	struct srtt_stamp_reflect_params rp = {
		.tlv_fn = fill_boot_id, .arg = &calls,
	};

	/* the unknown TLV (at 56) claims 30 bytes: it runs past the end */
	buf[58] = 0;
	buf[59] = 30;
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, len, out, sizeof(out), &rp, &res),
		       (int)len);
	KTAP_EXPECT_EQ(res.tlvs, 2);
	KTAP_EXPECT_EQ(res.malformed, 1);
	KTAP_EXPECT(res.stopped, "processing went on");
	KTAP_EXPECT_EQ(calls, 1);		/* only the padding TLV */
	KTAP_EXPECT_EQ(out[44], 0);
	KTAP_EXPECT_EQ(out[56], SRTT_STAMP_TLV_F_M);
	/* the boot id TLV after it is untouched: no U, no fill */
	KTAP_EXPECT(!memcmp(out + 57, buf + 57, len - 57), "rest changed");
	KTAP_EXPECT_EQ(out[63], 0);
}

static void reflect_badlen_goes_on(void)
{
	struct srtt_stamp_reflect_result res;
	uint8_t buf[256], out[256];
	int calls = 0;
	struct srtt_stamp_reflect_params rp = {
		.tlv_fn = fill_boot_id, .arg = &calls,
	};
	size_t off;

	off = (size_t)srtt_stamp_encode_sender(buf, sizeof(buf), &sender_ref);
	srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, SRTT_STAMP_TLV_BOOT_ID,
			   NULL, 15);
	srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, 201, NULL, 0);
	srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, SRTT_STAMP_TLV_BOOT_ID,
			   NULL, 16);
	KTAP_EXPECT_EQ(srtt_stamp_reflect(buf, off, out, sizeof(out), &rp, &res),
		       (int)off);
	KTAP_EXPECT_EQ(res.tlvs, 3);
	KTAP_EXPECT_EQ(res.malformed, 1);
	KTAP_EXPECT_EQ(res.unknown, 1);
	KTAP_EXPECT(!res.stopped, "stopped on a length that fits the packet");
	KTAP_EXPECT_EQ(out[44], SRTT_STAMP_TLV_F_M);
	KTAP_EXPECT_EQ(out[48], 0);		/* the 0xee fill was undone */
	KTAP_EXPECT_EQ(out[63], SRTT_STAMP_TLV_F_U);
	KTAP_EXPECT_EQ(out[67], 0);
	KTAP_EXPECT_EQ(out[71], 0x42);		/* the good one is filled */
	KTAP_EXPECT_EQ(out[71 + 15], 0x42);
}

/* ---- timestamps ---- */

static void ntp_known(void)
{
	struct timespec ts = { 0, 0 };

	KTAP_EXPECT_EQ(srtt_stamp_ntp_from_timespec(&ts),
		       2208988800ULL << 32);
	ts.tv_nsec = 500000000;
	KTAP_EXPECT_EQ(srtt_stamp_ntp_from_timespec(&ts),
		       2208988800ULL << 32 | 0x80000000);
	/* 3 ns = 12.88 fraction units: rounded to nearest, not truncated */
	ts.tv_nsec = 3;
	KTAP_EXPECT_EQ(srtt_stamp_ntp_from_timespec(&ts) & 0xffffffff, 13);
	/* 2020-01-01T00:00:00Z: 1577836800 Unix, 3786825600 NTP */
	ts.tv_sec = 1577836800;
	ts.tv_nsec = 0;
	KTAP_EXPECT_EQ(srtt_stamp_ntp_from_timespec(&ts) >> 32, 3786825600ULL);
	srtt_stamp_ntp_to_timespec(2208988800ULL << 32, &ts);
	KTAP_EXPECT(ts.tv_sec == 0 && ts.tv_nsec == 0, "epoch: %lld.%09ld",
		    (long long)ts.tv_sec, ts.tv_nsec);
	/* era 1: NTP second 0 is 2036-02-07T06:28:16Z */
	srtt_stamp_ntp_to_timespec(0, &ts);
	KTAP_EXPECT_EQ(ts.tv_sec, 2085978496LL);
	ts.tv_sec = 2085978496LL;
	KTAP_EXPECT_EQ(srtt_stamp_ntp_from_timespec(&ts), 0);
	/* a fraction of all ones rounds up into the next second */
	srtt_stamp_ntp_to_timespec(2208988800ULL << 32 | 0xffffffff, &ts);
	KTAP_EXPECT(ts.tv_sec == 1 && ts.tv_nsec == 0, "carry: %lld.%09ld",
		    (long long)ts.tv_sec, ts.tv_nsec);
	/* Z selects the format */
	KTAP_EXPECT_EQ(srtt_stamp_ts_to_timespec(5ULL << 32 | 7, SRTT_STAMP_EE_Z, &ts), 0);
	KTAP_EXPECT(ts.tv_sec == 5 && ts.tv_nsec == 7, "ptp");
}

static void ntp_roundtrip(void)
{
	static const long ns[] = { 0, 1, 2, 499999999, 500000000,
				   999999998, 999999999, 123456789 };
	static const time_t sec[] = { 0, 1, 1700000000, 2085978495,
				      2085978496, 4294967295LL - 2208988800LL };
	struct timespec in, out;
	unsigned int i, j, k;
	int bad = 0;
	uint64_t x = 88172645463325252ULL;

	for (i = 0; i < sizeof(sec) / sizeof(sec[0]); i++) {
		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
			in.tv_sec = sec[i];
			in.tv_nsec = ns[j];
			srtt_stamp_ntp_to_timespec(srtt_stamp_ntp_from_timespec(&in), &out);
			if (out.tv_sec != in.tv_sec || out.tv_nsec != in.tv_nsec)
				bad++;
			KTAP_EXPECT_EQ(srtt_stamp_ptp_to_timespec(srtt_stamp_ptp_from_timespec(&in), &out), 0);
			if (out.tv_sec != in.tv_sec || out.tv_nsec != in.tv_nsec)
				bad++;
		}
	}
	/* many pseudo-random nanoseconds (xorshift) */
	for (k = 0; k < 100000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		in.tv_sec = 1600000000 + (time_t)(x >> 40);
		in.tv_nsec = (long)(x % 1000000000ULL);
		srtt_stamp_ntp_to_timespec(srtt_stamp_ntp_from_timespec(&in), &out);
		if (out.tv_sec != in.tv_sec || out.tv_nsec != in.tv_nsec) {
			if (bad < 5)
				KTAP_DIAG("%lld.%09ld -> %lld.%09ld",
					  (long long)in.tv_sec, in.tv_nsec,
					  (long long)out.tv_sec, out.tv_nsec);
			bad++;
		}
	}
	KTAP_EXPECT_EQ(bad, 0);
	/* PTP nanoseconds >= 10^9 are refused */
	KTAP_EXPECT_EQ(srtt_stamp_ptp_to_timespec(1000000000ULL, &out),
		       -SRTT_STAMP_ERANGE);
	/* timespec ns: negative clamps, overflow saturates */
	in.tv_sec = -1;
	in.tv_nsec = 0;
	KTAP_EXPECT_EQ(srtt_stamp_timespec_ns(&in), 0);
	in.tv_sec = 3;
	in.tv_nsec = 5;
	KTAP_EXPECT_EQ(srtt_stamp_timespec_ns(&in), 3000000005ULL);
}

/* ---- Error Estimate ---- */

static void ee_bounds(void)
{
	static const uint64_t bound[] = { 1000, 1000000, 1000000000,
					  1001, 4294967296ULL, 60000 };
	unsigned int i, scale;
	uint16_t ee;
	uint64_t v;

	for (i = 0; i < sizeof(bound) / sizeof(bound[0]); i++) {
		ee = srtt_stamp_ee_encode(bound[i], false, false);
		v = srtt_stamp_ee_ns(ee);
		KTAP_EXPECT(v >= bound[i] && v < 2 * bound[i],
			    "bound %" PRIu64 " -> ee 0x%04x = %" PRIu64 " ns",
			    bound[i], ee, v);
		KTAP_EXPECT(v * 100 < bound[i] * 101,
			    "bound %" PRIu64 ": %" PRIu64 " ns is > 1%% off",
			    bound[i], v);
		/* the smallest Scale: one less would need Multiplier > 255 */
		scale = SRTT_STAMP_EE_SCALE(ee);
		KTAP_EXPECT(scale > 0 && SRTT_STAMP_EE_MULT(ee) >= 128,
			    "bound %" PRIu64 ": scale %u mult %u", bound[i],
			    scale, SRTT_STAMP_EE_MULT(ee));
	}
	/* 1 us: units of 2^-32 s (0.233 ns) need Scale 5: 135 * 2^-27 s */
	ee = srtt_stamp_ee_encode(1000, false, false);
	KTAP_EXPECT_EQ(ee, 5 << 8 | 135);
	/* 1 s: 256 * 2^-32 * 2^24 = 1 s exactly is mult 128, scale 25 */
	KTAP_EXPECT_EQ(srtt_stamp_ee_encode(1000000000, false, false), 25 << 8 | 128);
	KTAP_EXPECT_EQ(srtt_stamp_ee_ns(25 << 8 | 128), 1000000000);

	ee = srtt_stamp_ee_encode(0, true, true);
	KTAP_EXPECT_EQ(ee, SRTT_STAMP_EE_S | SRTT_STAMP_EE_Z | 1);
	KTAP_EXPECT_EQ(srtt_stamp_ee_ns(ee), 1);
	ee = srtt_stamp_ee_encode(UINT64_MAX, false, false);
	KTAP_EXPECT_EQ(SRTT_STAMP_EE_SCALE(ee) <= 63 && SRTT_STAMP_EE_MULT(ee), 1);
	KTAP_EXPECT_EQ(srtt_stamp_ee_ns(ee), UINT64_MAX);
	KTAP_EXPECT_EQ(srtt_stamp_ee_ns(0x8000), UINT64_MAX);
}

/* ---- sriov_rtt TLVs ---- */

static void guest_stages_tlv(void)
{
	struct srtt_stamp_guest_stages gs = { .count = 3, .flags = 0,
					      .flush_us = 0xbeef }, d;
	uint8_t v[SRTT_STAMP_GS_LEN(4)];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		gs.st[i].stage = (uint8_t)(6 + i);
		gs.st[i].ts_ns = 1000 * (i + 1);
	}
	/* room for two: one dropped, TRUNCATED */
	KTAP_EXPECT_EQ(srtt_stamp_gs_fill(v, SRTT_STAMP_GS_LEN(2), &gs), 2);
	KTAP_EXPECT_EQ(srtt_stamp_gs_decode(v, SRTT_STAMP_GS_LEN(2), &d), 0);
	KTAP_EXPECT_EQ(d.count, 2);
	KTAP_EXPECT_EQ(d.flags, SRTT_STAMP_GS_F_TRUNCATED);
	KTAP_EXPECT_EQ(d.st[1].ts_ns, 2000);
	KTAP_EXPECT_EQ(d.flush_us, 0xbeef);
	KTAP_EXPECT_EQ(v[22], 0xbe);
	KTAP_EXPECT_EQ(v[23], 0xef);
	/* no room at all is fine: the bracket alone */
	KTAP_EXPECT_EQ(srtt_stamp_gs_fill(v, SRTT_STAMP_GS_HLEN, &gs), 0);
	/* lengths that are not header + whole entries */
	KTAP_EXPECT_EQ(srtt_stamp_gs_fill(v, 23, &gs), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_gs_fill(v, 25, &gs), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_gs_decode(v, 23, &d), -SRTT_STAMP_ETLVLEN);
	/* a count that claims more than the value holds */
	srtt_stamp_gs_fill(v, SRTT_STAMP_GS_LEN(2), &gs);
	v[20] = 3;
	KTAP_EXPECT_EQ(srtt_stamp_gs_decode(v, SRTT_STAMP_GS_LEN(2), &d),
		       -SRTT_STAMP_ETLVLEN);
	/* NO_SOURCE passes through */
	gs.count = 0;
	gs.flags = SRTT_STAMP_GS_F_NO_SOURCE;
	srtt_stamp_gs_fill(v, SRTT_STAMP_GS_LEN(4), &gs);
	KTAP_EXPECT_EQ(srtt_stamp_gs_decode(v, SRTT_STAMP_GS_LEN(4), &d), 0);
	KTAP_EXPECT_EQ(d.flags, SRTT_STAMP_GS_F_NO_SOURCE);
	KTAP_EXPECT_EQ(d.count, 0);
}

static void follow_up_tlv(void)
{
	struct srtt_stamp_follow_up fu = {
		.ss_seq = 41, .flags = SRTT_STAMP_FU_F_VALID | SRTT_STAMP_FU_F_TX_SW,
		.tx_sw_ns = 1700000000123456789ULL, .count = 1,
		.st = { { 3, 0, 555, 0 } },
	}, d;
	uint8_t v[SRTT_STAMP_FU_LEN(3)];
	unsigned int i;

	KTAP_EXPECT_EQ(srtt_stamp_fu_fill(v, sizeof(v), &fu), 1);
	KTAP_EXPECT_EQ(srtt_stamp_fu_decode(v, sizeof(v), &d), 0);
	KTAP_EXPECT_EQ(d.ss_seq, 41);
	KTAP_EXPECT_EQ(d.flags, SRTT_STAMP_FU_F_VALID | SRTT_STAMP_FU_F_TX_SW);
	KTAP_EXPECT_EQ(d.tx_sw_ns, fu.tx_sw_ns);
	KTAP_EXPECT_EQ(d.count, 1);
	KTAP_EXPECT_EQ(d.st[0].stage, 3);
	KTAP_EXPECT_EQ(d.st[0].ts_ns, 555);
	/* no earlier reply: all zero */
	fu.flags = 0;
	KTAP_EXPECT_EQ(srtt_stamp_fu_fill(v, sizeof(v), &fu), 0);
	for (i = 0; i < sizeof(v); i++)
		if (v[i])
			break;
	KTAP_EXPECT_EQ(i, sizeof(v));
	KTAP_EXPECT_EQ(srtt_stamp_fu_fill(v, 31, &fu), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_fu_decode(v, 33, &d), -SRTT_STAMP_ETLVLEN);
}

/*
 * NOTIFY: devices and moderation through the wire and back; more devices
 * than room set TRUNCATED, no counters set NO_SOURCE; a length that is
 * not 8 plus whole entries, or a count past the value, is refused.
 */
static void notify_tlv(void)
{
	struct srtt_notify nt = { .n = 3 }, d;
	uint8_t v[SRTT_STAMP_NT_LEN(2)], flags;
	uint32_t req;

	snprintf(nt.dev[0].ifname, IFNAMSIZ, "%s", "enp0s3");
	nt.dev[0].irqs = 1ULL << 40;
	nt.dev[0].napi_polls = 77;
	nt.dev[0].co.have = SRTT_CO_RX_USECS | SRTT_CO_ADAPTIVE_RX;
	nt.dev[0].co.rx_usecs = 3;
	nt.dev[0].co.adaptive_rx = true;
	snprintf(nt.dev[1].ifname, IFNAMSIZ, "%s", "averyverylongnm");
	nt.dev[1].co.err = EOPNOTSUPP;
	snprintf(nt.dev[2].ifname, IFNAMSIZ, "%s", "lost");
	KTAP_EXPECT_EQ(srtt_stamp_nt_fill(v, sizeof(v), &nt, 29, 0), 0);
	KTAP_EXPECT_EQ(srtt_stamp_nt_decode(v, sizeof(v), &d, &req, &flags), 0);
	KTAP_EXPECT(req == 29 && flags == SRTT_STAMP_NT_F_TRUNCATED &&
		    d.n == 2 && !d.err, "requests %u flags %#x n %u", req,
		    flags, d.n);
	KTAP_EXPECT(!strcmp(d.dev[0].ifname, "enp0s3"), "%s", d.dev[0].ifname);
	KTAP_EXPECT(!strcmp(d.dev[1].ifname, "averyverylongnm"), "%s",
		    d.dev[1].ifname);
	KTAP_EXPECT(d.dev[0].irqs == 1ULL << 40 && d.dev[0].napi_polls == 77 &&
		    d.dev[0].co.have == nt.dev[0].co.have &&
		    d.dev[0].co.rx_usecs == 3 && d.dev[0].co.adaptive_rx &&
		    !d.dev[0].co.adaptive_tx && !d.dev[0].co.err,
		    "device 0 as sent");
	KTAP_EXPECT(d.dev[1].co.err == EOPNOTSUPP && !d.dev[1].co.have,
		    "device 1: moderation not reported (%d)", d.dev[1].co.err);
	nt.err = ENOENT;
	KTAP_EXPECT_EQ(srtt_stamp_nt_fill(v, sizeof(v), &nt, 0, 0), 0);
	KTAP_EXPECT_EQ(srtt_stamp_nt_decode(v, sizeof(v), &d, &req, &flags), 0);
	KTAP_EXPECT(flags == SRTT_STAMP_NT_F_NO_SOURCE && !d.n && d.err,
		    "no source: flags %#x n %u", flags, d.n);
	KTAP_EXPECT_EQ(srtt_stamp_nt_fill(v, SRTT_STAMP_NT_LEN(1) - 1, &nt, 0,
					  0), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_nt_decode(v, 7, &d, &req, &flags),
		       -SRTT_STAMP_ETLVLEN);
	v[4] = 3;	/* three entries claimed in room for two */
	KTAP_EXPECT_EQ(srtt_stamp_nt_decode(v, sizeof(v), &d, &req, &flags),
		       -SRTT_STAMP_ETLVLEN);
}

static void boot_id(void)
{
	uint8_t id[16];

	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse(
		"6f1c2d3e-4a5b-6c7d-8e9f-a0b1c2d3e4f5\n", id), 0);
	KTAP_EXPECT(id[0] == 0x6f && id[4] == 0x4a && id[15] == 0xf5,
		    "bytes %02x %02x %02x", id[0], id[4], id[15]);
	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse(
		"6F1C2D3E-4A5B-6C7D-8E9F-A0B1C2D3E4F5", id), 0);
	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse(
		"6f1c2d3e-4a5b-6c7d-8e9f-a0b1c2d3e4f", id), -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse(
		"6f1c2d3e4a5b-6c7d-8e9f-a0b1c2d3e4f5", id), -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse(
		"6f1c2d3e-4a5b-6c7d-8e9f-a0b1c2d3e4f5x", id), -SRTT_STAMP_EGARBAGE);
	KTAP_EXPECT_EQ(srtt_stamp_boot_id_parse("", id), -SRTT_STAMP_EGARBAGE);
}

/* HOST_CLOCK: exactly 24 bytes, big-endian fields, NO_SOURCE zeroes it. */
static void host_clock_tlv(void)
{
	struct srtt_stamp_bracket b = {
		.mono_ns = 0x0102030405060708ULL, .real_ns = 0x1112131415161718ULL,
		.half_width_ns = 0x21222324,
	}, d;
	uint8_t v[SRTT_STAMP_HC_LEN + 1], flags;

	memset(v, 0xee, sizeof(v));
	KTAP_EXPECT_EQ(srtt_stamp_hc_fill(v, SRTT_STAMP_HC_LEN, &b, 0), 0);
	KTAP_EXPECT(v[0] == 0x01 && v[7] == 0x08 && v[8] == 0x11 &&
		    v[16] == 0x21 && v[19] == 0x24 && !v[20] && !v[23] &&
		    v[24] == 0xee, "layout %02x %02x %02x %02x %02x", v[0], v[7],
		    v[8], v[16], v[24]);
	KTAP_EXPECT_EQ(srtt_stamp_hc_decode(v, SRTT_STAMP_HC_LEN, &d, &flags), 0);
	KTAP_EXPECT(d.mono_ns == b.mono_ns && d.real_ns == b.real_ns &&
		    d.half_width_ns == b.half_width_ns && !flags, "round trip");
	KTAP_EXPECT_EQ(srtt_stamp_hc_fill(v, SRTT_STAMP_HC_LEN, &b,
					  SRTT_STAMP_HC_F_NO_SOURCE), 0);
	KTAP_EXPECT_EQ(srtt_stamp_hc_decode(v, SRTT_STAMP_HC_LEN, &d, &flags), 0);
	KTAP_EXPECT(flags == SRTT_STAMP_HC_F_NO_SOURCE && !d.mono_ns &&
		    !d.real_ns && !d.half_width_ns, "no source: zeroes");
	KTAP_EXPECT_EQ(srtt_stamp_hc_fill(v, 23, &b, 0), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_hc_fill(v, 25, &b, 0), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_hc_decode(v, 0, &d, &flags), -SRTT_STAMP_ETLVLEN);
	KTAP_EXPECT_EQ(srtt_stamp_hc_decode(v, 25, &d, &flags), -SRTT_STAMP_ETLVLEN);
}

static void tlv_put_space(void)
{
	uint8_t buf[50];
	size_t off = 44;

	KTAP_EXPECT_EQ(srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, 1, NULL, 3),
		       -SRTT_STAMP_ESPACE);
	KTAP_EXPECT_EQ(off, 44);
	KTAP_EXPECT_EQ(srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, 1, NULL, 2), 0);
	KTAP_EXPECT_EQ(off, 50);
	off = 60;
	KTAP_EXPECT_EQ(srtt_stamp_tlv_put(buf, sizeof(buf), &off, 0, 1, NULL, 0),
		       -SRTT_STAMP_ESPACE);
}

/*
 * RFC 8762 4.6, a TWAMP-Light session-sender: its 14-byte test packet
 * (no padding) gets the 44-byte base reply with its fields echoed; its
 * zero padding past 44 bytes is copied, not taken for TLVs.
 */
static void twamp_light_request(void)
{
	uint8_t req[14], *p, out[128], pad[60] = { 0 };
	struct srtt_stamp_reflect_params rp = {
		.seq = 9, .t2 = 0x1111, .t3 = 0x2222, .ee = 0x8001, .ttl = 64,
	};
	struct srtt_stamp_reflect_result res;
	struct srtt_stamp_reflector dr;
	int got;

	memset(req, 0, sizeof(req));
	req[3] = 42;			/* sequence 42 */
	req[4] = 0xe0;			/* a timestamp */
	req[11] = 0x77;
	req[12] = 0x00;			/* error estimate 0x0001 */
	req[13] = 0x01;
	p = dup_exact(req, sizeof(req));
	got = srtt_stamp_reflect(p, sizeof(req), out, sizeof(out), &rp, &res);
	KTAP_EXPECT_EQ(got, 44);
	KTAP_EXPECT(res.light && !res.padding && !res.tlvs, "light, no TLVs");
	KTAP_EXPECT_EQ(srtt_stamp_decode_reflector(out, 44, &dr, 0), 0);
	KTAP_EXPECT_EQ(dr.ss_seq, 42);
	KTAP_EXPECT_EQ(dr.ss_ts, 0xe000000000000077ULL);
	KTAP_EXPECT_EQ(dr.ss_ee, 1);
	KTAP_EXPECT_EQ(dr.ssid, 0);
	KTAP_EXPECT_EQ(dr.rx_ts, 0x1111);
	KTAP_EXPECT_EQ(dr.ts, 0x2222);
	KTAP_EXPECT_EQ(dr.ss_ttl, 64);
	free_exact(p, sizeof(req));
	/* 13 bytes: no Error Estimate, no reply */
	p = dup_exact(req, 13);
	KTAP_EXPECT_EQ(srtt_stamp_reflect(p, 13, out, sizeof(out), &rp, &res),
		       -SRTT_STAMP_ESHORT);
	free_exact(p, 13);
	/* 60 bytes of which 46 zero padding: copied as it came */
	memcpy(pad, req, sizeof(req));
	p = dup_exact(pad, sizeof(pad));
	got = srtt_stamp_reflect(p, sizeof(pad), out, sizeof(out), &rp, &res);
	KTAP_EXPECT_EQ(got, 60);
	KTAP_EXPECT(res.padding && !res.light && !res.unknown && !res.malformed,
		    "zeros past 44 are padding");
	KTAP_EXPECT(!memcmp(out + 44, pad + 44, 16), "padding unchanged");
	free_exact(p, sizeof(pad));
}

/*
 * A TWAMP-Light reflector's RFC 5357 reply, 41 bytes (to the Sender TTL)
 * or less: every field up to the Sender Timestamp (36) is usable, the
 * rest is reported missing, not malformed.
 */
static void twamp_light_reply(void)
{
	struct srtt_stamp_reflector r = {
		.seq = 5, .ts = 0x3333, .ee = 0x0001, .ssid = 0, .rx_ts = 0x2222,
		.ss_seq = 17, .ss_ts = 0x1111, .ss_ee = 0x0002, .ss_ttl = 63,
	}, dr;
	uint8_t buf[44], *p;
	unsigned int missing;
	size_t len;

	srtt_stamp_encode_reflector(buf, sizeof(buf), &r);
	for (len = 30; len <= 44; len++) {
		p = dup_exact(buf, len);
		memset(&dr, 0xa5, sizeof(dr));
		if (len < 36) {
			KTAP_EXPECT_EQ(srtt_stamp_decode_reflector_light(p, len, &dr,
									&missing),
				       -SRTT_STAMP_ESHORT);
			free_exact(p, len);
			continue;
		}
		KTAP_EXPECT_EQ(srtt_stamp_decode_reflector_light(p, len, &dr,
								&missing), 0);
		KTAP_EXPECT_EQ(dr.ss_seq, 17);
		KTAP_EXPECT_EQ(dr.ss_ts, 0x1111);
		KTAP_EXPECT_EQ(dr.rx_ts, 0x2222);
		KTAP_EXPECT_EQ(dr.ts, 0x3333);
		KTAP_EXPECT_EQ(dr.anomalies, 0);
		KTAP_EXPECT_EQ(!!(missing & SRTT_STAMP_MISSING_SS_EE), len < 38);
		KTAP_EXPECT_EQ(!!(missing & SRTT_STAMP_MISSING_TTL), len < 41);
		KTAP_EXPECT_EQ(!!(missing & SRTT_STAMP_MISSING_TLVS), len < 44);
		KTAP_EXPECT_EQ(dr.ss_ttl, len >= 41 ? 63 : 0);
		free_exact(p, len);
	}
}

/* RFC 4656 4.1.2 from the kernel's NTP state (adjtimex()). */
static void ee_from_timex(void)
{
	uint64_t bound;
	uint16_t ee;

	/* synchronized, 12 us estimated error, 1 ns resolution */
	ee = srtt_stamp_ee_from_timex(TIME_OK, 0, 12, 1, &bound);
	KTAP_EXPECT_EQ(bound, 12001);
	KTAP_EXPECT(ee & SRTT_STAMP_EE_S, "S when synchronized");
	KTAP_EXPECT(srtt_stamp_ee_ns(ee) >= 12001 &&
		    srtt_stamp_ee_ns(ee) < 12001 * 101 / 100, "error %llu",
		    (unsigned long long)srtt_stamp_ee_ns(ee));
	/* STA_UNSYNC: no S, and the kernel's 16 s */
	ee = srtt_stamp_ee_from_timex(TIME_OK, STA_UNSYNC, 16000000, 1, &bound);
	KTAP_EXPECT(!(ee & SRTT_STAMP_EE_S), "no S when unsynchronized");
	KTAP_EXPECT_EQ(bound, 16000000001ULL);
	/* TIME_ERROR: not synchronized whatever the status says */
	ee = srtt_stamp_ee_from_timex(TIME_ERROR, 0, 5, 1, NULL);
	KTAP_EXPECT(!(ee & SRTT_STAMP_EE_S), "no S in TIME_ERROR");
	/* adjtimex() failed: no S, the unsynchronized bound */
	ee = srtt_stamp_ee_from_timex(-1, 0, 0, 4, &bound);
	KTAP_EXPECT(!(ee & SRTT_STAMP_EE_S), "no S without adjtimex");
	KTAP_EXPECT_EQ(bound, SRTT_STAMP_EE_UNSYNC_NS + 4);
	/* this host's estimate is one of those, never a constant */
	ee = srtt_stamp_ee_local(&bound);
	KTAP_EXPECT(srtt_stamp_ee_ns(ee) >= bound && SRTT_STAMP_EE_MULT(ee),
		    "local estimate 0x%04x covers %llu ns", ee,
		    (unsigned long long)bound);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(twamp_light_request),
	KTAP_CASE(twamp_light_reply),
	KTAP_CASE(ee_from_timex),
	KTAP_CASE(sender_roundtrip),
	KTAP_CASE(reflector_roundtrip),
	KTAP_CASE(sender_tlvs_roundtrip),
	KTAP_CASE(reflector_tlvs_roundtrip),
	KTAP_CASE(every_truncation),
	KTAP_CASE(oversized),
	KTAP_CASE(tlv_length_lying),
	KTAP_CASE(strict_garbage),
	KTAP_CASE(reflect_plain_44),
	KTAP_CASE(reflect_unknown_u),
	KTAP_CASE(reflect_malformed_m),
	KTAP_CASE(reflect_badlen_goes_on),
	KTAP_CASE(ntp_known),
	KTAP_CASE(ntp_roundtrip),
	KTAP_CASE(ee_bounds),
	KTAP_CASE(guest_stages_tlv),
	KTAP_CASE(follow_up_tlv),
	KTAP_CASE(notify_tlv),
	KTAP_CASE(boot_id),
	KTAP_CASE(host_clock_tlv),
	KTAP_CASE(tlv_put_space),
};

int main(void)
{
	return KTAP_RUN(cases);
}
