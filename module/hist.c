// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: log-linear histogram math (bucketing, merging, percentiles). */

#include "hist.h"

#define SRTT_HIST_SUB		BIT(SRTT_HIST_SUB_SHIFT)
#define SRTT_PER_MILLION	1000000U

/**
 * srtt_hist_bucket - bucket index of a value
 * @ns: the value; only meaningful for @ns <= SRTT_HIST_MAX_NS
 *
 * Below 32 the shift is 0 and the index is the value itself; from 32 on,
 * @ns >> shift keeps the leading 1 and four more bits (16..31), and each
 * power of two adds 16 to the index.
 *
 * Return: an index below SRTT_HIST_BUCKETS.
 */
u32 srtt_hist_bucket(u64 ns)
{
	u32 shift = fls64(ns | (2 * SRTT_HIST_SUB - 1)) - SRTT_HIST_SUB_SHIFT - 1;

	return (shift << SRTT_HIST_SUB_SHIFT) + (u32)(ns >> shift);
}

static u32 srtt_hist_idx_shift(u32 idx)
{
	return idx < 2 * SRTT_HIST_SUB ? 0 : (idx >> SRTT_HIST_SUB_SHIFT) - 1;
}

/* Inclusive lower bound of bucket @idx. */
u64 srtt_hist_bucket_lo(u32 idx)
{
	u32 shift = srtt_hist_idx_shift(idx);

	return (u64)(idx - (shift << SRTT_HIST_SUB_SHIFT)) << shift;
}

/*
 * Exclusive upper bound of bucket @idx. For the last bucket it is above
 * SRTT_HIST_MAX_NS: values between the two are over-range all the same.
 */
u64 srtt_hist_bucket_hi(u32 idx)
{
	u32 shift = srtt_hist_idx_shift(idx);

	return (u64)(idx - (shift << SRTT_HIST_SUB_SHIFT) + 1) << shift;
}

void srtt_hist_reset(struct srtt_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Hot path: a handful of instructions, no division, no loop. */
void srtt_hist_add(struct srtt_hist *h, u64 ns)
{
	if (unlikely(ns > SRTT_HIST_MAX_NS)) {
		h->over++;
		return;
	}
	if (ns < h->min || !h->count)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum += ns;
	h->bucket[srtt_hist_bucket(ns)]++;
}

void srtt_hist_merge(struct srtt_hist *dst, const struct srtt_hist *src)
{
	u32 i;

	if (src->count) {
		if (src->min < dst->min || !dst->count)
			dst->min = src->min;
		if (src->max > dst->max)
			dst->max = src->max;
	}
	dst->count += src->count;
	dst->over += src->over;
	dst->sum += src->sum;
	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
}

/* ceil(n * pm / 10^6) without overflowing 64 bits for any n. */
static u64 srtt_hist_rank(u64 n, u32 pm)
{
	u64 q = div64_u64(n, SRTT_PER_MILLION);
	u64 r = n - q * SRTT_PER_MILLION;

	return q * pm + div64_u64(r * pm + SRTT_PER_MILLION - 1,
				  SRTT_PER_MILLION);
}

/**
 * srtt_hist_percentile - estimate a percentile
 * @h: the histogram
 * @per_million: the percentile in parts per million (500000 = median,
 *	990000 = p99); values above 10^6 count as 10^6
 *
 * Definition. Let n be the in-range samples (the sum of the buckets, so a
 * histogram merged while CPUs were still adding stays consistent) and
 * N = n + over. The wanted sample is the one of nearest rank
 * r = max(1, ceil(N * per_million / 10^6)) in ascending order, over-range
 * samples ranking above all others:
 * - N == 0: return 0 (no samples; callers print "-", not a number).
 * - r > n: the sample is over-range; return SRTT_HIST_OVER, to be shown
 *   as "> 60 s", never as a number.
 * - r == 1 or r == n: ->min or ->max, known exactly.
 * - otherwise the r-th sample is the k-th of the c samples in its bucket
 *   [lo, hi). Taking those c samples as spread evenly over the bucket, the
 *   k-th sits in the middle of the k-th of c equal slices:
 *   lo + (hi - lo) * (2k - 1) / (2c), rounded down; the result is clamped
 *   to [->min, ->max]. The error is thus below one bucket width, at most
 *   6.25 % of the value (exact below 32 ns).
 *
 * Not for the hot path: it walks the buckets.
 *
 * Return: the estimate in ns, 0 for an empty histogram or SRTT_HIST_OVER.
 */
u64 srtt_hist_percentile(const struct srtt_hist *h, u32 per_million)
{
	u64 n = 0, seen = 0, rank, lo, width, c, k, v;
	u32 i;

	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		n += h->bucket[i];
	if (!n && !h->over)
		return 0;
	if (per_million > SRTT_PER_MILLION)
		per_million = SRTT_PER_MILLION;

	rank = srtt_hist_rank(n + h->over, per_million);
	if (!rank)
		rank = 1;
	if (rank > n)
		return SRTT_HIST_OVER;
	if (rank == 1)
		return h->min;
	if (rank == n)
		return h->max;

	for (i = 0; i < SRTT_HIST_BUCKETS - 1; i++) {
		if (rank <= seen + h->bucket[i])
			break;
		seen += h->bucket[i];
	}
	c = h->bucket[i];
	k = rank - seen;

	/* Keep width * (2k - 1) in 64 bits: width <= 2^31, so c < 2^31. */
	while (c >= (1ULL << 31)) {
		c >>= 1;
		k >>= 1;
	}
	if (!k)
		k = 1;

	lo = srtt_hist_bucket_lo(i);
	width = srtt_hist_bucket_hi(i) - lo;
	v = lo + div64_u64(width * (2 * k - 1), 2 * c);

	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}
