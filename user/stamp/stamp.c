// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: STAMP codec (RFC 8762 unauthenticated mode, RFC 8972 SSID and
 * TLVs, the sriov_rtt TLVs). Layouts and rules are in stamp.h.
 */

#include <errno.h>
#include <string.h>
#include <sys/timex.h>

#include "lib/notify.h"
#include "stamp.h"

#define NSEC_PER_SEC	1000000000ULL

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v & 0xffffffff);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

const char *srtt_stamp_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case SRTT_STAMP_OK:
		return "ok";
	case SRTT_STAMP_ESHORT:
		return "shorter than the 44-byte STAMP base packet";
	case SRTT_STAMP_ELONG:
		return "longer than 65507 bytes";
	case SRTT_STAMP_ETLV:
		return "a TLV runs past the end of the packet";
	case SRTT_STAMP_EGARBAGE:
		return "a field holds a value the RFCs forbid";
	case SRTT_STAMP_ETLVLEN:
		return "TLV length not valid for its type";
	case SRTT_STAMP_ESPACE:
		return "buffer too small";
	case SRTT_STAMP_ERANGE:
		return "time out of the format's range";
	}
	return "unknown STAMP error";
}

/* ---- timestamps ---- */

static void ts_norm(const struct timespec *in, int64_t *sec, uint64_t *nsec)
{
	int64_t s = in->tv_sec, ns = in->tv_nsec;

	s += ns / (int64_t)NSEC_PER_SEC;
	ns %= (int64_t)NSEC_PER_SEC;
	if (ns < 0) {
		ns += NSEC_PER_SEC;
		s--;
	}
	*sec = s;
	*nsec = (uint64_t)ns;
}

uint64_t srtt_stamp_ntp_from_timespec(const struct timespec *ts)
{
	uint64_t ns, frac;
	uint32_t secs;
	int64_t s;

	ts_norm(ts, &s, &ns);
	/* modulo 2^32: the NTP era is not carried on the wire */
	secs = (uint32_t)((uint64_t)s + SRTT_STAMP_NTP_UNIX_OFFSET);
	frac = ((ns << 32) + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
	return (uint64_t)secs << 32 | frac;
}

void srtt_stamp_ntp_to_timespec(uint64_t ntp, struct timespec *ts)
{
	uint64_t secs = ntp >> 32, frac = ntp & 0xffffffff, ns;

	ns = (frac * NSEC_PER_SEC + (1ULL << 31)) >> 32;
	if (ns >= NSEC_PER_SEC) {
		ns -= NSEC_PER_SEC;
		secs++;
	}
	/* seconds below the 1970 offset belong to era 1 (from 2036) */
	if (secs >= SRTT_STAMP_NTP_UNIX_OFFSET)
		secs -= SRTT_STAMP_NTP_UNIX_OFFSET;
	else
		secs += (1ULL << 32) - SRTT_STAMP_NTP_UNIX_OFFSET;
	ts->tv_sec = (time_t)secs;
	ts->tv_nsec = (long)ns;
}

uint64_t srtt_stamp_ptp_from_timespec(const struct timespec *ts)
{
	uint64_t ns;
	int64_t s;

	ts_norm(ts, &s, &ns);
	return (uint64_t)(uint32_t)s << 32 | ns;
}

int srtt_stamp_ptp_to_timespec(uint64_t ptp, struct timespec *ts)
{
	uint64_t ns = ptp & 0xffffffff;

	if (ns >= NSEC_PER_SEC)
		return -SRTT_STAMP_ERANGE;
	ts->tv_sec = (time_t)(ptp >> 32);
	ts->tv_nsec = (long)ns;
	return 0;
}

int srtt_stamp_ts_to_timespec(uint64_t ts, uint16_t ee, struct timespec *out)
{
	if (ee & SRTT_STAMP_EE_Z)
		return srtt_stamp_ptp_to_timespec(ts, out);
	srtt_stamp_ntp_to_timespec(ts, out);
	return 0;
}

uint64_t srtt_stamp_ts_from_timespec(const struct timespec *ts, uint16_t ee)
{
	if (ee & SRTT_STAMP_EE_Z)
		return srtt_stamp_ptp_from_timespec(ts);
	return srtt_stamp_ntp_from_timespec(ts);
}

uint64_t srtt_stamp_timespec_ns(const struct timespec *ts)
{
	uint64_t ns;
	int64_t s;

	ts_norm(ts, &s, &ns);
	if (s < 0)
		return 0;
	if ((uint64_t)s > (UINT64_MAX - ns) / NSEC_PER_SEC)
		return UINT64_MAX;
	return (uint64_t)s * NSEC_PER_SEC + ns;
}

/* ---- Error Estimate ---- */

/* ceil(bound_ns * 2^(32 - scale) / 10^9), UINT64_MAX if it overflows */
static uint64_t ee_mult(uint64_t bound_ns, unsigned int scale)
{
	unsigned int shift;
	uint64_t div;

	if (scale <= 32) {
		shift = 32 - scale;
		if (bound_ns > (UINT64_MAX - (NSEC_PER_SEC - 1)) >> shift)
			return UINT64_MAX;
		return ((bound_ns << shift) + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	}
	/* 10^9 << 35 no longer fits: any u64 bound is below one unit */
	shift = scale - 32;
	if (shift >= 35)
		return !!bound_ns;
	div = NSEC_PER_SEC << shift;
	return bound_ns / div + !!(bound_ns % div);
}

uint16_t srtt_stamp_ee_encode(uint64_t bound_ns, bool synchronized, bool ptp)
{
	unsigned int scale;
	uint64_t mult = 255;

	for (scale = 0; scale < 64; scale++) {
		mult = ee_mult(bound_ns, scale);
		if (mult <= 255)
			break;
	}
	if (scale == 64) {
		scale = 63;
		mult = 255;
	}
	if (!mult)
		mult = 1;	/* RFC 4656: the Multiplier is never 0 */
	return (synchronized ? SRTT_STAMP_EE_S : 0) |
	       (ptp ? SRTT_STAMP_EE_Z : 0) | scale << 8 | (uint16_t)mult;
}

uint64_t srtt_stamp_ee_ns(uint16_t ee)
{
	uint64_t mult = SRTT_STAMP_EE_MULT(ee), v = mult * NSEC_PER_SEC;
	unsigned int scale = SRTT_STAMP_EE_SCALE(ee), shift;

	if (!mult)
		return UINT64_MAX;
	if (scale <= 32) {
		shift = 32 - scale;
		return (v >> shift) + !!(v & ((1ULL << shift) - 1));
	}
	shift = scale - 32;
	if (v > UINT64_MAX >> shift)
		return UINT64_MAX;
	return v << shift;
}

/* ---- base packets ---- */

static unsigned int ts_anomaly(uint64_t ts, uint16_t ee)
{
	if ((ee & SRTT_STAMP_EE_Z) && (ts & 0xffffffff) >= NSEC_PER_SEC)
		return SRTT_STAMP_A_TS;
	return 0;
}

static unsigned int ee_anomaly(uint16_t ee)
{
	return SRTT_STAMP_EE_MULT(ee) ? 0 : SRTT_STAMP_A_EE;
}

/* Length limits, TLV list and anomalies: common to both decoders. */
static int decode_tail(const uint8_t *buf, size_t len, const uint8_t **tlv,
		       size_t *tlv_len, unsigned int anomalies,
		       unsigned int flags)
{
	*tlv = buf + SRTT_STAMP_HLEN;
	*tlv_len = len - SRTT_STAMP_HLEN;
	if (srtt_stamp_tlv_count(*tlv, *tlv_len) < 0)
		return -SRTT_STAMP_ETLV;
	if ((flags & SRTT_STAMP_STRICT) && anomalies)
		return -SRTT_STAMP_EGARBAGE;
	return 0;
}

static int check_len(size_t len)
{
	if (len < SRTT_STAMP_HLEN)
		return -SRTT_STAMP_ESHORT;
	if (len > SRTT_STAMP_MAX_LEN)
		return -SRTT_STAMP_ELONG;
	return 0;
}

int srtt_stamp_decode_sender(const uint8_t *buf, size_t len,
			     struct srtt_stamp_sender *out, unsigned int flags)
{
	int err = check_len(len);

	if (err)
		return err;
	out->seq = get32(buf + SRTT_STAMP_OFF_SEQ);
	out->ts = get64(buf + SRTT_STAMP_OFF_TS);
	out->ee = get16(buf + SRTT_STAMP_OFF_EE);
	out->ssid = get16(buf + SRTT_STAMP_OFF_SSID);
	out->anomalies = ee_anomaly(out->ee) | ts_anomaly(out->ts, out->ee);
	if (!all_zero(buf + 16, 28))
		out->anomalies |= SRTT_STAMP_A_MBZ;
	return decode_tail(buf, len, &out->tlv, &out->tlv_len, out->anomalies,
			   flags);
}

int srtt_stamp_decode_reflector(const uint8_t *buf, size_t len,
				struct srtt_stamp_reflector *out,
				unsigned int flags)
{
	int err = check_len(len);

	if (err)
		return err;
	out->seq = get32(buf + SRTT_STAMP_OFF_SEQ);
	out->ts = get64(buf + SRTT_STAMP_OFF_TS);
	out->ee = get16(buf + SRTT_STAMP_OFF_EE);
	out->ssid = get16(buf + SRTT_STAMP_OFF_SSID);
	out->rx_ts = get64(buf + SRTT_STAMP_OFF_RX_TS);
	out->ss_seq = get32(buf + SRTT_STAMP_OFF_SS_SEQ);
	out->ss_ts = get64(buf + SRTT_STAMP_OFF_SS_TS);
	out->ss_ee = get16(buf + SRTT_STAMP_OFF_SS_EE);
	out->ss_ttl = buf[SRTT_STAMP_OFF_SS_TTL];
	out->anomalies = ee_anomaly(out->ee) | ee_anomaly(out->ss_ee) |
			 ts_anomaly(out->ts, out->ee) |
			 ts_anomaly(out->rx_ts, out->ee) |
			 ts_anomaly(out->ss_ts, out->ss_ee);
	if (!all_zero(buf + 38, 2) || !all_zero(buf + 41, 3))
		out->anomalies |= SRTT_STAMP_A_MBZ;
	return decode_tail(buf, len, &out->tlv, &out->tlv_len, out->anomalies,
			   flags);
}

int srtt_stamp_decode_reflector_light(const uint8_t *buf, size_t len,
				      struct srtt_stamp_reflector *out,
				      unsigned int *missing)
{
	uint8_t base[SRTT_STAMP_HLEN] = { 0 };

	*missing = 0;
	if (len >= SRTT_STAMP_HLEN)
		return srtt_stamp_decode_reflector(buf, len, out, 0);
	if (len < SRTT_STAMP_LIGHT_REFL_MIN)
		return -SRTT_STAMP_ESHORT;
	memcpy(base, buf, len);
	srtt_stamp_decode_reflector(base, SRTT_STAMP_HLEN, out, 0);
	/* RFC 5357 4.2.1: MBZ where STAMP has the SSID */
	out->anomalies &= ~SRTT_STAMP_A_MBZ;
	*missing = SRTT_STAMP_MISSING_TLVS;
	if (len < SRTT_STAMP_OFF_SS_EE + 2) {
		*missing |= SRTT_STAMP_MISSING_SS_EE;
		out->anomalies &= ~SRTT_STAMP_A_EE;
		out->anomalies |= ee_anomaly(out->ee);
	}
	if (len <= SRTT_STAMP_OFF_SS_TTL)
		*missing |= SRTT_STAMP_MISSING_TTL;
	out->tlv = NULL;
	out->tlv_len = 0;
	return 0;
}

int srtt_stamp_encode_sender(uint8_t *buf, size_t size,
			     const struct srtt_stamp_sender *s)
{
	if (size < SRTT_STAMP_HLEN)
		return -SRTT_STAMP_ESPACE;
	memset(buf, 0, SRTT_STAMP_HLEN);
	put32(buf + SRTT_STAMP_OFF_SEQ, s->seq);
	put64(buf + SRTT_STAMP_OFF_TS, s->ts);
	put16(buf + SRTT_STAMP_OFF_EE, s->ee);
	put16(buf + SRTT_STAMP_OFF_SSID, s->ssid);
	return SRTT_STAMP_HLEN;
}

int srtt_stamp_encode_reflector(uint8_t *buf, size_t size,
				const struct srtt_stamp_reflector *r)
{
	if (size < SRTT_STAMP_HLEN)
		return -SRTT_STAMP_ESPACE;
	memset(buf, 0, SRTT_STAMP_HLEN);
	put32(buf + SRTT_STAMP_OFF_SEQ, r->seq);
	put64(buf + SRTT_STAMP_OFF_TS, r->ts);
	put16(buf + SRTT_STAMP_OFF_EE, r->ee);
	put16(buf + SRTT_STAMP_OFF_SSID, r->ssid);
	put64(buf + SRTT_STAMP_OFF_RX_TS, r->rx_ts);
	put32(buf + SRTT_STAMP_OFF_SS_SEQ, r->ss_seq);
	put64(buf + SRTT_STAMP_OFF_SS_TS, r->ss_ts);
	put16(buf + SRTT_STAMP_OFF_SS_EE, r->ss_ee);
	buf[SRTT_STAMP_OFF_SS_TTL] = r->ss_ttl;
	return SRTT_STAMP_HLEN;
}

/* ---- TLVs ---- */

void srtt_stamp_tlv_iter_init(struct srtt_stamp_tlv_iter *it,
			      const uint8_t *tlv, size_t len)
{
	it->p = tlv;
	it->len = len;
	it->off = 0;
}

int srtt_stamp_tlv_next(struct srtt_stamp_tlv_iter *it,
			struct srtt_stamp_tlv *tlv)
{
	size_t left = it->len - it->off;
	const uint8_t *h = it->p + it->off;

	if (!left)
		return 0;
	memset(tlv, 0, sizeof(*tlv));
	tlv->off = it->off;
	if (left < SRTT_STAMP_TLV_HLEN ||
	    get16(h + 2) > left - SRTT_STAMP_TLV_HLEN)
		return -SRTT_STAMP_ETLV;	/* it->off stays: sticky */
	tlv->flags = h[0];
	tlv->type = h[1];
	tlv->len = get16(h + 2);
	tlv->value = h + SRTT_STAMP_TLV_HLEN;
	it->off += SRTT_STAMP_TLV_HLEN + tlv->len;
	return 1;
}

int srtt_stamp_tlv_count(const uint8_t *tlv, size_t len)
{
	struct srtt_stamp_tlv_iter it;
	struct srtt_stamp_tlv t;
	int n = 0, rc;

	srtt_stamp_tlv_iter_init(&it, tlv, len);
	while ((rc = srtt_stamp_tlv_next(&it, &t)) > 0)
		n++;
	return rc < 0 ? rc : n;
}

int srtt_stamp_tlv_find(const uint8_t *tlv, size_t len, uint8_t type,
			struct srtt_stamp_tlv *out)
{
	struct srtt_stamp_tlv_iter it;
	int rc;

	srtt_stamp_tlv_iter_init(&it, tlv, len);
	while ((rc = srtt_stamp_tlv_next(&it, out)) > 0)
		if (out->type == type)
			return 1;
	return rc;
}

int srtt_stamp_tlv_put(uint8_t *buf, size_t size, size_t *off, uint8_t flags,
		       uint8_t type, const void *value, uint16_t len)
{
	uint8_t *h;

	if (*off > size || size - *off < (size_t)SRTT_STAMP_TLV_HLEN + len)
		return -SRTT_STAMP_ESPACE;
	h = buf + *off;
	h[0] = flags;
	h[1] = type;
	put16(h + 2, len);
	if (value)
		memcpy(h + SRTT_STAMP_TLV_HLEN, value, len);
	else
		memset(h + SRTT_STAMP_TLV_HLEN, 0, len);
	*off += SRTT_STAMP_TLV_HLEN + len;
	return 0;
}

/* ---- sriov_rtt TLVs ---- */

/* Entries that fit a value of @len with a fixed part of @hlen, or -1. */
static int room(size_t len, size_t hlen)
{
	if (len < hlen || (len - hlen) % SRTT_STAMP_STAGE_LEN)
		return -1;
	return (int)((len - hlen) / SRTT_STAMP_STAGE_LEN);
}

/* Write min(@n, @room, 255) entries; the caller zeroed the value. */
static unsigned int put_stages(uint8_t *p, int room,
			       const struct srtt_stamp_stage *st, unsigned int n)
{
	unsigned int i;

	if (n > SRTT_STAMP_STAGES_MAX)
		n = SRTT_STAMP_STAGES_MAX;
	if (n > (unsigned int)room)
		n = (unsigned int)room;
	for (i = 0; i < n; i++, p += SRTT_STAMP_STAGE_LEN) {
		p[0] = st[i].stage;
		p[1] = st[i].flags;
		put64(p + 4, st[i].ts_ns);
		put64(p + 12, st[i].hwts);
	}
	return n;
}

static void get_stages(const uint8_t *p, struct srtt_stamp_stage *st,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, p += SRTT_STAMP_STAGE_LEN) {
		st[i].stage = p[0];
		st[i].flags = p[1];
		st[i].ts_ns = get64(p + 4);
		st[i].hwts = get64(p + 12);
	}
}

static uint64_t clock_read(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return srtt_stamp_timespec_ns(&ts);
}

void srtt_stamp_clock_bracket(struct srtt_stamp_bracket *b)
{
	uint64_t m1, r, m2, best = UINT64_MAX;
	int i;

	for (i = 0; i < 3; i++) {
		m1 = clock_read(CLOCK_MONOTONIC);
		r = clock_read(CLOCK_REALTIME);
		m2 = clock_read(CLOCK_MONOTONIC);
		if (m2 - m1 < best) {
			best = m2 - m1;
			b->mono_ns = m1 + (m2 - m1) / 2;
			b->real_ns = r;
			b->half_width_ns = (uint32_t)((m2 - m1 + 1) / 2);
		}
	}
}

uint16_t srtt_stamp_ee_from_timex(int state, int status, long esterror_us,
				  uint64_t res_ns, uint64_t *bound_ns)
{
	bool sync = state >= 0 && state != TIME_ERROR && !(status & STA_UNSYNC);
	uint64_t err = esterror_us > 0 ? (uint64_t)esterror_us * 1000 : 0;

	/* an unknown state: the kernel's own bound for an unsynced clock */
	if (state < 0)
		err = SRTT_STAMP_EE_UNSYNC_NS;
	err += res_ns;
	if (bound_ns)
		*bound_ns = err;
	return srtt_stamp_ee_encode(err, sync, false);
}

uint16_t srtt_stamp_ee_local(uint64_t *bound_ns)
{
	struct timex tx = { .modes = 0 };
	struct timespec res;
	uint64_t res_ns = 1;
	int state;

	state = adjtimex(&tx);
	if (!clock_getres(CLOCK_REALTIME, &res))
		res_ns = srtt_stamp_timespec_ns(&res);
	return srtt_stamp_ee_from_timex(state, tx.status, tx.esterror, res_ns,
					bound_ns);
}

int srtt_stamp_gs_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_guest_stages *in)
{
	int r = room(len, SRTT_STAMP_GS_HLEN);
	unsigned int n;
	uint8_t flags;

	if (r < 0)
		return -SRTT_STAMP_ETLVLEN;
	memset(value, 0, len);
	put64(value, in->clk.mono_ns);
	put64(value + 8, in->clk.real_ns);
	put32(value + 16, in->clk.half_width_ns);
	n = put_stages(value + SRTT_STAMP_GS_HLEN, r, in->st, in->count);
	flags = in->flags & ~SRTT_STAMP_GS_F_TRUNCATED;
	if (n < in->count || (in->flags & SRTT_STAMP_GS_F_TRUNCATED))
		flags |= SRTT_STAMP_GS_F_TRUNCATED;
	value[20] = (uint8_t)n;
	value[21] = flags;
	value[22] = (uint8_t)(in->flush_us >> 8);
	value[23] = (uint8_t)in->flush_us;
	return (int)n;
}

int srtt_stamp_fu_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_follow_up *in)
{
	int r = room(len, SRTT_STAMP_FU_HLEN);
	unsigned int n;
	uint8_t flags;

	if (r < 0)
		return -SRTT_STAMP_ETLVLEN;
	memset(value, 0, len);
	if (!(in->flags & SRTT_STAMP_FU_F_VALID))
		return 0;
	put32(value, in->ss_seq);
	put64(value + 8, in->tx_sw_ns);
	put64(value + 16, in->tx_hw_ns);
	put64(value + 24, in->rx_hw_ns);
	n = put_stages(value + SRTT_STAMP_FU_HLEN, r, in->st, in->count);
	flags = in->flags & ~SRTT_STAMP_FU_F_TRUNCATED;
	if (n < in->count || (in->flags & SRTT_STAMP_FU_F_TRUNCATED))
		flags |= SRTT_STAMP_FU_F_TRUNCATED;
	value[4] = (uint8_t)n;
	value[5] = flags;
	return (int)n;
}

/* Entries of a value: the count, checked against the room; or -1. */
static int stored(const uint8_t *value, size_t len, size_t hlen,
		  size_t count_off)
{
	int r = room(len, hlen);

	if (r < 0 || value[count_off] > r)
		return -1;
	return value[count_off];
}

int srtt_stamp_gs_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_guest_stages *out)
{
	int n = len >= SRTT_STAMP_GS_HLEN ?
		stored(value, len, SRTT_STAMP_GS_HLEN, 20) : -1;

	if (n < 0)
		return -SRTT_STAMP_ETLVLEN;
	out->clk.mono_ns = get64(value);
	out->clk.real_ns = get64(value + 8);
	out->clk.half_width_ns = get32(value + 16);
	out->flags = value[21];
	out->flush_us = (uint16_t)(value[22] << 8 | value[23]);
	if (n > SRTT_STAMP_STAGES_MAX) {
		n = SRTT_STAMP_STAGES_MAX;
		out->flags |= SRTT_STAMP_GS_F_TRUNCATED;
	}
	out->count = (uint8_t)n;
	get_stages(value + SRTT_STAMP_GS_HLEN, out->st, (unsigned int)n);
	return 0;
}

int srtt_stamp_hc_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_bracket *b, uint8_t flags)
{
	if (len != SRTT_STAMP_HC_LEN)
		return -SRTT_STAMP_ETLVLEN;
	memset(value, 0, len);
	if (flags & SRTT_STAMP_HC_F_NO_SOURCE) {
		value[20] = SRTT_STAMP_HC_F_NO_SOURCE;
		return 0;
	}
	put64(value, b->mono_ns);
	put64(value + 8, b->real_ns);
	put32(value + 16, b->half_width_ns);
	value[20] = flags;
	return 0;
}

int srtt_stamp_hc_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_bracket *b, uint8_t *flags)
{
	if (len != SRTT_STAMP_HC_LEN)
		return -SRTT_STAMP_ETLVLEN;
	b->mono_ns = get64(value);
	b->real_ns = get64(value + 8);
	b->half_width_ns = get32(value + 16);
	*flags = value[20];
	return 0;
}

int srtt_stamp_nt_fill(uint8_t *value, size_t len,
		       const struct srtt_notify *nt, uint32_t requests,
		       uint8_t flags)
{
	size_t room, i;
	uint8_t *e;

	if (len < SRTT_STAMP_NT_HLEN ||
	    (len - SRTT_STAMP_NT_HLEN) % SRTT_STAMP_NT_DEV_LEN)
		return -SRTT_STAMP_ETLVLEN;
	memset(value, 0, len);
	room = (len - SRTT_STAMP_NT_HLEN) / SRTT_STAMP_NT_DEV_LEN;
	if (nt->err)
		flags |= SRTT_STAMP_NT_F_NO_SOURCE;
	if (!nt->err && nt->n + nt->more > room)
		flags |= SRTT_STAMP_NT_F_TRUNCATED;
	put32(value, requests);
	value[5] = flags;
	for (i = 0; !nt->err && i < nt->n && i < room; i++) {
		const struct srtt_notify_dev *d = &nt->dev[i];

		e = value + SRTT_STAMP_NT_LEN(i);
		memcpy(e, d->ifname, strnlen(d->ifname, IFNAMSIZ - 1));
		put64(e + 16, d->irqs);
		put64(e + 24, d->napi_polls);
		e[32] = (uint8_t)(d->co.err ? 0 : d->co.have & SRTT_CO_ALL);
		e[33] = (uint8_t)(d->co.err > 255 ? 255 : d->co.err);
		e[34] = (uint8_t)(d->co.adaptive_rx | d->co.adaptive_tx << 1);
		put32(e + 36, d->co.rx_usecs);
		put32(e + 40, d->co.rx_frames);
		put32(e + 44, d->co.tx_usecs);
		put32(e + 48, d->co.tx_frames);
		value[4]++;
	}
	return 0;
}

int srtt_stamp_nt_decode(const uint8_t *value, size_t len,
			 struct srtt_notify *nt, uint32_t *requests,
			 uint8_t *flags)
{
	size_t i;

	if (len < SRTT_STAMP_NT_HLEN ||
	    (len - SRTT_STAMP_NT_HLEN) % SRTT_STAMP_NT_DEV_LEN ||
	    value[4] > (len - SRTT_STAMP_NT_HLEN) / SRTT_STAMP_NT_DEV_LEN)
		return -SRTT_STAMP_ETLVLEN;
	memset(nt, 0, sizeof(*nt));
	*requests = get32(value);
	*flags = value[5];
	if (*flags & SRTT_STAMP_NT_F_NO_SOURCE) {
		nt->err = EPROTO;	/* no counters: entries are not read */
		return 0;
	}
	for (i = 0; i < value[4]; i++) {
		const uint8_t *e = value + SRTT_STAMP_NT_LEN(i);
		struct srtt_notify_dev *d;

		if (nt->n == SRTT_NOTIFY_DEVS) {
			nt->more++;
			continue;
		}
		d = &nt->dev[nt->n++];
		memcpy(d->ifname, e, IFNAMSIZ - 1);
		d->dev_id = -1;
		d->irqs = get64(e + 16);
		d->napi_polls = get64(e + 24);
		d->co.have = e[32] & SRTT_CO_ALL;
		d->co.err = e[33];
		d->co.adaptive_rx = e[34] & 1;
		d->co.adaptive_tx = !!(e[34] & 2);
		d->co.rx_usecs = get32(e + 36);
		d->co.rx_frames = get32(e + 40);
		d->co.tx_usecs = get32(e + 44);
		d->co.tx_frames = get32(e + 48);
	}
	return 0;
}

int srtt_stamp_fu_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_follow_up *out)
{
	int n = len >= SRTT_STAMP_FU_HLEN ?
		stored(value, len, SRTT_STAMP_FU_HLEN, 4) : -1;

	if (n < 0)
		return -SRTT_STAMP_ETLVLEN;
	out->ss_seq = get32(value);
	out->flags = value[5];
	out->tx_sw_ns = get64(value + 8);
	out->tx_hw_ns = get64(value + 16);
	out->rx_hw_ns = get64(value + 24);
	if (n > SRTT_STAMP_STAGES_MAX) {
		n = SRTT_STAMP_STAGES_MAX;
		out->flags |= SRTT_STAMP_FU_F_TRUNCATED;
	}
	out->count = (uint8_t)n;
	get_stages(value + SRTT_STAMP_FU_HLEN, out->st, (unsigned int)n);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int srtt_stamp_boot_id_parse(const char *text, uint8_t out[16])
{
	unsigned int i, n = 0;
	int hi, lo;

	for (i = 0; n < 16; ) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return -SRTT_STAMP_EGARBAGE;
			i++;
			continue;
		}
		hi = hexval(text[i]);
		if (hi < 0)
			return -SRTT_STAMP_EGARBAGE;
		lo = hexval(text[i + 1]);
		if (lo < 0)
			return -SRTT_STAMP_EGARBAGE;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	for (; text[i]; i++)
		if (text[i] != '\n' && text[i] != ' ' && text[i] != '\t' &&
		    text[i] != '\r')
			return -SRTT_STAMP_EGARBAGE;
	return 0;
}

/* ---- session-reflector ---- */

int srtt_stamp_tlv_default(void *arg, uint8_t type, uint8_t *value,
			   size_t len)
{
	(void)arg;
	(void)value;
	(void)len;
	/* Extra Padding (RFC 8972 section 4.1) is reflected as it came. */
	return type == SRTT_STAMP_TLV_PADDING ? SRTT_STAMP_TLV_RECOGNIZED :
						SRTT_STAMP_TLV_UNKNOWN;
}

/*
 * The TLVs of a request, copied into @reply at the same offsets: each
 * handed to @fn, then flagged (U, M and I are the reflector's to set,
 * reserved bits zero) and, when not recognized, sent back as it came.
 */
static void reflect_tlvs(const uint8_t *req, size_t len, uint8_t *reply,
			 srtt_stamp_tlv_fn fn, void *arg,
			 struct srtt_stamp_reflect_result *res)
{
	size_t off, left, vlen;
	uint8_t *h;
	int rc;

	for (off = SRTT_STAMP_HLEN; off < len; off += SRTT_STAMP_TLV_HLEN + vlen) {
		h = reply + off;
		left = len - off;
		res->tlvs++;
		if (left < SRTT_STAMP_TLV_HLEN ||
		    get16(h + 2) > left - SRTT_STAMP_TLV_HLEN) {
			/* runs past the packet: mark it, copy the rest as is */
			h[0] = SRTT_STAMP_TLV_F_M;
			res->malformed++;
			res->stopped = true;
			return;
		}
		vlen = get16(h + 2);
		rc = fn(arg, h[1], h + SRTT_STAMP_TLV_HLEN, vlen);
		switch (rc) {
		case SRTT_STAMP_TLV_RECOGNIZED:
			h[0] = 0;
			break;
		case SRTT_STAMP_TLV_BADLEN:
			h[0] = SRTT_STAMP_TLV_F_M;
			res->malformed++;
			break;
		default:
			h[0] = SRTT_STAMP_TLV_F_U;
			res->unknown++;
			break;
		}
		if (rc != SRTT_STAMP_TLV_RECOGNIZED)
			memcpy(h + SRTT_STAMP_TLV_HLEN,
			       req + off + SRTT_STAMP_TLV_HLEN, vlen);
	}
}

int srtt_stamp_reflect(const uint8_t *req, size_t len, uint8_t *reply,
		       size_t size, const struct srtt_stamp_reflect_params *p,
		       struct srtt_stamp_reflect_result *res)
{
	srtt_stamp_tlv_fn fn = p->tlv_fn ? p->tlv_fn : srtt_stamp_tlv_default;
	uint8_t light[SRTT_STAMP_HLEN] = { 0 };
	struct srtt_stamp_reflect_result scratch;
	struct srtt_stamp_reflector r = {
		.seq = p->seq,
		.ts = p->t3,
		.ee = p->ee,
		.rx_ts = p->t2,
		.ss_ttl = p->ttl,
	};
	int err = check_len(len);

	if (!res)
		res = &scratch;
	memset(res, 0, sizeof(*res));
	/*
	 * RFC 8762 4.6: a TWAMP-Light session-sender's test packet (RFC 5357
	 * 4.1.2: 14 bytes and its padding) shorter than the STAMP base gets
	 * the base reply, as if its padding ran on to 44 bytes.
	 */
	if (err == -SRTT_STAMP_ESHORT && len >= SRTT_STAMP_LIGHT_LEN) {
		memcpy(light, req, len);
		req = light;
		len = SRTT_STAMP_HLEN;
		res->light = true;
		err = 0;
	}
	if (err)
		return err;
	if (size < len)
		return -SRTT_STAMP_ESPACE;

	r.ssid = get16(req + SRTT_STAMP_OFF_SSID);
	r.ss_seq = get32(req + SRTT_STAMP_OFF_SEQ);
	r.ss_ts = get64(req + SRTT_STAMP_OFF_TS);
	r.ss_ee = get16(req + SRTT_STAMP_OFF_EE);
	srtt_stamp_encode_reflector(reply, size, &r);
	memcpy(reply + SRTT_STAMP_HLEN, req + SRTT_STAMP_HLEN,
	       len - SRTT_STAMP_HLEN);
	/*
	 * Zeros past the base are no TLVs (a TLV of type 0 is reserved) but
	 * a TWAMP-Light sender's padding (RFC 8762 4.6): copied as they are.
	 */
	if (len > SRTT_STAMP_HLEN &&
	    all_zero(req + SRTT_STAMP_HLEN, len - SRTT_STAMP_HLEN)) {
		res->padding = true;
		return (int)len;
	}

	reflect_tlvs(req, len, reply, fn, p->arg, res);
	return (int)len;
}
