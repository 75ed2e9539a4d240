// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: NTP-style clock offset estimate with a guaranteed bound, per
 * window, linear in time between two minimum-delay anchors. The model and
 * its guarantees are in offset.h.
 */

#include <string.h>

#include "offset.h"

#define NSEC_PER_SEC	1000000000ULL
#define MAX_NS		60000000000LL		/* 60 s */
#define OFF2_LIMIT	(1ULL << 62)		/* |2 * offset| below */

const char *srtt_offset_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case SRTT_OFFSET_OK:
		return "ok";
	case SRTT_OFFSET_EINVAL:
		return "invalid argument";
	case SRTT_OFFSET_ENOSAMPLE:
		return "no usable exchange to estimate the clock offset from";
	case SRTT_OFFSET_EORDER:
		return "exchanges are not in send order";
	case SRTT_OFFSET_ERANGE:
		return "time out of range";
	case SRTT_OFFSET_ESPACE:
		return "too many windows for the output array";
	}
	return "unknown error";
}

void srtt_offset_cfg_init(struct srtt_offset_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_skew_ppb = SRTT_OFFSET_MAX_SKEW_PPB_DEFAULT;
}

int srtt_offset_muldiv(uint64_t a, uint64_t b, uint64_t d, uint64_t *q,
		       uint64_t *rem)
{
	uint64_t a0 = a & 0xffffffff, a1 = a >> 32;
	uint64_t b0 = b & 0xffffffff, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
	uint64_t lo = mid << 32 | (p00 & 0xffffffff);
	uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	uint64_t r = hi, quo = 0, top;
	int i;

	if (!d || hi >= d)
		return -SRTT_OFFSET_ERANGE;
	/* restoring division, one bit of lo at a time; r < d throughout */
	for (i = 63; i >= 0; i--) {
		top = r >> 63;
		r = r << 1 | (lo >> i & 1);
		quo <<= 1;
		if (top || r >= d) {
			r -= d;		/* the true r - d is < d: wraps right */
			quo |= 1;
		}
	}
	*q = quo;
	*rem = r;
	return 0;
}

static uint64_t uabs(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* a * b / d rounded to nearest, d != 0; *inexact when it was not exact. */
static int smuldiv_round(int64_t a, int64_t b, int64_t d, int64_t *out,
			 bool *inexact)
{
	bool neg = ((a < 0) ^ (b < 0) ^ (d < 0)) && a && b;
	uint64_t ud = uabs(d), q, r;

	if (srtt_offset_muldiv(uabs(a), uabs(b), ud, &q, &r))
		return -SRTT_OFFSET_ERANGE;
	if (r >= ud - r)
		q++;
	if (q > (uint64_t)INT64_MAX)
		return -SRTT_OFFSET_ERANGE;
	*out = neg ? -(int64_t)q : (int64_t)q;
	*inexact = r != 0;
	return 0;
}

/* ceil(a * b / d), d != 0 */
static int umuldiv_ceil(uint64_t a, uint64_t b, uint64_t d, uint64_t *out)
{
	uint64_t q, r;

	if (srtt_offset_muldiv(a, b, d, &q, &r))
		return -SRTT_OFFSET_ERANGE;
	if (r) {
		if (q == UINT64_MAX)
			return -SRTT_OFFSET_ERANGE;
		q++;
	}
	*out = q;
	return 0;
}

static bool in_range(int64_t t)
{
	return t > -SRTT_OFFSET_NS_LIMIT && t < SRTT_OFFSET_NS_LIMIT;
}

/* One exchange as an anchor candidate: 0, or -ERANGE when not usable. */
static int eval(const struct srtt_offset_sample *s, uint64_t max_skew_ppb,
		struct srtt_offset_anchor *a)
{
	int64_t rtt, hold, delay, off2, e2;
	uint64_t sk;

	if (!in_range(s->t1) || !in_range(s->t2) || !in_range(s->t3) ||
	    !in_range(s->t4) || s->err_ns > (uint64_t)MAX_NS)
		return -SRTT_OFFSET_ERANGE;
	e2 = 2 * (int64_t)s->err_ns;
	rtt = s->t4 - s->t1;
	hold = s->t3 - s->t2;
	if (rtt < -e2 || rtt > MAX_NS || hold < -e2 || hold > MAX_NS)
		return -SRTT_OFFSET_ERANGE;
	delay = rtt - hold;
	if (delay < -e2)
		return -SRTT_OFFSET_ERANGE;
	off2 = (s->t2 - s->t1) + (s->t3 - s->t4);
	if (uabs(off2) >= OFF2_LIMIT)
		return -SRTT_OFFSET_ERANGE;
	/*
	 * the clocks' rate difference during the exchange (offset.h):
	 * max_skew * (t4 - t1 + 2 * err_ns) / 2, doubled
	 */
	if (umuldiv_ceil(max_skew_ppb, (uint64_t)((rtt > 0 ? rtt : 0) + e2),
			 NSEC_PER_SEC, &sk))
		return -SRTT_OFFSET_ERANGE;
	a->t = s->t1 + rtt / 2;
	a->off2 = off2;
	a->b2 = (uint64_t)(delay + e2) + sk;
	a->delay_ns = delay;
	return 0;
}

int srtt_offset_sample_eval(const struct srtt_offset_sample *s,
			    int64_t *offset2, int64_t *delay)
{
	struct srtt_offset_anchor a;
	int err;

	if (!s)
		return -SRTT_OFFSET_EINVAL;
	err = eval(s, 0, &a);
	if (err)
		return err;
	if (offset2)
		*offset2 = a.off2;
	if (delay)
		*delay = a.delay_ns;
	return 0;
}

/*
 * Doubled interval (c2 +- b2) -> ns: theta = c2 / 2 truncated, so an odd
 * c2 leaves half a nanosecond that the bound takes on, rounded up.
 */
static void halve(int64_t c2, uint64_t b2, int64_t *theta, uint64_t *bound)
{
	uint64_t odd = c2 % 2 != 0;

	*theta = c2 / 2;
	*bound = (b2 + odd + 1) / 2;
}

/* theta(t) doubled: centre and half-width. */
static int at2(const struct srtt_offset_est *e, int64_t t, int64_t *c2,
	       uint64_t *b2)
{
	const struct srtt_offset_anchor *a = &e->a, *b = &e->b;
	uint64_t ua, ub, sk;
	bool inexact;
	int64_t adj;

	if (!in_range(t))
		return -SRTT_OFFSET_ERANGE;
	if (e->flags & SRTT_OFFSET_F_ONE_ANCHOR) {
		if (umuldiv_ceil(e->max_skew_ppb, uabs(t - a->t), NSEC_PER_SEC,
				 &sk) || sk > UINT64_MAX / 4 ||
		    a->b2 > UINT64_MAX / 2)
			return -SRTT_OFFSET_ERANGE;
		*c2 = a->off2;
		*b2 = a->b2 + 2 * sk;
		return 0;
	}
	/* lambda = (t_b - t) / (t_b - t_a) */
	if (smuldiv_round(a->off2 - b->off2, b->t - t, b->t - a->t, &adj,
			  &inexact) || uabs(adj) >= OFF2_LIMIT)
		return -SRTT_OFFSET_ERANGE;
	if (umuldiv_ceil(a->b2, uabs(b->t - t), uabs(b->t - a->t), &ua) ||
	    umuldiv_ceil(b->b2, uabs(t - a->t), uabs(b->t - a->t), &ub) ||
	    ua > UINT64_MAX / 4 || ub > UINT64_MAX / 4)
		return -SRTT_OFFSET_ERANGE;
	*c2 = b->off2 + adj;
	*b2 = ua + ub + inexact;
	if (uabs(*c2) >= OFF2_LIMIT)
		return -SRTT_OFFSET_ERANGE;
	/*
	 * a rate change of up to max_step inside the window bends theta
	 * off the line: by max_step * (span / 4) between the anchors, and
	 * by max_step more a nanosecond beyond them (doubled: * 2)
	 */
	if (e->max_step_ppb) {
		uint64_t span = uabs(b->t - a->t), out = 0, bend;
		int64_t lo = a->t < b->t ? a->t : b->t;
		int64_t hi = a->t < b->t ? b->t : a->t;

		if (t < lo)
			out = uabs(lo - t);
		else if (t > hi)
			out = uabs(t - hi);
		if (span / 4 > UINT64_MAX / 2 - out ||
		    umuldiv_ceil(e->max_step_ppb, span / 4 + 1 + out,
				 NSEC_PER_SEC, &bend) || bend > UINT64_MAX / 8)
			return -SRTT_OFFSET_ERANGE;
		*b2 += 2 * bend;
	}
	return 0;
}

int srtt_offset_at(const struct srtt_offset_est *e, int64_t t,
		   int64_t *theta_ns, uint64_t *bound_ns)
{
	uint64_t b2;
	int64_t c2;
	int err;

	if (!e || !theta_ns || !bound_ns || (e->flags & SRTT_OFFSET_F_INVALID))
		return -SRTT_OFFSET_EINVAL;
	if (e->flags & SRTT_OFFSET_F_SAME_CLOCK) {
		*theta_ns = 0;
		*bound_ns = 0;
		return 0;
	}
	err = at2(e, t, &c2, &b2);
	if (err)
		return err;
	halve(c2, b2, theta_ns, bound_ns);
	return 0;
}

int srtt_offset_span(const struct srtt_offset_est *e, int64_t t_lo,
		     int64_t t_hi, int64_t *theta_ns, uint64_t *bound_ns)
{
	int64_t c2[2], lo, hi, mid;
	uint64_t b2[2];
	int err, i;

	if (!e || !theta_ns || !bound_ns || (e->flags & SRTT_OFFSET_F_INVALID))
		return -SRTT_OFFSET_EINVAL;
	if (e->flags & SRTT_OFFSET_F_SAME_CLOCK) {
		*theta_ns = 0;
		*bound_ns = 0;
		return 0;
	}
	for (i = 0; i < 2; i++) {
		err = at2(e, i ? t_hi : t_lo, &c2[i], &b2[i]);
		if (err)
			return err;
		/* |c2| < 2^62 and b2 < 2^62: the ends fit */
		if (b2[i] >= OFF2_LIMIT)
			return -SRTT_OFFSET_ERANGE;
	}
	lo = c2[0] - (int64_t)b2[0];
	if (c2[1] - (int64_t)b2[1] < lo)
		lo = c2[1] - (int64_t)b2[1];
	hi = c2[0] + (int64_t)b2[0];
	if (c2[1] + (int64_t)b2[1] > hi)
		hi = c2[1] + (int64_t)b2[1];
	/* the hull [lo, hi], doubled: centre lo + floor((hi - lo) / 2) */
	mid = lo + (int64_t)(((uint64_t)hi - (uint64_t)lo) / 2);
	halve(mid, (uint64_t)(hi - mid), theta_ns, bound_ns);
	return 0;
}

static int estimate(const struct srtt_offset_sample *s, size_t first,
		    size_t n, const struct srtt_offset_cfg *cfg,
		    struct srtt_offset_est *out)
{
	struct srtt_offset_anchor cand;
	size_t i, k, third;
	bool have_t1 = false, inexact;
	int64_t prev_t1 = 0;

	memset(out, 0, sizeof(*out));
	out->first = first;
	out->n = n;
	out->max_skew_ppb = cfg->max_skew_ppb;
	out->max_step_ppb = cfg->max_step_ppb;
	if (cfg->same_clock) {
		out->flags = SRTT_OFFSET_F_SAME_CLOCK;
		return 0;
	}

	/* usable samples, their order, the minimum delay */
	for (i = first; i < first + n; i++) {
		if (eval(&s[i], cfg->max_skew_ppb, &cand)) {
			out->rejected++;
			continue;
		}
		if (have_t1 && s[i].t1 < prev_t1)
			return -SRTT_OFFSET_EORDER;
		have_t1 = true;
		prev_t1 = s[i].t1;
		if (!out->used || cand.t < out->t_first)
			out->t_first = cand.t;
		if (!out->used || cand.t > out->t_last)
			out->t_last = cand.t;
		if (!out->used || cand.delay_ns < out->delay_min_ns)
			out->delay_min_ns = cand.delay_ns;
		out->used++;
	}
	if (!out->used) {
		out->flags = SRTT_OFFSET_F_INVALID;
		return -SRTT_OFFSET_ENOSAMPLE;
	}

	/* anchors: the smallest bound in the first and in the last third */
	third = (out->used + 2) / 3;
	for (i = first, k = 0; i < first + n; i++) {
		if (eval(&s[i], cfg->max_skew_ppb, &cand))
			continue;
		cand.idx = i;
		if (k < third && (k == 0 || cand.b2 < out->a.b2))
			out->a = cand;
		if (k >= out->used - third &&
		    (k == out->used - third || cand.b2 < out->b.b2))
			out->b = cand;
		k++;
	}

	if (out->a.t == out->b.t) {
		if (out->b.b2 < out->a.b2)
			out->a = out->b;
		out->b = out->a;
		out->flags |= SRTT_OFFSET_F_ONE_ANCHOR;
		out->t_ref = out->a.t;
		out->skew_err_ppb = cfg->max_skew_ppb;
	} else {
		out->t_ref = out->a.t + (out->b.t - out->a.t) / 2;
		/* (off_b - off_a) / (t_b - t_a) in ppb; off2 is doubled */
		if (smuldiv_round(out->b.off2 - out->a.off2,
				  (int64_t)NSEC_PER_SEC,
				  2 * (out->b.t - out->a.t), &out->skew_ppb,
				  &inexact))
			out->skew_ppb = out->b.off2 > out->a.off2 ?
					INT64_MAX : INT64_MIN;
		/* the slope's error: (b_a + b_b) / (t_b - t_a), doubled */
		if (out->a.b2 > UINT64_MAX / 2 - out->b.b2 ||
		    umuldiv_ceil(out->a.b2 + out->b.b2, NSEC_PER_SEC,
				 2 * uabs(out->b.t - out->a.t),
				 &out->skew_err_ppb) ||
		    out->skew_err_ppb > cfg->max_skew_ppb)
			out->skew_err_ppb = cfg->max_skew_ppb;
		out->skew_err_ppb += cfg->max_step_ppb;
	}
	return srtt_offset_at(out, out->t_ref, &out->theta_ns, &out->bound_ns);
}

static const struct srtt_offset_cfg *
cfg_or_default(const struct srtt_offset_cfg *cfg, struct srtt_offset_cfg *def)
{
	if (cfg)
		return cfg;
	srtt_offset_cfg_init(def);
	return def;
}

int srtt_offset_estimate(const struct srtt_offset_sample *samples, size_t n,
			 const struct srtt_offset_cfg *cfg,
			 struct srtt_offset_est *out)
{
	struct srtt_offset_cfg def;

	if (!out || (!samples && n))
		return -SRTT_OFFSET_EINVAL;
	cfg = cfg_or_default(cfg, &def);
	if (cfg->max_skew_ppb > NSEC_PER_SEC)
		return -SRTT_OFFSET_EINVAL;
	return estimate(samples, 0, n, cfg, out);
}

size_t srtt_offset_max_windows(size_t n)
{
	return n;
}

/*
 * Does every usable sample of @e's window meet the line's band? 1 yes,
 * 0 no, <0 an error of at2().
 */
static int consistent(const struct srtt_offset_sample *s,
		      const struct srtt_offset_est *e,
		      const struct srtt_offset_cfg *cfg)
{
	struct srtt_offset_anchor cand;
	uint64_t b2, gap;
	int64_t c2;
	size_t i;
	int err;

	if (e->flags & (SRTT_OFFSET_F_INVALID | SRTT_OFFSET_F_SAME_CLOCK |
			SRTT_OFFSET_F_ONE_ANCHOR))
		return 1;
	for (i = e->first; i < e->first + e->n; i++) {
		if (eval(&s[i], cfg->max_skew_ppb, &cand))
			continue;
		err = at2(e, cand.t, &c2, &b2);
		if (err)
			return err;
		gap = uabs(cand.off2 - c2);
		if (gap > b2 && gap - b2 > cand.b2)
			return 0;
	}
	return 1;
}

/*
 * Estimate samples [first, first + len) into out[*k...]: as one window,
 * or, when its samples refute its line, as its two halves, each the same
 * way (a window of fewer than 16 samples is kept, NONLINEAR).
 */
static int window_split(const struct srtt_offset_sample *s, size_t first,
			size_t len, const struct srtt_offset_cfg *cfg,
			struct srtt_offset_est *out, size_t max_out,
			size_t *k, unsigned int depth)
{
	size_t half;
	int err, ok;

	if (*k >= max_out)
		return -SRTT_OFFSET_ESPACE;
	err = estimate(s, first, len, cfg, &out[*k]);
	if (err == -SRTT_OFFSET_ENOSAMPLE) {
		(*k)++;
		return 0;
	}
	if (err)
		return err;
	ok = consistent(s, &out[*k], cfg);
	if (ok < 0)
		return ok;
	if (ok) {
		out[*k].splits = depth;
		(*k)++;
		return 0;
	}
	if (len < 16) {
		out[*k].flags |= SRTT_OFFSET_F_NONLINEAR;
		out[*k].splits = depth;
		(*k)++;
		return 0;
	}
	half = len / 2;
	err = window_split(s, first, half, cfg, out, max_out, k, depth + 1);
	if (err)
		return err;
	return window_split(s, first + half, len - half, cfg, out, max_out, k,
			    depth + 1);
}

size_t srtt_offset_nwindows(size_t n, size_t window)
{
	size_t k, r;

	if (!window || !n)
		return 0;
	k = n / window;
	r = n % window;
	if (!k)
		return 1;
	return r && 2 * r >= window ? k + 1 : k;
}

int srtt_offset_windows(const struct srtt_offset_sample *samples, size_t n,
			size_t window, const struct srtt_offset_cfg *cfg,
			struct srtt_offset_est *out, size_t max_out,
			size_t *n_out)
{
	struct srtt_offset_anchor cand;
	struct srtt_offset_cfg def;
	size_t nw, w, first, len, i, k;
	bool have_t1 = false;
	int64_t prev_t1 = 0;
	int err;

	if ((!samples && n) || !window || !n_out || (!out && max_out))
		return -SRTT_OFFSET_EINVAL;
	cfg = cfg_or_default(cfg, &def);
	if (cfg->max_skew_ppb > NSEC_PER_SEC)
		return -SRTT_OFFSET_EINVAL;
	*n_out = 0;
	nw = srtt_offset_nwindows(n, window);
	if (nw > max_out || cfg->max_window_ns < 0)
		return -SRTT_OFFSET_ESPACE;
	if (!cfg->same_clock) {
		for (i = 0; i < n; i++) {
			if (eval(&samples[i], cfg->max_skew_ppb, &cand))
				continue;
			if (have_t1 && samples[i].t1 < prev_t1)
				return -SRTT_OFFSET_EORDER;
			have_t1 = true;
			prev_t1 = samples[i].t1;
		}
	}
	for (w = 0, k = 0; w < nw; w++) {
		first = w * window;
		len = w + 1 == nw ? n - first : window;
		/* cut where a window lasts longer than max_window_ns */
		while (cfg->max_window_ns && !cfg->same_clock && len > 1) {
			for (i = first + 1; i < first + len; i++)
				if (samples[i].t1 - samples[first].t1 >
				    cfg->max_window_ns)
					break;
			if (i == first + len)
				break;
			err = window_split(samples, first, i - first, cfg, out,
					   max_out, &k, 0);
			if (err)
				return err;
			len -= i - first;
			first = i;
		}
		err = window_split(samples, first, len, cfg, out, max_out, &k, 0);
		if (err)
			return err;
	}
	*n_out = k;
	return 0;
}
