/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: log-linear latency histograms in nanoseconds. Pure logic (see
 * portable.h), shared by the module and the user-space tests.
 *
 * Buckets: values 0..31 have one bucket each. From 32 on, every power of
 * two [2^e, 2^(e+1)) is split into 16 equal sub-buckets, so a bucket is at
 * most 1/16 = 6.25 % of its lower bound wide. Index of v >= 32 with
 * e = fls64(v) - 1 and s = e - 4:  16 * s + (v >> s).
 *
 * 60 s = 60,000,000,000 ns lies in [2^35, 2^36), sub-bucket 27: index 523,
 * bounds [57,982,058,496, 60,129,542,144). That is the last bucket:
 * SRTT_HIST_BUCKETS = 524 (32 unit buckets, 30 full octaves of 16 from
 * 2^5 to 2^35, and 12 sub-buckets of the 2^35 octave). Values above
 * SRTT_HIST_MAX_NS are over-range: counted in ->over, never put in a
 * bucket, never folded into min/max/sum.
 */
#ifndef _SRTT_HIST_H
#define _SRTT_HIST_H

#include "portable.h"

#define SRTT_HIST_SUB_SHIFT	4		/* 16 sub-buckets a power of 2 */
#define SRTT_HIST_MAX_NS	60000000000ULL	/* 60 s, still in range */
#define SRTT_HIST_BUCKETS	524

/* srtt_hist_percentile(): the rank falls among over-range samples. */
#define SRTT_HIST_OVER		U64_MAX

/*
 * Plain storage, valid when zeroed. The module keeps one per CPU, written
 * only by that CPU, and merges them into a scratch copy to read.
 *   count		in-range samples (== sum of bucket[])
 *   over		samples above SRTT_HIST_MAX_NS
 *   min, max, sum	over the in-range samples; meaningless if !count
 */
struct srtt_hist {
	u64	count;
	u64	over;
	u64	min;
	u64	max;
	u64	sum;
	u64	bucket[SRTT_HIST_BUCKETS];
};

u32 srtt_hist_bucket(u64 ns);
u64 srtt_hist_bucket_lo(u32 idx);
u64 srtt_hist_bucket_hi(u32 idx);

void srtt_hist_reset(struct srtt_hist *h);
void srtt_hist_add(struct srtt_hist *h, u64 ns);
void srtt_hist_merge(struct srtt_hist *dst, const struct srtt_hist *src);
u64 srtt_hist_percentile(const struct srtt_hist *h, u32 per_million);

/*
 * Does a sample of @n support the percentile @per_million? Nearest rank
 * of a tail percentile p means something only once a sample holds more
 * than one value beyond it: n >= 1 / (1 - p), so p90 from 10 samples,
 * p99 from 100, p99.9 from 1000 (below, it is the maximum under another
 * name). The median and below need one sample.
 */
static inline bool srtt_hist_pct_supported(u64 n, u32 per_million)
{
	if (!n)
		return false;
	if (per_million < 900000)
		return true;
	return per_million < 1000000 &&
	       n >= (1000000 + (1000000 - per_million) - 1) /
		    (1000000 - per_million);
}

/* Every sample added, in range or not. */
static inline u64 srtt_hist_total(const struct srtt_hist *h)
{
	return h->count + h->over;
}

#endif /* _SRTT_HIST_H */
